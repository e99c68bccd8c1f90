# HFPL ablation: FSL only, sigma 2 CAM pixels (between the relative-extent
# 0.71 and the paper's 5 px on the 8 x 8 synthetic grid).
_base_ = '../../../configs/hfpl/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_fsl.py'  # noqa: E501
model = dict(cam_head=dict(cam_losses=[
    dict(type='FSLLoss', sigma=2.0, mu=2.5, loss_weight=1.0)
]))
