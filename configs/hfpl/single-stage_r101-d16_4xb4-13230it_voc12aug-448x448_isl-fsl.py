# HFPL on the single-stage model on VOC (GPU): ISL and FSL on the foreground
# logits (stride 4, 112 x 112 at 448 px crops); FSL pools them by 2 to
# HFPL's 56 x 56 stride-8 grid, where its sigma of 5 px applies unchanged.
_base_ = '../single_stage/single-stage_r101-d16_4xb4-13230it_voc12aug-448x448.py'
lam = 0.2
model = dict(
    loss_cls=dict(type='mmpretrain.CrossEntropyLoss', use_sigmoid=True,
                  loss_weight=1 - lam),
    cam_losses=[
        dict(type='ISLLoss', num_samples=10, loss_weight=lam),
        dict(type='FSLLoss', sigma=5.0, mu=2.5, pool=2, loss_weight=1.0),
    ])
