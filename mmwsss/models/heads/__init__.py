from .cam_head import CAMHead, stack_img_labels
from .single_stage_head import SingleStageHead

__all__ = ['CAMHead', 'stack_img_labels', 'SingleStageHead']
