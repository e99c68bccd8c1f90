# Reference: mmseg's DeepLabv3+ on the synthetic GT masks (fully supervised).
# A half-width ResNet-18 at output stride 16, trained from scratch, so it
# runs on 2 CPU cores (0.23 s per iteration, batch 16 at 128 px; 0.43 s at
# output stride 8).
_base_ = [
    'mmseg::_base_/models/deeplabv3plus_r50-d8.py',
    '../_base_/datasets/synthetic_seg.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_seg_cpu.py'
]
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    pretrained=None,
    data_preprocessor=dict(size=(128, 128)),
    backbone=dict(depth=18, stem_channels=32, base_channels=32,
                  strides=(1, 2, 2, 1), dilations=(1, 1, 1, 2),
                  norm_cfg=norm_cfg),
    decode_head=dict(in_channels=256, channels=64, c1_in_channels=32,
                     c1_channels=12, dilations=(1, 6, 12, 18),
                     num_classes=11, norm_cfg=norm_cfg),
    auxiliary_head=dict(in_channels=128, channels=32, num_classes=11,
                        norm_cfg=norm_cfg))
env_cfg = dict(cudnn_benchmark=False)
randomness = dict(seed=0)
