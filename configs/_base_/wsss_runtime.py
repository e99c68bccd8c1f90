# Runtime of the mmwsss segmentors (CAM classifiers, single-stage): ours plus
# the TTA model for `tools/test.py --tta`, which averages the views' CAMs /
# masks and image scores (mmseg's SegTTAModel soft-maxes logits and keeps
# one view's scores)
_base_ = './default_runtime.py'
tta_model = dict(type='WSSSTTAModel')
