# RCM + MAM on VOC 2012 + SBD (GPU). The paper uses ResNet-38 (not in
# OpenMMLab): here mmwsss's ImageNet ResNet-50 CAM classifier (output stride
# 16). The paper's schedule: crop 192, random resize 0.5-1.3, flip, colour
# jitter, batch 16, 20 epochs of train_aug (13,228 iterations), poly lr 0.01
# power 0.9; MAM from epoch 6 (iteration 3,968).
_base_ = '../cam/cam_r50_4xb4-3300it_voc12aug-448x448.py'
crop_size = (192, 192)
model = dict(
    type='RCMMAMClassifier',
    in_channels=2048,
    feat_channels=256,
    scales=(0.5, 1.0, 2.0),
    cam_head=dict(in_channels=256),
    rcm=dict(type='RCMLoss', num_classes=21, channels=256, threshold=0.2,
             temperature=0.5, mode='infonce', loss_weight=1.0),
    mam=dict(type='MAMLoss', variant='mam', loss_weight=1.0),
    train_cfg=dict(mam_start_iter=3968))
train_pipeline = [
    dict(type='LoadVerifiedImageFromFile'),
    dict(type='RandomResize', scale=(512, 512), ratio_range=(0.5, 1.3),
         keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackWSSSInputs'),
]
train_dataloader = dict(batch_size=4, dataset=dict(pipeline=train_pipeline))
optim_wrapper = dict(
    optimizer=dict(lr=0.01),
    paramwise_cfg=dict(custom_keys={'cam_head': dict(lr_mult=10.0),
                                    'proj': dict(lr_mult=10.0)}))
param_scheduler = [
    dict(type='PolyLR', eta_min=0.0, power=0.9, begin=0, end=13228,
         by_epoch=False),
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=13228,
                 val_interval=13228)
default_hooks = dict(checkpoint=dict(interval=3307))
custom_hooks = [
    dict(type='NumClassCheckHook'),
    dict(type='SupportEMAHook', momentum=0.003, interval=1),
]
