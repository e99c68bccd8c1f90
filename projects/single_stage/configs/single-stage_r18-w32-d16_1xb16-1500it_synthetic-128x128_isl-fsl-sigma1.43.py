# HFPL on the single-stage model (synthetic), ablation: FSL's sigma at HFPL's
# relative extent on the pooled 16 x 16 grid (5 * 16 / 56 = 1.43).
_base_ = '../../../configs/hfpl/single-stage_r18-w32-d16_1xb16-1500it_synthetic-128x128_isl-fsl.py'  # noqa: E501
model = dict(cam_losses=[
    dict(type='ISLLoss', num_samples=10, loss_weight={{_base_.lam}}),
    dict(type='FSLLoss', sigma=1.43, mu=2.5, pool=2, loss_weight=1.0),
])
