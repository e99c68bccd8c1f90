from .boundary_f_metric import BoundaryFMetric
from .cam_iou_metric import CAMIoUMetric
from .metric_list import MetricList
from .multilabel_map import MultiLabelMAPMetric

__all__ = [
    'CAMIoUMetric', 'MultiLabelMAPMetric', 'BoundaryFMetric', 'MetricList'
]
