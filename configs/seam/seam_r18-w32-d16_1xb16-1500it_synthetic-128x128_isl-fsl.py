# HFPL as published: SEAM + ISL + FSL (HFPL's train_cam_voc.py is SEAM's
# training script with the two losses): the first view's classification
# term is (1 - lambda) GAP-BCE + lambda ISL (lambda 0.2, averaged with the
# second view's, so ISL counts half), FSL (sigma 5, mu 2.5, weight 1) on the
# first view's raw CAMs with the image resized align_corners=True.
_base_ = './seam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'
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
