# The synthetic configs' backbone: mmseg's ResNetV1c-18 at half width (base
# 32 channels), output stride 16 (stage 4 dilated). One definition for the
# CAM classifier, the proxy pre-training classifier (whose weights the
# others start from: configs/_base_/pretrained), SEAM's, the single-stage
# network and AffinityNet; a config picks its out_indices.
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    backbone=dict(
        type='ResNetV1c',
        depth=18,
        stem_channels=32,
        base_channels=32,
        num_stages=4,
        out_indices=(3, ),
        strides=(1, 2, 2, 1),
        dilations=(1, 1, 1, 2),
        norm_cfg=norm_cfg,
        contract_dilation=True,
        style='pytorch'))
