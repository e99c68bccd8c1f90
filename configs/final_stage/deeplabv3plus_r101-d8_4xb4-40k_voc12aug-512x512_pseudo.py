# mmseg's own DeepLabv3+ (ResNet-101) VOC config trained on pseudo-labels.
_base_ = 'mmseg::deeplabv3plus/deeplabv3plus_r101-d8_4xb4-40k_voc12aug-512x512.py'
# mmwsss's checkpoint loader (torch >= 2.6) for mmseg's own tools and apis
custom_imports = dict(imports=['mmwsss'], allow_failed_imports=False)
# crash-safe checkpoint saves, checkpoints that must fit the model, the
# same BN statistics on every rank (mmwsss.engine.hooks, docs/reliability.md)
default_hooks = dict(checkpoint=dict(type='AtomicCheckpointHook'),
                     strict_load=dict(type='StrictLoadHook'),
                     sync_buffers=dict(type='BufferSyncHook'))
# names a mask whose values are outside the head's classes
custom_hooks = [dict(type='NumClassCheckHook')]
pseudo_label_dir = 'pseudo_labels'  # relative to data_root, or absolute
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type='PascalVOCDataset',
        data_root='data/VOCdevkit/VOC2012',
        data_prefix=dict(img_path='JPEGImages', seg_map_path=pseudo_label_dir),
        ann_file='ImageSets/Segmentation/train_aug.txt',
        pipeline={{_base_.train_pipeline}}))
