# PMM final stage on VOC (paper §4.1): mmseg's own PSPNet (ResNet-101-v1c,
# ImageNet weights), 20k iterations, crop 512, batch 4 x 4, SGD lr 0.005 with
# poly decay to 1e-4, trained on PPMG pseudo-masks with PUS (clamp,
# beta = kappa = 0.5) on the decode and the auxiliary head. Validation stays
# on the real VOC val masks. The paper's best (70.0 val) uses Res2Net-101,
# which mmseg does not ship; swap the backbone to reproduce it.
_base_ = 'mmseg::pspnet/pspnet_r101-d8_4xb4-20k_voc12aug-512x512.py'
custom_imports = dict(imports=['mmwsss'], allow_failed_imports=False)
# crash-safe checkpoint saves, checkpoints that must fit the model, the
# same BN statistics on every rank (mmwsss.engine.hooks, docs/reliability.md)
default_hooks = dict(checkpoint=dict(type='AtomicCheckpointHook'),
                     strict_load=dict(type='StrictLoadHook'),
                     sync_buffers=dict(type='BufferSyncHook'))
# names a mask whose values are outside the head's classes
custom_hooks = [dict(type='NumClassCheckHook')]
pseudo_label_dir = 'pseudo_labels/ppmg'  # relative to data_root, or absolute
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='PascalVOCDataset',
        data_root='data/VOCdevkit/VOC2012',
        data_prefix=dict(img_path='JPEGImages', seg_map_path=pseudo_label_dir),
        ann_file='ImageSets/Segmentation/train_aug.txt',
        pipeline={{_base_.train_pipeline}}))
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
optim_wrapper = dict(optimizer=dict(lr=0.005))
param_scheduler = [
    dict(type='PolyLR', eta_min=1e-4, power=0.9, begin=0, end=20000,
         by_epoch=False)
]
