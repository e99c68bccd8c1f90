from .cam_classifier import CAMClassifier
from .single_stage_segmentor import SingleStageSegmentor

__all__ = ['CAMClassifier', 'SingleStageSegmentor']
