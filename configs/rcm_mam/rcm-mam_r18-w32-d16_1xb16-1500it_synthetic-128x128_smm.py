# Ablation: SMM instead of MAM (only F's 1.0 scale learns G's multi-scale
# CAM), no RCM.
_base_ = './rcm-mam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'
model = dict(rcm=None, mam=dict(variant='smm'))
