# The common literature schedule for CAM classifiers on VOC (IRN-style):
# SGD, batch 16, poly lr, 10x lr on the head, ~5 epochs of train_aug.
optimizer = dict(type='SGD', lr=0.01, momentum=0.9, weight_decay=1e-4)
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=optimizer,
    paramwise_cfg=dict(custom_keys={'cam_head': dict(lr_mult=10.0)}))
param_scheduler = [
    dict(type='PolyLR', eta_min=0.0, power=0.9, begin=0, end=3300,
         by_epoch=False),
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=3300, val_interval=3300)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='AtomicCheckpointHook', by_epoch=False, interval=1100),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # a checkpoint must fit the model (mmengine only warns); every rank keeps
    # the same BN statistics (validation = the saved model)
    strict_load=dict(type='StrictLoadHook'),
    sync_buffers=dict(type='BufferSyncHook'),
    visualization=dict(type='SegVisualizationHook'))
