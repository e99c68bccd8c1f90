# HFPL on the single-stage model (synthetic): ISL and FSL on its foreground
# logits y (independent binomial CAMs, stride 4 -> 32 x 32 at 128 px) beside
# the nGWP classification loss weighted 1 - lambda. FSL average-pools y by 2
# first (16 x 16, HFPL's stride-8 grid) and uses the paper's sigma of 5 CAM
# pixels.
_base_ = '../single_stage/single-stage_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'  # noqa: E501
lam = 0.2
model = dict(
    loss_cls=dict(type='mmpretrain.CrossEntropyLoss', use_sigmoid=True,
                  loss_weight=1 - lam),
    cam_losses=[
        dict(type='ISLLoss', num_samples=10, loss_weight=lam),
        dict(type='FSLLoss', sigma=5.0, mu=2.5, pool=2, loss_weight=1.0),
    ])
