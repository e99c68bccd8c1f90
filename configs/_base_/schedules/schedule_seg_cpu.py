# Final-stage schedule for the CPU default: AdamW, poly lr, iteration based.
optimizer = dict(type='AdamW', lr=0.002, weight_decay=1e-4)
optim_wrapper = dict(type='OptimWrapper', optimizer=optimizer, clip_grad=None)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=50),
    dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=50, end=800,
         by_epoch=False),
]
train_cfg = dict(type='IterBasedTrainLoop', max_iters=800, val_interval=800)
val_cfg = dict(type='ValLoop')
test_cfg = dict(type='TestLoop')
default_hooks = dict(
    timer=dict(type='IterTimerHook'),
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    param_scheduler=dict(type='ParamSchedulerHook'),
    checkpoint=dict(type='AtomicCheckpointHook', by_epoch=False, interval=400,
                    max_keep_ckpts=1),
    sampler_seed=dict(type='DistSamplerSeedHook'),
    # a checkpoint must fit the model (mmengine only warns); every rank keeps
    # the same BN statistics (validation = the saved model)
    strict_load=dict(type='StrictLoadHook'),
    sync_buffers=dict(type='BufferSyncHook'),
    # draws only with tools/test.py --show/--show-dir; every batch (mmseg's
    # interval 50 is more than the 32 validation batches of 16 images)
    visualization=dict(type='SegVisualizationHook', interval=1))
