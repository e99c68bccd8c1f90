# MS COCO 2014 (82,081 train / 40,137 val), 81 classes, image-level labels.
# Masks: python tools/dataset_converters/coco_wsss.py data/coco
_base_ = './voc12aug_wsss.py'
dataset_type = 'COCOWSSSDataset'
data_root = 'data/coco'
train_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='train2014', seg_map_path='mask/train2014'),
        instances_file='annotations/instances_train2014.json',
        pipeline={{_base_.train_pipeline}}))
val_dataloader = dict(
    dataset=dict(
        _delete_=True,
        type=dataset_type,
        data_root=data_root,
        data_prefix=dict(img_path='val2014', seg_map_path='mask/val2014'),
        instances_file='annotations/instances_val2014.json',
        pipeline={{_base_.test_pipeline}}))
test_dataloader = val_dataloader
