# HFPL on the single-stage model (synthetic) with HFPL's down-scaled weights
# for baselines that already train with further losses (SIPE, MCTformer; here
# the pseudo-GT segmentation loss): ISL and FSL x 0.1, i.e. lambda 0.02
# (nGWP classification loss weighted 0.98) and FSL weight 0.1. sigma 5 on the
# pooled 16 x 16 grid, as in the full-weight config.
_base_ = '../../../configs/hfpl/single-stage_r18-w32-d16_1xb16-1500it_synthetic-128x128_isl-fsl.py'  # noqa: E501
scale = 0.1
lam = 0.2 * scale
model = dict(
    loss_cls=dict(type='mmpretrain.CrossEntropyLoss', use_sigmoid=True,
                  loss_weight=1 - lam),
    cam_losses=[
        dict(type='ISLLoss', num_samples=10, loss_weight=lam),
        dict(type='FSLLoss', sigma=5.0, mu=2.5, pool=2, loss_weight=scale),
    ])
