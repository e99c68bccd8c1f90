# PMM final stage on the synthetic default with the Pretended Under-fitting
# Strategy (eq. 10-13) on both the decode and the auxiliary head (each gates
# on its own loss): beta = kappa = 0.5, clamp, as the paper's VOC setting.
_base_ = './pspnet_r18-w32-d16_1xb16-800it_synthetic-128x128_ce.py'
# off_from_round=1: PUS is off once CyclicPseudoMaskHook has re-labelled
# the training split (the paper uses PUS in the first round only); without
# the hook it never turns off
pus = dict(_delete_=True, type='PUSLoss', beta=0.5, kappa=0.5, mode='clamp',
           off_from_round=1)
model = dict(
    decode_head=dict(loss_decode=dict(
        **pus, loss_cfg=dict(type='CrossEntropyLoss', use_sigmoid=False,
                             loss_weight=1.0))),
    auxiliary_head=dict(loss_decode=dict(
        **pus, loss_cfg=dict(type='CrossEntropyLoss', use_sigmoid=False,
                             loss_weight=0.4))))
