# HFPL ablation: FSL only with the paper's sigma in pixels (5), which on the
# 8 x 8 synthetic CAM grid spans the whole image (7x HFPL's relative extent).
_base_ = './cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_fsl.py'
model = dict(cam_head=dict(cam_losses=[
    dict(type='FSLLoss', sigma=5.0, mu=2.5, loss_weight=1.0)
]))
