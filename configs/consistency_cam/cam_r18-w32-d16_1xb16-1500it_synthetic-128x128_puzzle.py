# Puzzle-CAM (Jo & Yu, ICIP 2021) on the foundation CAM classifier: every
# step the batch is also cut into 2 x 2 tiles, the tile CAMs are merged
# (A^re) and trained with BCE(GAP(A^re), y) + alpha |A^s - A^re|_1 on the
# present classes; alpha 4, ramped linearly over the first half of training
# (the authors' optimal setting: --re_loss L1_Loss --re_loss_option masking
# --alpha 4 --alpha_schedule 0.5).
_base_ = '../cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'
max_iters = 1500
model = dict(consistency_losses=[
    dict(type='PuzzleConsistencyLoss', grids=[(2, 2)], alpha=4.0,
         ramp_iters=max_iters // 2, p=1, pcls_weight=1.0)
])
