# PMM final stage on the synthetic default, plain cross-entropy (the
# baseline of the PUS ablation): mmseg's PSPNet with a half-width ResNet-18 at
# output stride 16, trained from scratch on a pseudo-label folder.
#   --cfg-options pseudo_label_dir=/abs/dir  (or edit below)
_base_ = [
    'mmseg::_base_/models/pspnet_r50-d8.py',
    '../_base_/datasets/synthetic_seg.py',
    '../_base_/default_runtime.py',
    '../_base_/schedules/schedule_seg_cpu.py'
]
pseudo_label_dir = 'pseudo_labels/ppmg'  # relative to data_root, or absolute
norm_cfg = dict(type='BN', requires_grad=True)
model = dict(
    pretrained=None,
    data_preprocessor=dict(size=(128, 128)),
    backbone=dict(depth=18, stem_channels=32, base_channels=32,
                  strides=(1, 2, 2, 1), dilations=(1, 1, 1, 2),
                  norm_cfg=norm_cfg),
    decode_head=dict(in_channels=256, channels=64, num_classes=11,
                     norm_cfg=norm_cfg),
    auxiliary_head=dict(in_channels=128, channels=32, num_classes=11,
                        norm_cfg=norm_cfg))
train_dataloader = dict(
    dataset=dict(data_prefix=dict(seg_map_path=pseudo_label_dir)))
randomness = dict(seed=0)
