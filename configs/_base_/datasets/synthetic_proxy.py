# The proxy pre-training corpus ("proxy ImageNet", single labels, 25
# classes): python tools/make_proxy_dataset.py data/synthetic_proxy
# Training: mmpretrain's CustomDataset on the single labels; augmentation as
# ImageNet's (random resized crop + flip) at the corpus' 128 px.
# Validation: the hidden true multi-labels (MultiLabelDataset, like
# ImageNet-ReaL): mAP and F1 say how much of the label ambiguity a model
# recovers (F1 thresholds pred_score at 0.5: sigmoid for the multi-label
# heads, softmax for the single-label one).
dataset_type = 'CustomDataset'
data_root = 'data/synthetic_proxy'
classes = ('kite', 'lamp', 'moth', 'nest', 'orca', 'pear', 'quay', 'reed',
           'sail', 'tusk', 'acorn', 'bell', 'cone', 'drum', 'fern', 'gourd',
           'harp', 'ibis', 'jar', 'kelp', 'lute', 'mace', 'newt', 'oar',
           'plum')
train_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='RandomResizedCrop', scale=128, crop_ratio_range=(0.35, 1.0)),
    dict(type='RandomFlip', prob=0.5, direction='horizontal'),
    dict(type='PackInputs'),
]
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='PackInputs'),
]
train_dataloader = dict(
    batch_size=32,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=True),
    dataset=dict(type=dataset_type, data_root=data_root, classes=classes,
                 data_prefix='images/train', ann_file='meta/train.txt',
                 pipeline=train_pipeline))
val_dataloader = dict(
    batch_size=64,
    num_workers=2,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(type='MultiLabelDataset', data_root=data_root,
                 data_prefix='images/val', ann_file='meta/val_real.json',
                 pipeline=test_pipeline))
val_evaluator = [
    dict(type='AveragePrecision'),
    dict(type='MultiLabelMetric', thr=0.5, average='micro'),
]
test_dataloader = val_dataloader
test_evaluator = val_evaluator
