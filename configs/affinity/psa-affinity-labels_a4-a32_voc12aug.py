# PSA's affinity labels (§3.3) for VOC train_aug (10,582 images) from the
# CAMs of any CAM classifier (configs/cam, hfpl, seam, consistency_cam).
_base_ = '../_base_/datasets/voc12aug_wsss.py'
custom_imports = dict(imports=['mmwsss'], allow_failed_imports=False)
pseudo_label_cfg = dict(
    generator=dict(type='PSAAffinityLabels', alpha_low=4, alpha_high=32,
                   crf='psa'))
