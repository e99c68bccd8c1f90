# HFPL ablation: FSL only with sigma scaled to HFPL's relative spatial extent
# (5 px of a 56 x 56 grid = 9 % of the side -> 5 * 8 / 56 = 0.71 on the 8 x 8
# synthetic grid): only near neighbours are coupled.
_base_ = '../../../configs/hfpl/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_fsl.py'  # noqa: E501
model = dict(cam_head=dict(cam_losses=[
    dict(type='FSLLoss', sigma=0.71, mu=2.5, loss_weight=1.0)
]))
