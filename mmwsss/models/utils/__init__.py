from .bn_stats import frozen_bn_stats
from .cam_ops import (aggregate_cams, background_from_cams, cams_to_mask,
                      cams_to_seg_logits, normalize_cams, restrict_cams)
from .multi_crop import multi_crop_windows, retag_labels, sliding_windows

__all__ = [
    'normalize_cams', 'restrict_cams', 'cams_to_seg_logits', 'cams_to_mask',
    'aggregate_cams', 'background_from_cams', 'multi_crop_windows',
    'retag_labels', 'sliding_windows', 'frozen_bn_stats'
]
