# RCM + MAM (pixel-level self-supervision for WSSS, arXiv 2112.05351) on the
# embedded synthetic dataset (CPU): the synthetic CAM classifier as MainNet F
# (half-width ResNetV1c-18, stride 16) + a 1x1 conv (256, no bias) + ReLU
# before the CAM head; the SupportNet G an EMA of F (alpha 0.997:
# SupportEMAHook momentum 0.003). Views at 0.5 / 1.0 / 2.0; RCM threshold
# 0.20, T 0.5, -log softmax; MAM from 30 % of the schedule (the paper:
# epoch 6 of 20). The schedule is the CAM classifier's, so the ablation
# compares like with like.
_base_ = '../cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'
model = dict(
    type='RCMMAMClassifier',
    in_channels=256,
    feat_channels=256,
    scales=(0.5, 1.0, 2.0),
    rcm=dict(type='RCMLoss', num_classes=11, channels=256, threshold=0.2,
             temperature=0.5, mode='infonce', loss_weight=1.0),
    mam=dict(type='MAMLoss', variant='mam', loss_weight=1.0),
    train_cfg=dict(mam_start_iter=450))
custom_hooks = [
    dict(type='NumClassCheckHook'),
    dict(type='SupportEMAHook', momentum=0.003, interval=1),
]
