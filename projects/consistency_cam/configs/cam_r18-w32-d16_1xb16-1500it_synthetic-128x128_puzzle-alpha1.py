# Puzzle-CAM with alpha 1 (the default of the authors' training script;
# their "optimal" recipe uses 4): the reconstruction weight ablation.
_base_ = '../../../configs/consistency_cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_puzzle.py'  # noqa: E501
model = dict(consistency_losses=[
    dict(type='PuzzleConsistencyLoss', grids=[(2, 2)], alpha=1.0,
         ramp_iters=750, p=1, pcls_weight=1.0)
])
