# Random-walk pseudo-labels (PSA §3.4 with HFPL's infer_aff_voc.py settings:
# background (1 - max CAM)^6, beta 8, logt 6) for the synthetic default:
#   python tools/make_pseudo_labels.py \
#       configs/affinity/rw_b8-t6-a6_synthetic.py --cams CAM_DIR \
#       --out data/synthetic/pseudo_labels/rw \
#       --cfg-options pseudo_label_cfg.refiners.0.checkpoint=AFFNET.pth
# The checkpoint is an AffinityNet trained with the config below.
_base_ = '../_base_/datasets/synthetic_wsss.py'
custom_imports = dict(imports=['mmwsss'], allow_failed_imports=False)
affinity_config = '{{fileDirname}}/affinitynet_r18-w32-d16_1xb16-800it_synthetic-128x128.py'  # noqa: E501
pseudo_label_cfg = dict(
    bg_alpha=6,
    refiners=[
        dict(type='AffinityRandomWalk', config=affinity_config,
             checkpoint='work_dirs/affinitynet_r18-w32-d16_1xb16-800it_'
             'synthetic-128x128/iter_800.pth',
             beta=8, logt=6)
    ])
