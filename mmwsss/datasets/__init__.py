from .base_wsss_dataset import BaseWSSSDataset
from .coco_wsss import COCO_CLASSES, COCOWSSSDataset
from .custom_wsss import WSSSCustomDataset
from .labels_file import LabelsFileError, dump_labels_file, load_labels_file
from .synthetic_seg import SyntheticSegDataset
from .synthetic_wsss import SyntheticWSSSDataset
from .transforms import PackWSSSInputs
from .voc_wsss import VOCWSSSDataset

__all__ = [
    'BaseWSSSDataset', 'VOCWSSSDataset', 'COCOWSSSDataset',
    'WSSSCustomDataset', 'SyntheticWSSSDataset', 'SyntheticSegDataset',
    'PackWSSSInputs',
    'COCO_CLASSES', 'LabelsFileError', 'load_labels_file',
    'dump_labels_file'
]
