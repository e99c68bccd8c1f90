# PASCAL VOC 2012 + SBD (train_aug 10,582 / val 1,449), image-level labels.
# test_pipeline, tta_pipeline and the CAM evaluators: ./wsss_eval.py
_base_ = './wsss_eval.py'
dataset_type = 'VOCWSSSDataset'
data_root = 'data/VOCdevkit/VOC2012'
crop_size = (448, 448)

train_pipeline = [
    dict(type='LoadVerifiedImageFromFile'),  # names bad images
    dict(type='RandomResize', scale=(512, 512), ratio_range=(0.6, 1.5),
         keep_ratio=True),
    dict(type='RandomCrop', crop_size=crop_size),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackWSSSInputs'),
]
train_dataloader = dict(
    batch_size=16,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='InfiniteSampler', shuffle=True),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
        ann_file='ImageSets/Segmentation/train_aug.txt',
        labels_file='cls_labels.json',
        pipeline=train_pipeline))
# CAMs are evaluated on `train` (1,464 images), as in the literature
val_dataloader = dict(
    batch_size=1,
    num_workers=4,
    persistent_workers=True,
    sampler=dict(type='DefaultSampler', shuffle=False),
    dataset=dict(
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(
            img_path='JPEGImages', seg_map_path='SegmentationClassAug'),
        ann_file='ImageSets/Segmentation/train.txt',
        labels_file='cls_labels.json',
        pipeline={{_base_.test_pipeline}}))
test_dataloader = val_dataloader
