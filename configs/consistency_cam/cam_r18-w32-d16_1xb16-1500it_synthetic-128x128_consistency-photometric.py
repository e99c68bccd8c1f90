# Consistency-CAM with a photometric view: the random grid / flip / rescale
# view also gets a per-image brightness (+-0.2 std) and contrast (x[0.8,
# 1.2]) change before it is tiled.
_base_ = './cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_consistency.py'
max_iters = 1500
model = dict(consistency_losses=[
    dict(type='PuzzleConsistencyLoss',
         grids=[(r, c) for r in (1, 2, 4) for c in (1, 2, 4)],
         flip_prob=0.5, scale_range=(0.75, 1.25),
         photometric=dict(brightness=0.2, contrast=0.2), alpha=4.0,
         ramp_iters=max_iters // 2, p=1, pcls_weight=1.0)
])
