# PSA's affinity labels (§3.3) for the synthetic default's training split:
#   python tools/make_pseudo_labels.py \
#       configs/affinity/psa-affinity-labels_a4-a32_synthetic.py \
#       --cams CAM_DIR --out data/synthetic/affinity_labels --nproc 2
# Background (1 - max CAM)^alpha with alpha 4 and 32, each CRF'd (psa
# preset) and argmaxed; foreground from alpha 4, background from alpha 32,
# 255 in between. The AffinityNet config trains on the folder.
_base_ = '../_base_/datasets/synthetic_wsss.py'
custom_imports = dict(imports=['mmwsss'], allow_failed_imports=False)
pseudo_label_cfg = dict(
    generator=dict(type='PSAAffinityLabels', alpha_low=4, alpha_high=32,
                   crf='psa'))
