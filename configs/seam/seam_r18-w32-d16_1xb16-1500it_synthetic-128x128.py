# SEAM (Wang et al., CVPR 2020) on the embedded synthetic dataset (2 CPU
# cores): the foundation CAM classifier's backbone and schedule, with the PCM
# on ResNet stages 2 and 3 (64 and 128 channels at half width), the 0.3-scale
# second view, ER, ECR (top 20 %) and the min-pooling term, composed as the
# authors' train_SEAM.py. Inference uses the PCM output.
_base_ = '../cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'
model = dict(
    type='SEAMClassifier',
    backbone=dict(out_indices=(1, 2, 3)),
    # SEAM's script: GAP of the CAMs upsampled to the input
    cam_head=dict(pool_at_input_size=True),
    pcm_in_channels=(64, 128),
    pcm_indices=(0, 1),
    pcm_channels=(64, 128),
    pcm_out_channels=192,
    scale_factor=0.3,
    ecr_topk=0.2)
