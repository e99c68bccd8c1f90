from .formatting import PackWSSSInputs
from .multi_crop_retag import MultiCropRetag

__all__ = ['PackWSSSInputs', 'MultiCropRetag']
