from .gen_cams import generate_cams, kept_classes
from .predict_masks import (predict_probs, predict_pseudo_masks,
                            relabel_items, seg_map_target)
from .pseudo_labels import (make_pseudo_labels, pseudo_label_from_cams,
                            summarize_areas)
from .visualize import cam_overlay_panel, colorize_mask, heatmap_overlay

__all__ = [
    'cam_overlay_panel', 'colorize_mask', 'heatmap_overlay', 'generate_cams',
    'kept_classes', 'make_pseudo_labels', 'pseudo_label_from_cams',
    'summarize_areas', 'predict_probs', 'predict_pseudo_masks', 'seg_map_target',
    'relabel_items'
]
