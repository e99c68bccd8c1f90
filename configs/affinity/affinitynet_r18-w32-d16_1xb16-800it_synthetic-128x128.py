# AffinityNet (PSA, Ahn & Kwak, CVPR 2018) on the embedded synthetic dataset
# (2 CPU cores): the half-width ResNetV1c-18 of the CAM classifier, stages 2-4
# projected to 64 / 128 / 256 channels (ELU), a 448-channel embedding on the
# stride-8 grid, pairs within radius 5. Trained on the fused confident labels
# made from CAMs (affinity_label_dir: PNGs, 255 ignored; never the GT masks),
# PSA's loss bg/4 + fg/4 + neg/2. No validation: the model has no masks of
# its own; its affinities refine CAMs through AffinityRandomWalk.
_base_ = [
    '../_base_/models/r18-w32-d16.py', '../_base_/datasets/synthetic_seg.py',
    '../_base_/default_runtime.py', '../_base_/schedules/schedule_seg_cpu.py'
]
affinity_label_dir = 'affinity_labels'   # relative to data_root, or absolute
data_preprocessor = dict(
    type='SegDataPreProcessor',
    mean=[123.675, 116.28, 103.53],
    std=[58.395, 57.12, 57.375],
    bgr_to_rgb=True,
    pad_val=0,
    seg_pad_val=255,
    size_divisor=8)
model = dict(
    type='AffinityNet',
    data_preprocessor=data_preprocessor,
    backbone=dict(out_indices=(1, 2, 3)),
    in_channels=(64, 128, 256),
    embed_channels=(64, 128, 256),
    out_channels=448,
    radius=5)
train_pipeline = [
    dict(type='LoadVerifiedImageFromFile'),  # names bad images
    dict(type='LoadAnnotations'),             # the affinity labels
    dict(type='RandomResize', scale=(128, 128), ratio_range=(1.0, 1.5),
         keep_ratio=True),
    dict(type='RandomCrop', crop_size=(128, 128)),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion', brightness_delta=16,
         contrast_range=(0.8, 1.2), saturation_range=(0.8, 1.2),
         hue_delta=6),
    dict(type='PackSegInputs'),
]
train_dataloader = dict(
    batch_size=16,
    dataset=dict(data_prefix=dict(seg_map_path=affinity_label_dir),
                 pipeline=train_pipeline))
train_cfg = dict(type='IterBasedTrainLoop', max_iters=800, val_interval=800)
val_cfg = None
val_dataloader = None
val_evaluator = None
randomness = dict(seed=0)
test_cfg = None
test_dataloader = None
test_evaluator = None
