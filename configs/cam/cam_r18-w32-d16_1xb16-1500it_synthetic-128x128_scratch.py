# The foundation CAM classifier from random weights: the synthetic
# benchmark before it started from the proxy-pretrained backbone (the
# from-scratch columns of the method READMEs). Every other synthetic config
# has the same switch: model.backbone.init_cfg=None (recipes: --scratch).
_base_ = './cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'
model = dict(backbone=dict(init_cfg=None))
