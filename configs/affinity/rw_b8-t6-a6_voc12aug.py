# Random-walk pseudo-labels for VOC train_aug (HFPL's settings: alpha 6,
# beta 8, logt 6; PSA: logt 8). A VOC image is ~2,900 cells at stride 8
# (35 MB per dense transition matrix); run on a GPU with device='cuda'.
_base_ = '../_base_/datasets/voc12aug_wsss.py'
custom_imports = dict(imports=['mmwsss'], allow_failed_imports=False)
affinity_config = '{{fileDirname}}/affinitynet_r50-d8_4xb2-10582it_voc12aug-448x448.py'  # noqa: E501
pseudo_label_cfg = dict(
    bg_alpha=6,
    refiners=[
        dict(type='AffinityRandomWalk', config=affinity_config,
             checkpoint='work_dirs/affinitynet_r50-d8_4xb2-10582it_'
             'voc12aug-448x448/iter_10582.pth',
             beta=8, logt=6, device='cpu')
    ])
