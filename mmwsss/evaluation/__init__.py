from .functional import (average_precision, confusion_areas, iou_from_areas,
                         mean_average_precision, threshold_sweep_areas)
from .metrics import *  # noqa: F401,F403
