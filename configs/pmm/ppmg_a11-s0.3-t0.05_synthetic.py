# PPMG pseudo-masks (PMM §3.4) for the synthetic default's training split:
#   python tools/make_pseudo_labels.py configs/pmm/ppmg_a11-s0.3-t0.05_synthetic.py \
#       --cams CAM_DIR --out data/synthetic/pseudo_labels/ppmg --nproc 2
# CVS (t = 0.05, s = 0.3), per-class CRF with the PMM preset (gaussian sxy 3
# compat 10, bilateral sxy 80 srgb 13 compat 10, 10 iterations), alpha = 11.
_base_ = '../_base_/datasets/synthetic_wsss.py'
custom_imports = dict(imports=['mmwsss'], allow_failed_imports=False)
pseudo_label_cfg = dict(
    generator=dict(type='PPMG', alpha=11, cvs=dict(t=0.05, s=0.3),
                   crf='pmm', fg_threshold=0.5, label_offset=1))
