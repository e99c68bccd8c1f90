# A small CAM classifier for CPU: ResNetV1c-18, output stride 8.
norm_cfg = dict(type='BN', requires_grad=True)
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size_divisor=8)
model = dict(
    type='CAMClassifier',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='ResNetV1c',
        depth=18,
        num_stages=4,
        out_indices=(3, ),
        strides=(1, 2, 1, 1),
        dilations=(1, 1, 2, 4),
        norm_cfg=norm_cfg,
        contract_dilation=True,
        style='pytorch'),
    cam_head=dict(
        type='CAMHead',
        in_channels=512,
        num_classes=11,
        loss_cls=dict(type='MultiLabelSoftMarginLoss')),
    test_cfg=dict(bg_threshold=0.25, restrict='gt'))
