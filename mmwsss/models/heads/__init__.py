from .cam_head import CAMHead
from .single_stage_head import SingleStageHead

__all__ = ['CAMHead', 'SingleStageHead']
