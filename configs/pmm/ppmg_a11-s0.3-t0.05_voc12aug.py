# PPMG pseudo-masks for VOC train_aug (10,582 images); evaluate on train
# (1,464) with --split-file ImageSets/Segmentation/train.txt.
_base_ = '../_base_/datasets/voc12aug_wsss.py'
custom_imports = dict(imports=['mmwsss'], allow_failed_imports=False)
pseudo_label_cfg = dict(
    generator=dict(type='PPMG', alpha=11, cvs=dict(t=0.05, s=0.3),
                   crf='pmm', fg_threshold=0.5, label_offset=1))
