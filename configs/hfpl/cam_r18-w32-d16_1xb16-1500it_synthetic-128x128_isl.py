# HFPL ablation: ISL only.
_base_ = './cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_isl-fsl.py'
model = dict(cam_head=dict(cam_losses=[
    dict(type='ISLLoss', num_samples=10, loss_weight={{_base_.lam}})]))
