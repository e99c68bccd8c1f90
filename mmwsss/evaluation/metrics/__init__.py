from .boundary_f_metric import BoundaryFMetric
from .cam_iou_metric import CAMIoUMetric
from .iou_pr_metric import IoUPRMetric
from .multilabel_map import MultiLabelMAPMetric

__all__ = [
    'CAMIoUMetric', 'MultiLabelMAPMetric', 'IoUPRMetric', 'BoundaryFMetric'
]
