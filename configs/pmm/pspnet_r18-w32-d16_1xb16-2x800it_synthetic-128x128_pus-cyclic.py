# PUS round (800 iters) + one cyclic pseudo-mask round (800 iters) in one run:
# after iteration 800 the model re-labels the training split (multi-scale +
# flip, averaged softmax), training switches to those masks, PUS is turned
# off (PUSLoss off_from_round=1 reads the hook's round; the paper uses PUS in the first round only) and the lr restarts.
_base_ = './pspnet_r18-w32-d16_1xb16-800it_synthetic-128x128_pus.py'
round_iters = 800
train_cfg = dict(max_iters=2 * round_iters, val_interval=round_iters)
param_scheduler = [
    dict(type='LinearLR', start_factor=0.1, by_epoch=False, begin=0, end=50),
    dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=50, end=round_iters,
         by_epoch=False),
    dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=round_iters,
         end=2 * round_iters, by_epoch=False),
]
custom_hooks = [
    dict(type='NumClassCheckHook'),
    dict(type='CyclicPseudoMaskHook', rounds=[round_iters],
         scales=(0.75, 1.0, 1.25), flip=True, crf=None, restart_lr=True),
]
