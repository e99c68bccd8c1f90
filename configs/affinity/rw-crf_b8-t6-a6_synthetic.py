# The random walk followed by one dense-CRF iteration on the walked scores
# (HFPL's infer_aff_voc.py --crf True: crf_inference(..., t=1)).
_base_ = './rw_b8-t6-a6_synthetic.py'
pseudo_label_cfg = dict(
    refiners=[
        dict(type='AffinityRandomWalk', config={{_base_.affinity_config}},
             checkpoint='work_dirs/affinitynet_r18-w32-d16_1xb16-800it_'
             'synthetic-128x128/iter_800.pth',
             beta=8, logt=6),
        dict(type='DenseCRF', preset='psa', iterations=1)
    ])
