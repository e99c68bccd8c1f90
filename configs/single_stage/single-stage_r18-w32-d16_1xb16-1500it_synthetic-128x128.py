# Single-stage WSSS (Araslanov & Roth, CVPR 2020) on the synthetic default,
# CPU-sized: half-width ResNetV1c-18 (from scratch, output stride 16), the
# SG/GCI decoder at stride 4, 1,500 iterations of which the first 375 (a
# quarter, as the paper's 5 of 20 epochs) train the classification loss only.
_base_ = [
    '../_base_/datasets/synthetic_wsss.py', '../_base_/wsss_runtime.py',
    '../_base_/schedules/schedule_cam_cpu.py'
]
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size_divisor=16)
model = dict(
    type='SingleStageSegmentor',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='ResNetV1c', depth=18, stem_channels=32, base_channels=32,
        num_stages=4, out_indices=(0, 1, 2, 3), strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2), norm_cfg=norm_cfg, contract_dilation=True,
        style='pytorch'),
    decode_head=dict(
        type='SingleStageHead', in_channels=256, in_index=3,
        c1_in_channels=32, c1_channels=48, c1_index=0, channels=64,
        dilations=(1, 6, 12, 18), dropout_ratio=0.1, num_classes=11,
        norm_cfg=norm_cfg, align_corners=False, psi=0.3, use_sg=True),
    loss_cls=dict(type='mmpretrain.CrossEntropyLoss', use_sigmoid=True),
    train_cfg=dict(focal_p=3.0, focal_lambda=0.01, eps=1.0, bg_cutoff=0.7,
                   fg_cutoff=0.6, cutoff_floor=0.2, pamr_iters=10,
                   pamr_dilations=(1, 2, 4, 8, 12, 24)),
    test_cfg=dict(scales=(1.0, ), flip=False, bg_power=3.0, restrict='pred',
                  score_thr=0.1, use_pamr=False))
custom_hooks = [
    dict(type='NumClassCheckHook'),
    dict(type='SegLossWarmupHook', warmup_iters=375),
]
# mIoU and contour F (HFPL) of the predicted masks (classes kept by
# image-level confidence > 0.1, no GT labels) and classification mAP of
# sigmoid(nGWP + focal)
val_evaluator = dict(
    type='MetricList',
    members=[
        dict(type='MultiLabelMAPMetric'),
        dict(type='IoUMetric', iou_metrics=['mIoU']),
        dict(type='BoundaryFMetric'),
    ])
test_evaluator = val_evaluator
randomness = dict(seed=0)
