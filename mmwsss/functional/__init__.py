"""Pure tensor math of the methods (paper equations), one module per
method: ``cam_ops`` (CAMs, the CAM-to-mask rule), ``single_stage_ops``
(Araslanov & Roth), ``hfpl_ops`` (ISL, FSL), ``consistency_ops``
(Puzzle-CAM / Consistency-CAM), ``seam_ops`` (SEAM's PCM, ER, ECR). No
registry, no mmseg: every layer of
mmwsss may import them."""
from .cam_ops import (aggregate_cams, background_from_cams, cams_to_mask,
                      cams_to_seg_logits, normalize_cams, restrict_cams)

__all__ = [
    'aggregate_cams', 'background_from_cams', 'cams_to_mask',
    'cams_to_seg_logits', 'normalize_cams', 'restrict_cams'
]
