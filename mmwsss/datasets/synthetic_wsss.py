"""The embedded default dataset, as an mmseg dataset."""
from __future__ import annotations

from typing import Sequence

from mmseg.registry import DATASETS

from .base_wsss_dataset import BaseWSSSDataset
from .synthetic import SYNTHETIC_CLASSES, SYNTHETIC_PALETTE


@DATASETS.register_module()
class SyntheticWSSSDataset(BaseWSSSDataset):
    """The procedurally generated dataset of :mod:`mmwsss.datasets.synthetic`,
    read from the VOC layout that ``tools/make_synthetic_dataset.py`` writes.

    11 classes (background + 10), 255 = ignore. Image-level labels come from
    ``cls_labels.json``, falling back to the masks.
    """
    METAINFO = dict(
        classes=SYNTHETIC_CLASSES,
        palette=[list(c) for c in SYNTHETIC_PALETTE])

    def __init__(self,
                 ann_file: str,
                 labels_file: str = 'cls_labels.json',
                 label_sources: Sequence[str] = ('file', 'mask'),
                 **kwargs) -> None:
        kwargs.setdefault(
            'data_prefix',
            dict(img_path='JPEGImages', seg_map_path='SegmentationClass'))
        super().__init__(
            ann_file=ann_file, labels_file=labels_file,
            label_sources=label_sources, img_suffix='.jpg',
            seg_map_suffix='.png', **kwargs)
