# Consistency-CAM on the foundation CAM classifier: Puzzle-CAM's losses with
# the view drawn at random every step: a tile grid rows x cols with rows,
# cols in {1, 2, 4} (1 x 1 = no tiling), a horizontal flip (p 0.5) and a
# rescale in [0.75, 1.25]; the view's merged CAM is mapped back onto the
# whole image's CAM grid before BCE(GAP(A^re), y) + alpha |A^s - A^re|_1.
# alpha 4 ramped over the first half, as Puzzle-CAM.
_base_ = '../cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'
max_iters = 1500
model = dict(consistency_losses=[
    dict(type='PuzzleConsistencyLoss',
         grids=[(r, c) for r in (1, 2, 4) for c in (1, 2, 4)],
         flip_prob=0.5, scale_range=(0.75, 1.25), alpha=4.0,
         ramp_iters=max_iters // 2, p=1, pcls_weight=1.0)
])
