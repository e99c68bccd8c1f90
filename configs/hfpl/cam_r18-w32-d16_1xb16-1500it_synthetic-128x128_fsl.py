# HFPL ablation: FSL only (plain GAP-BCE classification loss).
_base_ = './cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_isl-fsl.py'
model = dict(cam_head=dict(
    loss_cls=dict(type='mmpretrain.CrossEntropyLoss', use_sigmoid=True,
                  loss_weight=1.0),
    cam_losses=[
        dict(type='FSLLoss', sigma={{_base_.sigma}}, mu=2.5, loss_weight=1.0)
    ]))
