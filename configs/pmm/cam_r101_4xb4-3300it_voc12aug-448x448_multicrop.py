# PMM multi-crop CAM classifier on VOC (GPU): ImageNet ResNet-101, crops of
# 448 cut every 300 px at scales 0.75-3.0 (step 0.25), labels re-tagged from
# a base CAM (class kept if > 10 % of its confident (> 0.9) region falls in
# the crop or it covers > 10 % of the crop); inference averages the CAMs of
# all crops (and flips) per pixel. The paper's CAM network is a ResNet-38 /
# ScaleNet (SEAM); any mmseg/mmpretrain backbone can be swapped in.
_base_ = '../cam/cam_r50_4xb4-3300it_voc12aug-448x448.py'
base_cam_dir = 'work_dirs/pmm/voc_cams_base'
scales = tuple(0.75 + 0.25 * i for i in range(10))
train_pipeline = [
    dict(type='LoadVerifiedImageFromFile'),  # names bad images
    dict(type='MultiCropRetag', base_dir=base_cam_dir, scales=scales,
         crop_size=448, stride=300, confident_thr=0.9, match_thr=0.1),
    dict(type='Resize', scale=(448, 448), keep_ratio=False),
    dict(type='RandomFlip', prob=0.5),
    dict(type='PhotoMetricDistortion'),
    dict(type='PackWSSSInputs'),
]
train_dataloader = dict(dataset=dict(pipeline=train_pipeline))
model = dict(
    type='MultiCropCAMClassifier',
    backbone=dict(depth=101, init_cfg=dict(
        type='Pretrained', checkpoint='torchvision://resnet101')),
    test_cfg=dict(mode='multi_crop', scales=scales, crop_size=448,
                  stride=300, resize_crops=True, flip=True, crop_batch=8))
