# HFPL (Jonnarth et al., WACV 2024) on the foundation CAM classifier:
# (1 - lambda) GAP-BCE + lambda ISL (lambda = 0.2, 10 samples per class) and
# FSL (sigma 5, mu 2.5) on the raw CAMs. The synthetic CAM grid is 8 x 8
# (128 px at output stride 16).
_base_ = '../cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'
lam = 0.2
model = dict(cam_head=dict(
    loss_cls=dict(type='MultiLabelSoftMarginLoss', loss_weight=1 - lam),
    cam_losses=[
        dict(type='ISLLoss', num_samples=10, loss_weight=lam),
        dict(type='FSLLoss', sigma=5.0, mu=2.5, loss_weight=1.0),
    ]))
