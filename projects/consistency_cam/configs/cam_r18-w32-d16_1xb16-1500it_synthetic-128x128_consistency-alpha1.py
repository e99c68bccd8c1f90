# Consistency-CAM with alpha 1: the reconstruction weight ablation.
_base_ = '../../../configs/consistency_cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_consistency.py'  # noqa: E501
model = dict(consistency_losses=[
    dict(type='PuzzleConsistencyLoss',
         grids=[(r, c) for r in (1, 2, 4) for c in (1, 2, 4)],
         flip_prob=0.5, scale_range=(0.75, 1.25), alpha=1.0,
         ramp_iters=750, p=1, pcls_weight=1.0)
])
