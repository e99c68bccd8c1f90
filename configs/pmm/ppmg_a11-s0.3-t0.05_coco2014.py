# PPMG pseudo-masks for COCO 2014 train (82,081 images).
_base_ = '../_base_/datasets/coco2014_wsss.py'
custom_imports = dict(imports=['mmwsss'], allow_failed_imports=False)
pseudo_label_cfg = dict(
    generator=dict(type='PPMG', alpha=11, cvs=dict(t=0.05, s=0.3),
                   crf='pmm', fg_threshold=0.5, label_offset=1))
