# The foundation CAM classifier started from a backbone pre-trained on the
# proxy corpus (sigmoid recipe) instead of the shipped softmax one (the default
# start, configs/_base_/models/r18-w32-d16.py). Make the backbone first
# (cached outside the checkout with its provenance):
#   python tools/pretrain_backbone.py configs/mile/imgcls_r18-w32-d16_1xb32-3k_proxy-128_sigmoid.py
# Schedule and everything else as the default config.
_base_ = './cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'
model = dict(backbone=dict(init_cfg=dict(
    type='Pretrained',
    checkpoint='~/.cache/mmwsss/pretrained/'
    'imgcls_r18-w32-d16_1xb32-3k_proxy-128_sigmoid.pth')))
