# HFPL on PMM's CAM stage (synthetic): the multi-crop CAM classifier of
# configs/pmm with (1 - lambda) GAP-BCE + lambda ISL and FSL (sigma 5 CAM
# pixels as in the paper; training crops are 96 px, a 6 x 6 CAM grid).
# Needs the base CAMs of the PMM multi-crop config (base_cam_dir).
_base_ = '../pmm/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_multicrop.py'
lam = 0.2
model = dict(cam_head=dict(
    # HFPL's (SEAM's) script: GAP of the CAMs upsampled to the input
    pool_at_input_size=True,
    loss_cls=dict(type='mmpretrain.CrossEntropyLoss', use_sigmoid=True,
                  loss_weight=1 - lam),
    cam_losses=[
        dict(type='ISLLoss', num_samples=10, loss_weight=lam),
        dict(type='FSLLoss', sigma=5.0, mu=2.5, loss_weight=1.0),
    ]))
