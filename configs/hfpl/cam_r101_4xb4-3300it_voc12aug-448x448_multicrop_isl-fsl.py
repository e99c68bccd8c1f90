# HFPL on PMM's VOC CAM stage (GPU): the ResNet-101 multi-crop classifier of
# configs/pmm (448 px crops, output stride 16 -> 28 x 28 grid) with ISL
# (lambda 0.2) and FSL (sigma 5 CAM pixels, as in the paper).
_base_ = '../pmm/cam_r101_4xb4-3300it_voc12aug-448x448_multicrop.py'
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
