# The literature's CAM classifier: ResNet-50, output stride 16, ImageNet init.
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
    type='CAMClassifier',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='mmpretrain.ResNet',
        depth=50,
        num_stages=4,
        out_indices=(3, ),
        strides=(1, 2, 2, 1),
        norm_cfg=norm_cfg,
        norm_eval=True,
        frozen_stages=1,
        init_cfg=dict(
            type='Pretrained',
            checkpoint='torchvision://resnet50')),
    cam_head=dict(
        type='CAMHead',
        in_channels=2048,
        num_classes=21,
        loss_cls=dict(type='mmpretrain.CrossEntropyLoss', use_sigmoid=True)),
    test_cfg=dict(bg_threshold=0.15, restrict='gt'))
