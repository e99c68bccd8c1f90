# Consistency-CAM with two random views per step (two loss entries with
# their own prefixes). Each view gets half the weight (alpha 2, pcls 0.5),
# so the total weight of the regulariser equals the one-view config's.
_base_ = './cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_consistency.py'
max_iters = 1500
view = dict(type='PuzzleConsistencyLoss',
            grids=[(r, c) for r in (1, 2, 4) for c in (1, 2, 4)],
            flip_prob=0.5, scale_range=(0.75, 1.25), alpha=2.0,
            ramp_iters=max_iters // 2, p=1, pcls_weight=0.5)
model = dict(consistency_losses=[
    dict(view, prefix='loss_view1'),
    dict(view, prefix='loss_view2'),
])
