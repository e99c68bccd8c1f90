# SEAM (Wang et al., CVPR 2020) on VOC 2012 + SBD (GPU): mmwsss's ResNet-50 CAM
# classifier (SEAM uses ResNet-38, which mmseg does not ship) with the PCM on
# stages 2 and 3 (512 and 1024 channels, as ResNet-38's conv4 and conv5),
# the 0.3-scale second view, ER, ECR (top 20 %) and the min-pooling term
# composed as the authors' train_SEAM.py. Inference uses the PCM output.
_base_ = '../cam/cam_r50_4xb4-3300it_voc12aug-448x448.py'
model = dict(
    type='SEAMClassifier',
    backbone=dict(out_indices=(1, 2, 3)),
    cam_head=dict(pool_at_input_size=True),
    pcm_in_channels=(512, 1024),
    pcm_indices=(0, 1),
    pcm_channels=(64, 128),
    pcm_out_channels=192,
    scale_factor=0.3,
    ecr_topk=0.2)
