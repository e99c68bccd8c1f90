# IRN's affinity labels (cam_to_ir_label.py) for VOC train_aug; the rule
# Puzzle-CAM and Consistency-CAM use before their AffinityNet.
_base_ = '../_base_/datasets/voc12aug_wsss.py'
custom_imports = dict(imports=['mmwsss'], allow_failed_imports=False)
pseudo_label_cfg = dict(
    generator=dict(type='IRNAffinityLabels', fg_threshold=0.30,
                   bg_threshold=0.05, gt_prob=0.7, crf='irn'))
