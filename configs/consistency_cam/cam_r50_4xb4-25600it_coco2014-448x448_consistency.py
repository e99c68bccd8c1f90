# Consistency-CAM on a COCO 2014 CAM classifier (GPU): the VOC ResNet-50
# classifier with 81 classes for ~5 epochs (82,081 images: 25.6k iterations
# at batch 16), random tile grids rows, cols in {1, 2, 4}, flip p 0.5,
# rescale [0.75, 1.25], alpha 4 ramped over the first half.
_base_ = [
    '../_base_/models/cam_r50.py', '../_base_/datasets/coco2014_wsss.py',
    '../_base_/wsss_runtime.py', '../_base_/schedules/schedule_cam_voc.py'
]
max_iters = 25600
train_dataloader = dict(batch_size=4)
model = dict(
    cam_head=dict(num_classes=81),
    consistency_losses=[
        dict(type='PuzzleConsistencyLoss',
             grids=[(r, c) for r in (1, 2, 4) for c in (1, 2, 4)],
             flip_prob=0.5, scale_range=(0.75, 1.25), alpha=4.0,
             ramp_iters=max_iters // 2, p=1, pcls_weight=1.0)
    ])
param_scheduler = [
    dict(type='PolyLR', eta_min=0.0, power=0.9, begin=0, end=max_iters,
         by_epoch=False),
]
train_cfg = dict(max_iters=max_iters, val_interval=max_iters)
default_hooks = dict(checkpoint=dict(interval=max_iters // 4))
val_evaluator = dict(
    type='MetricList',
    members=[
        dict(type='MultiLabelMAPMetric'),
        dict(type='CAMIoUMetric'),
        dict(type='BoundaryFMetric'),
    ])
test_evaluator = val_evaluator
