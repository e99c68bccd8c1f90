# The foundation CAM classifier started from a backbone pre-trained on the
# proxy corpus (softmax recipe, the usual ImageNet recipe) instead of random
# weights, as a real user starts from ImageNet weights. The backbone ships
# with the configs (configs/_base_/pretrained/: the file, and its record
# with the SHA-256, config, corpus seed, commit and metrics); it was made by
#   python tools/pretrain_backbone.py configs/mile/imgcls_r18-w32-d16_1xb32-3k_proxy-128_softmax.py
# Schedule and everything else as the from-scratch config.
_base_ = './cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'
model = dict(backbone=dict(init_cfg=dict(
    type='Pretrained',
    checkpoint='{{ fileDirname }}/../_base_/pretrained/'
    'imgcls_r18-w32-d16_1xb32-3k_proxy-128_softmax.pth')))
