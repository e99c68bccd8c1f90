# PMM multi-crop CAM training and inference (§3.5 / §4.1) on the synthetic
# default, scaled from VOC (crop 448 / stride 300 on ~500 px images) to the
# 128 px images: crop 96, stride 64, scales 0.75-2.0. Training crops are
# re-tagged from a base classifier's CAMs (tools/gen_cams.py output of
# configs/cam/cam_r18-...py on the training split):
#   --cfg-options base_cam_dir=/abs/cams
_base_ = '../cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'
base_cam_dir = 'work_dirs/pmm/cams_base'
scales = (0.75, 1.0, 1.25, 1.5, 1.75, 2.0)
crop = 96
train_pipeline = [
    dict(type='LoadVerifiedImageFromFile'),  # names bad images
    dict(type='MultiCropRetag', base_dir=base_cam_dir, scales=scales,
         crop_size=crop, stride=64, confident_thr=0.9, match_thr=0.1),
    dict(type='Resize', scale=(crop, crop), keep_ratio=False),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion', brightness_delta=16,
         contrast_range=(0.8, 1.2), saturation_range=(0.8, 1.2),
         hue_delta=6),
    dict(type='PackWSSSInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
model = dict(
    type='MultiCropCAMClassifier',
    test_cfg=dict(mode='multi_crop', scales=scales, crop_size=crop,
                  stride=64, resize_crops=True, flip=True))
