# HFPL on the single-stage model (synthetic), ablation: FSL only (sigma 5 on
# the pooled 16 x 16 grid); the nGWP classification loss at full weight.
_base_ = './single-stage_r18-w32-d16_1xb16-1500it_synthetic-128x128_isl-fsl.py'  # noqa: E501
model = dict(
    loss_cls=dict(type='mmpretrain.CrossEntropyLoss', use_sigmoid=True,
                  loss_weight=1.0),
    cam_losses=[
        dict(type='FSLLoss', sigma=5.0, mu=2.5, pool=2, loss_weight=1.0),
    ])
