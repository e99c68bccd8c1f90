# Consistency-CAM with Puzzle-CAM-style square grids: n x n tiles with n in
# {1, 2, 4} (instead of every rows x cols), flip p 0.5, rescale
# [0.75, 1.25]; the identity view (1 x 1, no flip, input size) is redrawn.
_base_ = './cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_consistency.py'
max_iters = 1500
model = dict(consistency_losses=[
    dict(type='PuzzleConsistencyLoss',
         grids=[(n, n) for n in (1, 2, 4)],
         flip_prob=0.5, scale_range=(0.75, 1.25), alpha=4.0,
         ramp_iters=max_iters // 2, p=1, pcls_weight=1.0)
])
