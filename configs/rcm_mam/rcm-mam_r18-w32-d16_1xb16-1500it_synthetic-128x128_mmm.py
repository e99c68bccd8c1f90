# Ablation: MMM instead of MAM (every scale learns the mean of G's scales,
# no dissimilarity weighting), no RCM.
_base_ = './rcm-mam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'
model = dict(rcm=None, mam=dict(variant='mmm'))
