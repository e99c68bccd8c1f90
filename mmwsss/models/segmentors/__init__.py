from .cam_classifier import CAMClassifier
from .multi_crop_cam_classifier import MultiCropCAMClassifier
from .single_stage_segmentor import SingleStageSegmentor
from .wsss_tta_model import WSSSTTAModel

__all__ = [
    'CAMClassifier', 'MultiCropCAMClassifier', 'SingleStageSegmentor',
    'WSSSTTAModel'
]
