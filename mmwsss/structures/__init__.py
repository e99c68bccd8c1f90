from .img_labels import (RESTRICT_MODES, check_restrict, classes_to_keep,
                         stack_img_labels)
from .multi_crop import multi_crop_windows, retag_labels, sliding_windows

__all__ = [
    'RESTRICT_MODES', 'check_restrict', 'classes_to_keep',
    'multi_crop_windows', 'retag_labels', 'sliding_windows',
    'stack_img_labels'
]
