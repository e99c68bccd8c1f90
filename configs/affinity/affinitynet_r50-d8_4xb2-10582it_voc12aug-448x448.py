# AffinityNet (PSA, Ahn & Kwak, CVPR 2018) on VOC 2012 + SBD train_aug (GPU):
# ResNet-50 (ImageNet) stages 2-4 at output stride 8 (PSA: ResNet-38, which
# OpenMMLab does not ship), 1x1 projections 64 / 128 / 256 + ELU, a 448-ch
# embedding, pairs within radius 5. PSA's train_aff.py schedule: batch 8,
# 8 epochs (10,582 iterations), SGD lr 0.1 poly 0.9, weight decay 5e-4, the
# new layers at 10x lr; random long side 448-768, colour jitter, crop 448.
# Trained on affinity labels (PNG, 255 ignored) made by
# psa-affinity-labels_a4-a32_voc12aug.py (or the IRN rule), never the masks.
_base_ = [
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_cam_voc.py'
]
affinity_label_dir = 'affinity_labels'   # relative to data_root, or absolute
crop_size = (448, 448)
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
    type='AffinityNet',
    data_preprocessor=data_preprocessor,
    backbone=dict(
        type='mmpretrain.ResNet',
        depth=50,
        num_stages=4,
        out_indices=(1, 2, 3),
        strides=(1, 2, 1, 1),
        dilations=(1, 1, 2, 4),
        norm_cfg=norm_cfg,
        norm_eval=True,
        frozen_stages=1,
        init_cfg=dict(type='Pretrained',
                      checkpoint='torchvision://resnet50')),
    in_channels=(512, 1024, 2048),
    embed_channels=(64, 128, 256),
    out_channels=448,
    radius=5)
train_pipeline = [
    dict(type='LoadVerifiedImageFromFile'),  # names bad images
    dict(type='LoadAnnotations'),             # the affinity labels
    dict(type='RandomResize', scale=(768, 768), ratio_range=(448 / 768, 1.0),
         keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    batch_size=2,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type='PascalVOCDataset',
        data_root='data/VOCdevkit/VOC2012',
        data_prefix=dict(img_path='JPEGImages',
                         seg_map_path=affinity_label_dir),
        ann_file='ImageSets/Segmentation/train_aug.txt',
        pipeline=train_pipeline))
optimizer = dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=5e-4)
optim_wrapper = dict(
    optimizer=optimizer,
    paramwise_cfg=dict(_delete_=True,
                       custom_keys={'proj': dict(lr_mult=10.0),
                                    'embed': dict(lr_mult=10.0)}))
param_scheduler = [
    dict(type='PolyLR', eta_min=0.0, power=0.9, begin=0, end=10582,
         by_epoch=False),
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=10582,
                 val_interval=10582)
default_hooks = dict(checkpoint=dict(interval=10582),
                     visualization=dict(type='SegVisualizationHook'))
val_cfg = None
val_dataloader = None
val_evaluator = None
test_cfg = None
test_dataloader = None
test_evaluator = None
