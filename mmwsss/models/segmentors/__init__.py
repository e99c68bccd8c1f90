from .cam_classifier import CAMClassifier
from .single_stage_segmentor import SingleStageSegmentor
from .wsss_tta_model import WSSSTTAModel

__all__ = ['CAMClassifier', 'SingleStageSegmentor', 'WSSSTTAModel']
