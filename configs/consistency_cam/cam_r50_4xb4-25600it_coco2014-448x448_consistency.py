# Consistency-CAM on the COCO 2014 ResNet-50 CAM classifier (GPU): random
# tile grids rows, cols in {1, 2, 4}, flip p 0.5, rescale [0.75, 1.25],
# alpha 4 ramped over the first half.
_base_ = '../cam/cam_r50_4xb4-25600it_coco2014-448x448.py'
max_iters = 25600
model = dict(consistency_losses=[
    dict(type='PuzzleConsistencyLoss',
         grids=[(r, c) for r in (1, 2, 4) for c in (1, 2, 4)],
         flip_prob=0.5, scale_range=(0.75, 1.25), alpha=4.0,
         ramp_iters=max_iters // 2, p=1, pcls_weight=1.0)
])
