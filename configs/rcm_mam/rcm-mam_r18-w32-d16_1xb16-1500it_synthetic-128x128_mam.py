# Ablation: + MAM only.
_base_ = './rcm-mam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'
model = dict(rcm=None)
