# Puzzle-CAM on the VOC ResNet-50 CAM classifier (4 GPUs x 4 images, 448 px
# crops): 2 x 2 tiles of 224 px, alpha 4 ramped over the first half.
# (The authors train ResNeSt-101 at 512 px for 15 epochs.)
_base_ = '../cam/cam_r50_4xb4-3300it_voc12aug-448x448.py'
max_iters = 3300
model = dict(consistency_losses=[
    dict(type='PuzzleConsistencyLoss', grids=[(2, 2)], alpha=4.0,
         ramp_iters=max_iters // 2, p=1, pcls_weight=1.0)
])
