from .cam_iou_metric import CAMIoUMetric
from .multilabel_map import MultiLabelMAPMetric

__all__ = ['CAMIoUMetric', 'MultiLabelMAPMetric']
