# PUS round + one cyclic pseudo-mask round on VOC in one run (paper §3.5:
# one cycle on VOC, PUS in the first round only). After 20k iterations the
# model re-labels train_aug (scales 0.75/1.0/1.25 + flip, averaged softmax;
# each GPU writes its shard), training switches to the new masks, PUS is
# disabled and the lr restarts. To retrain from ImageNet weights instead,
# use tools/predict_pseudo_labels.py + ..._pmm-pus.py with PUS off
# (see configs/pmm/README.md).
_base_ = './pspnet_r101-d8_4xb4-20k_voc12aug-512x512_pmm-pus.py'
round_iters = 20000
train_cfg = dict(max_iters=2 * round_iters, val_interval=round_iters)
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=round_iters,
         by_epoch=False),
    dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=round_iters,
         end=2 * round_iters, by_epoch=False),
]
custom_hooks = [
    dict(type='NumClassCheckHook'),
    dict(type='CyclicPseudoMaskHook', rounds=[round_iters],
         scales=(0.75, 1.0, 1.25), flip=True, crf=None, restart_lr=True),
]
