# HFPL as published (SEAM + ISL + FSL) on VOC 2012 + SBD (GPU); see the
# synthetic *_isl-fsl config for the loss composition.
_base_ = './seam_r50_4xb4-3300it_voc12aug-448x448.py'
lam = 0.2
model = dict(cam_head=dict(
    loss_cls=dict(type='mmpretrain.CrossEntropyLoss', use_sigmoid=True,
                  loss_weight=1 - lam),
    cam_losses=[
        dict(type='ISLLoss', num_samples=10, loss_weight=lam),
        dict(type='FSLLoss', sigma=5.0, mu=2.5, align_corners=True,
             loss_weight=1.0),
    ]))
val_evaluator = {{_base_.cam_boundary_evaluator}}
test_evaluator = val_evaluator
