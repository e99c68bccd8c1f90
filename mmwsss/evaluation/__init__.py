from .functional import confusion_areas, iou_from_areas, threshold_sweep_areas
from .metrics import *  # noqa: F401,F403
