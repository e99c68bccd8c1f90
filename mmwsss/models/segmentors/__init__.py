from .affinity_net import AffinityNet
from .cam_classifier import CAMClassifier
from .multi_crop_cam_classifier import MultiCropCAMClassifier
from .rcm_mam_classifier import RCMMAMClassifier
from .seam_classifier import SEAMClassifier
from .single_stage_segmentor import SingleStageSegmentor
from .wsss_tta_model import WSSSTTAModel

__all__ = [
    'AffinityNet', 'CAMClassifier', 'MultiCropCAMClassifier',
    'RCMMAMClassifier', 'SEAMClassifier', 'SingleStageSegmentor',
    'WSSSTTAModel'
]
