from .formatting import PackWSSSInputs
from .loading import LoadVerifiedImageFromFile
from .multi_crop_retag import MultiCropRetag

__all__ = ['PackWSSSInputs', 'MultiCropRetag', 'LoadVerifiedImageFromFile']
