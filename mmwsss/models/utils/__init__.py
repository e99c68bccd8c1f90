from .cam_ops import (aggregate_cams, background_from_cams, cams_to_mask,
                      cams_to_seg_logits, normalize_cams, restrict_cams)

__all__ = [
    'normalize_cams', 'restrict_cams', 'cams_to_seg_logits', 'cams_to_mask',
    'aggregate_cams', 'background_from_cams'
]
