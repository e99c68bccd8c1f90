# Consistency-CAM's random tile grids alone (rows, cols in {1, 2, 4}; no
# flip, no rescale), alpha 4: separates the grid randomness from the
# augmentations.
_base_ = '../../../configs/consistency_cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_consistency.py'  # noqa: E501
model = dict(consistency_losses=[
    dict(type='PuzzleConsistencyLoss',
         grids=[(r, c) for r in (1, 2, 4) for c in (1, 2, 4)],
         flip_prob=0.0, scale_range=(1.0, 1.0), alpha=4.0,
         ramp_iters=750, p=1, pcls_weight=1.0)
])
