# CAM classifier on VOC 2012 + SBD with an ImageNet ResNet-50 (GPU).
_base_ = [
    '../_base_/models/cam_r50.py', '../_base_/datasets/voc12aug_wsss.py',
    '../_base_/wsss_runtime.py', '../_base_/schedules/schedule_cam_voc.py'
]
train_dataloader = dict(batch_size=4)
