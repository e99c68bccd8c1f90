# What every WSSS dataset base (image-level labels) evaluates with: the
# masks are loaded for CAM mIoU only (never for training), the CAM
# evaluators (val_evaluator, test_evaluator, cam_boundary_evaluator) and
# `tools/test.py --tta`: the CAM literature's scales x horizontal flip,
# merged by the runtime's tta_model (WSSSTTAModel).
_base_ = '../evaluators/cam_wsss.py'
test_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(type='LoadAnnotations'),
    dict(type='PackWSSSInputs'),
]
img_ratios = [0.5, 1.0, 1.5, 2.0]
tta_pipeline = [
    dict(type='LoadImageFromFile'),
    dict(
        type='TestTimeAug',
        transforms=[
            [
                dict(type='Resize', scale_factor=r, keep_ratio=True)
                for r in img_ratios
            ],
            [
                dict(type='RandomFlip', prob=0., direction='horizontal'),
                dict(type='RandomFlip', prob=1., direction='horizontal')
            ],
            [dict(type='LoadAnnotations')],
            [dict(type='PackWSSSInputs')],
        ])
]
