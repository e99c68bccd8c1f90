# IRN's affinity labels (cam_to_ir_label.py) for the synthetic default:
# constant backgrounds 0.30 and 0.05, each argmax CRF'd on hard labels
# (gt_prob 0.7, irn preset); background where both say so, 255 elsewhere.
_base_ = '../_base_/datasets/synthetic_wsss.py'
custom_imports = dict(imports=['mmwsss'], allow_failed_imports=False)
pseudo_label_cfg = dict(
    generator=dict(type='IRNAffinityLabels', fg_threshold=0.30,
                   bg_threshold=0.05, gt_prob=0.7, crf='irn'))
