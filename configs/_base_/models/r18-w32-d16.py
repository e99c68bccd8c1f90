# The synthetic configs' backbone: mmseg's ResNetV1c-18 at half width (base
# 32 channels), output stride 16 (stage 4 dilated). One definition for the
# CAM classifier, the proxy pre-training classifier (whose weights the
# others start from: configs/_base_/pretrained), SEAM's, the single-stage
# network and AffinityNet; a config picks its out_indices.
#
# It starts from the backbone pre-trained on the proxy corpus (softmax
# recipe; configs/_base_/pretrained/, made by tools/pretrain_backbone.py with
# configs/mile/imgcls_r18-w32-d16_1xb32-3k_proxy-128_softmax.py), as a real
# user's network starts from ImageNet weights: the synthetic benchmark's
# normal start. The `_scratch` configs (and the recipes' --scratch) set
# init_cfg=None for random weights; the pre-training configs do too.
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
        style='pytorch',
        init_cfg=dict(
            type='Pretrained',
            checkpoint='{{ fileDirname }}/../pretrained/'
            'imgcls_r18-w32-d16_1xb32-3k_proxy-128_softmax.pth')))
