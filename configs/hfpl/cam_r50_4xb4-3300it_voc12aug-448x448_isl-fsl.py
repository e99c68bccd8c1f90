# HFPL on the foundation VOC CAM classifier (GPU): ImageNet ResNet-50 at
# output stride 16, 448 px crops -> a 28 x 28 CAM grid. The paper's settings:
# lambda 0.2, sigma 5 CAM pixels, mu 2.5, FSL weight 1.0 (HFPL uses 0.1 for
# SIPE/MCTformer-like baselines and 0.2 on COCO). sigma 2.5 would keep
# HFPL's relative extent (5 px of its 56 x 56 stride-8 grid); the paper's 5 is
# kept unchanged (sigma ablation on the synthetic data: configs/hfpl/README.md).
_base_ = '../cam/cam_r50_4xb4-3300it_voc12aug-448x448.py'
lam = 0.2
model = dict(cam_head=dict(
    # HFPL's (SEAM's) script: GAP of the CAMs upsampled to the input
    pool_at_input_size=True,
    loss_cls=dict(type='mmpretrain.CrossEntropyLoss', use_sigmoid=True,
                  loss_weight=1 - lam),
    cam_losses=[
        dict(type='ISLLoss', num_samples=10, loss_weight=lam),
        dict(type='FSLLoss', sigma=5.0, mu=2.5, loss_weight=1.0),
    ]))
val_evaluator = {{_base_.cam_boundary_evaluator}}
test_evaluator = val_evaluator
