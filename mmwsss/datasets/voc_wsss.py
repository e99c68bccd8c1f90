"""PASCAL VOC 2012 (+ SBD augmentation) with image-level labels."""
from __future__ import annotations

import os.path as osp
import xml.etree.ElementTree as ET
from typing import Optional, Sequence

import numpy as np
from mmseg.datasets import PascalVOCDataset
from mmseg.registry import DATASETS

from .base_wsss_dataset import BaseWSSSDataset


@DATASETS.register_module()
class VOCWSSSDataset(BaseWSSSDataset):
    """PASCAL VOC 2012 with the SBD augmented set, for WSSS.

    21 classes (background first), 255 = ignore. The usual splits are
    ``train_aug`` (10,582 images), ``train`` (1,464) and ``val`` (1,449).
    Expected layout under ``data_root`` (``VOCdevkit/VOC2012``)::

        JPEGImages/*.jpg
        SegmentationClassAug/*.png     # SBD + VOC masks, VOC ids (or
        SegmentationClass/*.png        #   VOC's own palette PNGs)
        Annotations/*.xml              # object names, for images w/o mask
        ImageSets/Segmentation/{train_aug,train,val}.txt
        cls_labels.json                # optional, written by
                                       # tools/dataset_converters/voc_cls_labels.py

    Image-level labels come from ``label_sources`` in order: the labels
    file, the mask, the XML annotation.

    Args:
        ann_file: The split file, e.g. ``ImageSets/Segmentation/train_aug.txt``.
        xml_dir: Folder of the VOC XML annotations, relative to ``data_root``.
        label_sources: Default ``('file', 'mask', 'xml')``.
    """
    METAINFO = PascalVOCDataset.METAINFO

    def __init__(self,
                 ann_file: str,
                 img_suffix: str = '.jpg',
                 seg_map_suffix: str = '.png',
                 xml_dir: Optional[str] = 'Annotations',
                 label_sources: Sequence[str] = ('file', 'mask', 'xml'),
                 **kwargs) -> None:
        self.xml_dir = xml_dir
        if xml_dir and not osp.isabs(xml_dir) and kwargs.get('data_root'):
            self.xml_dir = osp.join(kwargs['data_root'], xml_dir)
        super().__init__(
            ann_file=ann_file,
            img_suffix=img_suffix,
            seg_map_suffix=seg_map_suffix,
            label_sources=label_sources,
            **kwargs)

    def _labels_from_xml(self, info: dict) -> Optional[np.ndarray]:
        if not self.xml_dir:
            return None
        path = osp.join(self.xml_dir, self.image_name(info) + '.xml')
        if not osp.isfile(path):
            return None
        return voc_xml_labels(path, self._metainfo['classes'])


def voc_xml_labels(path: str, classes: Sequence[str]) -> np.ndarray:
    """Foreground multi-hot labels from a VOC XML annotation (every
    ``<object>``, difficult ones included)."""
    classes = list(classes)
    try:
        root = ET.parse(path).getroot()
    except ET.ParseError as e:
        raise ValueError(f'{path}: invalid XML ({e})') from e
    labels = np.zeros(len(classes) - 1, np.float32)
    for obj in root.iter('object'):
        name = (obj.findtext('name') or '').strip()
        if name not in classes:
            raise ValueError(f'{path}: unknown class {name!r} in <object>')
        cid = classes.index(name)
        if cid > 0:
            labels[cid - 1] = 1
    return labels
