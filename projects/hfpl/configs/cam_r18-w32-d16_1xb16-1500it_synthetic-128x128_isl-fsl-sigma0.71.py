# HFPL ablation: ISL + FSL with sigma scaled to HFPL's relative extent (0.71
# on the 8 x 8 synthetic grid; see the _fsl-sigma0.71 variant).
_base_ = '../../../configs/hfpl/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_isl-fsl.py'  # noqa: E501
model = dict(cam_head=dict(cam_losses=[
    dict(type='ISLLoss', num_samples=10, loss_weight={{_base_.lam}}),
    dict(type='FSLLoss', sigma=0.71, mu=2.5, loss_weight=1.0),
]))
