# Single-stage WSSS on VOC 2012 + SBD (GPU), after the authors'
# voc_resnet101 setting: ImageNet ResNet-101 (BN statistics frozen), output
# stride 16, crops of 448 (scale 0.9-1.0), batch 16, 20 epochs of train_aug
# (13,230 iterations) of which 5 (3,307) classification-only, SGD lr 0.001
# (decoder x10), weight decay 5e-4. Inference: scales 1/0.75/1.25/1.5 + flip,
# background^3, classes with confidence > 0.1. Paper (WideResNet-38):
# 59.7 val mIoU, 62.7 with CRF.
_base_ = [
    '../_base_/datasets/voc12aug_wsss.py', '../_base_/wsss_runtime.py'
]
crop_size = (448, 448)
train_pipeline = [
    dict(type='LoadVerifiedImageFromFile'),  # names bad images
    dict(type='RandomResize', scale=(448, 448), ratio_range=(0.9, 1.0),
         keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackWSSSInputs'),
]
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=train_pipeline))
norm_cfg = dict(type='SyncBN', requires_grad=True)
model = dict(
    type='SingleStageSegmentor',
    data_preprocessor=dict(
        type='SegDataPreProcessor', mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375], bgr_to_rgb=True, pad_val=0,
        seg_pad_val=255, size=crop_size),
    backbone=dict(
        type='mmpretrain.ResNet', depth=101, num_stages=4,
        out_indices=(0, 3), strides=(1, 2, 2, 1), dilations=(1, 1, 1, 2),
        norm_cfg=dict(type='BN', requires_grad=True), norm_eval=True,
        init_cfg=dict(type='Pretrained',
                      checkpoint='torchvision://resnet101')),
    decode_head=dict(
        type='SingleStageHead', in_channels=2048, in_index=1,
        c1_in_channels=256, c1_channels=48, c1_index=0, channels=256,
        dilations=(1, 6, 12, 18), dropout_ratio=0.1, num_classes=21,
        norm_cfg=norm_cfg, align_corners=False, psi=0.3, use_sg=True),
    loss_cls=dict(type='mmpretrain.CrossEntropyLoss', use_sigmoid=True),
    # train_cfg: classification-only warm-up for a quarter of the schedule
    # (paper: 5 of 20 epochs); the paper's constants are
    # SingleStageSegmentor's defaults
    # (focal p 3, lambda 0.01, nGWP eps 1, cut-offs 0.7 / 0.6 / 0.2, PAMR
    # 10 iterations at dilations 1-24); set a key here to change it
    train_cfg=dict(warmup_iters=3307),
    # other test_cfg defaults: background^3, classes with sigmoid(score) >
    # 0.1, no PAMR, no CRF
    test_cfg=dict(scales=(1.0, 0.75, 1.25, 1.5), flip=True))
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='SGD', lr=0.001, momentum=0.9, weight_decay=5e-4),
    paramwise_cfg=dict(custom_keys={'decode_head': dict(lr_mult=10.0)}))
param_scheduler = [
    dict(type='PolyLR', eta_min=0.0, power=0.9, begin=0, end=13230,
         by_epoch=False)
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=13230,
                 val_interval=1323)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
custom_hooks = [
    dict(type='NumClassCheckHook'),
]
val_evaluator = dict(
    type='MetricList',
    members=[
        dict(type='MultiLabelMAPMetric'),
        dict(type='IoUMetric', iou_metrics=['mIoU']),
        dict(type='BoundaryFMetric'),
    ])
test_evaluator = val_evaluator
default_hooks = dict(
    checkpoint=dict(type='AtomicCheckpointHook', by_epoch=False, interval=1323,
                    max_keep_ckpts=2),
    strict_load=dict(type='StrictLoadHook'),
    sync_buffers=dict(type='BufferSyncHook'))
