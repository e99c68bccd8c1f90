# Pre-training on the proxy corpus, the usual ImageNet recipe: softmax
# cross-entropy on the single label. ~5 epochs of the 20,000 images.
_base_ = [
    '../_base_/models/imgcls_r18-w32-d16.py',
    '../_base_/datasets/synthetic_proxy.py',
    'mmpretrain::_base_/default_runtime.py'
]
custom_imports = dict(imports=['mmwsss'], allow_failed_imports=False)
max_iters = 3000
optim_wrapper = dict(
    type='OptimWrapper',
    optimizer=dict(type='AdamW', lr=0.002, weight_decay=1e-4))
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0,
         end=100),
    dict(type='CosineAnnealingLR', eta_min=1e-5, by_epoch=False, begin=100,
         end=max_iters),
]
train_cfg = dict(by_epoch=False, max_iters=max_iters, val_interval=1000)
val_cfg = dict()
test_cfg = dict()
default_hooks = dict(
    logger=dict(type='LoggerHook', interval=50, log_metric_by_epoch=False),
    checkpoint=dict(_delete_=True, type='mmseg.AtomicCheckpointHook',
                    by_epoch=False, interval=1000, max_keep_ckpts=2),
    # a checkpoint must fit the model; ranks keep the same BN statistics
    strict_load=dict(type='mmseg.StrictLoadHook'),
    sync_buffers=dict(type='mmseg.BufferSyncHook'))
log_processor = dict(by_epoch=False)
randomness = dict(seed=0)
