# MILe on ImageNet (GPU), the reference code's k1/k2 recipe: ResNet-50 from
# scratch, a sigmoid per class (BCE summed over classes, averaged over the
# batch; bias -log(1000) = -6.9078), SGD lr 0.1 x batch / 256, momentum 0.9,
# weight decay 1e-4, 200,000 iterations, k1 = k2 = 2000, threshold 0.5. The
# reference's iteration script sets no learning-rate schedule (constant).
_base_ = 'mmpretrain::resnet/resnet50_8xb32_in1k.py'
custom_imports = dict(imports=['mmwsss'], allow_failed_imports=False)
max_iters = 200000
model = dict(head=dict(
    _delete_=True,
    type='MultiLabelLinearClsHead',
    num_classes=1000,
    in_channels=2048,
    loss=dict(type='CrossEntropyLoss', use_sigmoid=True, loss_weight=1.0),
    init_cfg=dict(type='Normal', layer='Linear', std=0.01, bias=-6.9078)))
optim_wrapper = dict(
    optimizer=dict(type='SGD', lr=0.1, momentum=0.9, weight_decay=1e-4))
param_scheduler = [dict(type='ConstantLR', factor=1.0, by_epoch=False)]
train_cfg = dict(_delete_=True, type='IterBasedTrainLoop',
                 max_iters=max_iters, val_interval=10000)
default_hooks = dict(
    checkpoint=dict(_delete_=True, type='mmseg.AtomicCheckpointHook',
                    by_epoch=False, interval=10000, max_keep_ckpts=3),
    # a checkpoint must fit the model; ranks keep the same BN statistics
    strict_load=dict(type='mmseg.StrictLoadHook'),
    sync_buffers=dict(type='mmseg.BufferSyncHook'),
    logger=dict(type='LoggerHook', interval=100, log_metric_by_epoch=False))
log_processor = dict(by_epoch=False)
custom_hooks = [
    dict(type='mmseg.MILeHook', k1=2000, k2=2000, threshold=0.5,
         sample=False, or_given=False)
]
