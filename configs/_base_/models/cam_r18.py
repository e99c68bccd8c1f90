# A small CAM classifier for CPU: ResNetV1c-18 at half width (base 32
# channels), output stride 16. On 2 CPU cores, batch 16 at 128 px: 0.13 s per
# iteration (full width: 0.38 s; full width at stride 8: 0.84 s).
_base_ = './r18-w32-d16.py'  # the backbone
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
    cam_head=dict(
        type='CAMHead',
        in_channels=256,
        num_classes=11,
        loss_cls=dict(type='mmpretrain.CrossEntropyLoss', use_sigmoid=True)),
    test_cfg=dict(bg_threshold=0.25, restrict='gt'))
