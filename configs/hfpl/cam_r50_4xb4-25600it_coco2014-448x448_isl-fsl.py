# HFPL on a COCO 2014 CAM classifier (GPU): the VOC ResNet-50 classifier with
# 81 classes, the same ~5 epochs (82,081 images: 25.6k iterations at batch
# 16), ISL (lambda 0.2) and FSL at weight 0.2, HFPL's COCO setting.
_base_ = '../cam/cam_r50_4xb4-25600it_coco2014-448x448.py'
lam = 0.2
model = dict(cam_head=dict(
    # HFPL's (SEAM's) script: GAP of the CAMs upsampled to the input
    pool_at_input_size=True,
    num_classes=81,
    loss_cls=dict(type='mmpretrain.CrossEntropyLoss', use_sigmoid=True,
                  loss_weight=1 - lam),
    cam_losses=[
        dict(type='ISLLoss', num_samples=10, loss_weight=lam),
        dict(type='FSLLoss', sigma=5.0, mu=2.5, loss_weight=0.2),
    ]))
