# CAM classifier on MS COCO 2014 (GPU): the VOC ResNet-50 classifier with 81
# classes for ~5 epochs (82,081 images: 25.6k iterations at batch 16), CAM
# mIoU and contour F (BoundaryFMetric) beside classification mAP.
_base_ = [
    '../_base_/models/cam_r50.py', '../_base_/datasets/coco2014_wsss.py',
    '../_base_/wsss_runtime.py', '../_base_/schedules/schedule_cam_voc.py'
]
max_iters = 25600
train_dataloader = dict(batch_size=4)
model = dict(cam_head=dict(num_classes=81))
param_scheduler = [
    dict(type='PolyLR', eta_min=0.0, power=0.9, begin=0, end=max_iters,
         by_epoch=False),
]
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(checkpoint=dict(interval=max_iters // 4))
val_evaluator = {{_base_.cam_boundary_evaluator}}
test_evaluator = val_evaluator
