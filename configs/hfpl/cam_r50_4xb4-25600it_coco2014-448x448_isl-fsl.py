# HFPL on a COCO 2014 CAM classifier (GPU): the VOC ResNet-50 classifier with
# 81 classes, the same ~5 epochs (82,081 images: 25.6k iterations at batch
# 16), ISL (lambda 0.2) and FSL at weight 0.2, HFPL's COCO setting.
_base_ = [
    '../_base_/models/cam_r50.py', '../_base_/datasets/coco2014_wsss.py',
    '../_base_/wsss_runtime.py', '../_base_/schedules/schedule_cam_voc.py'
]
lam = 0.2
iters = 25600
train_dataloader = dict(batch_size=4)
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
param_scheduler = [
    dict(type='PolyLR', eta_min=0.0, power=0.9, begin=0, end=iters,
         by_epoch=False),
]
train_cfg = dict(max_iters=iters, val_interval=iters)
default_hooks = dict(checkpoint=dict(interval=iters // 4))
val_evaluator = dict(
    type='MetricList',
    members=[
        dict(type='MultiLabelMAPMetric'),
        dict(type='CAMIoUMetric'),
        dict(type='BoundaryFMetric'),
    ])
test_evaluator = val_evaluator
