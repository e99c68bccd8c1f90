# The synthetic configs' backbone (mmseg ResNetV1c-18 at half width, output
# stride 16) as an mmpretrain ImageClassifier for the proxy pre-training
# corpus (25 classes): GAP + a linear classifier. The backbone's weights
# load into the CAM classifier with init_cfg Pretrained prefix='backbone.'.
_base_ = './r18-w32-d16.py'
model = dict(
    type='ImageClassifier',
    data_preprocessor=dict(
        type='ClsDataPreprocessor',
        num_classes=25,
        mean=[123.675, 116.28, 103.53],
        std=[58.395, 57.12, 57.375],
        to_rgb=True),
    # mmpretrain's scope; pre-training starts from random weights
    backbone=dict(type='mmseg.ResNetV1c', init_cfg=None),
    neck=dict(type='GlobalAveragePooling'),
    head=dict(
        type='LinearClsHead',
        num_classes=25,
        in_channels=256,
        loss=dict(type='CrossEntropyLoss', loss_weight=1.0),
        topk=(1, 5)))
