from .functional import confusion_areas, iou_from_areas, threshold_sweep_areas
from .metrics import (BoundaryFMetric, CAMIoUMetric, MetricList,
                      MultiLabelMAPMetric)

__all__ = [
    'confusion_areas', 'iou_from_areas', 'threshold_sweep_areas',
    'BoundaryFMetric', 'CAMIoUMetric', 'MetricList', 'MultiLabelMAPMetric'
]
