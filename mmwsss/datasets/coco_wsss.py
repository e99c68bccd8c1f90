"""MS COCO 2014 with image-level labels (80 classes + background)."""
from __future__ import annotations

import json
import os
import os.path as osp
from typing import Callable, Dict, List, Optional, Sequence, Tuple

import numpy as np
from mmseg.registry import DATASETS

from mmwsss.utils.io import is_complete, save_png
from .base_wsss_dataset import BaseWSSSDataset
from .labels_file import dump_labels_file

COCO_CLASSES: Tuple[str, ...] = (
    'background', 'person', 'bicycle', 'car', 'motorcycle', 'airplane', 'bus',
    'train', 'truck', 'boat', 'traffic light', 'fire hydrant', 'stop sign',
    'parking meter', 'bench', 'bird', 'cat', 'dog', 'horse', 'sheep', 'cow',
    'elephant', 'bear', 'zebra', 'giraffe', 'backpack', 'umbrella', 'handbag',
    'tie', 'suitcase', 'frisbee', 'skis', 'snowboard', 'sports ball', 'kite',
    'baseball bat', 'baseball glove', 'skateboard', 'surfboard',
    'tennis racket', 'bottle', 'wine glass', 'cup', 'fork', 'knife', 'spoon',
    'bowl', 'banana', 'apple', 'sandwich', 'orange', 'broccoli', 'carrot',
    'hot dog', 'pizza', 'donut', 'cake', 'chair', 'couch', 'potted plant',
    'bed', 'dining table', 'toilet', 'tv', 'laptop', 'mouse', 'remote',
    'keyboard', 'cell phone', 'microwave', 'oven', 'toaster', 'sink',
    'refrigerator', 'book', 'clock', 'vase', 'scissors', 'teddy bear',
    'hair drier', 'toothbrush')


def coco_palette(n: int = len(COCO_CLASSES)) -> List[List[int]]:
    """The VOC bit-interleaved colour map, extended to ``n`` classes."""
    pal = []
    for i in range(n):
        c, r, g, b = i, 0, 0, 0
        for j in range(8):
            r |= ((c >> 0) & 1) << (7 - j)
            g |= ((c >> 1) & 1) << (7 - j)
            b |= ((c >> 2) & 1) << (7 - j)
            c >>= 3
        pal.append([r, g, b])
    return pal


def load_coco_instances(path: str, classes: Sequence[str] = COCO_CLASSES
                        ) -> Tuple[Dict[str, np.ndarray], Dict[int, int]]:
    """Image-level labels from a COCO instances json.

    Returns:
        tuple: ``({file stem: fg multi-hot}, {category_id: class index})``.
        Category ids are matched to ``classes`` by name; images without any
        annotation get an all-zero label (negatives).
    """
    classes = list(classes)
    try:
        with open(path) as f:
            raw = json.load(f)
    except FileNotFoundError:
        raise FileNotFoundError(f'COCO instances file not found: {path}') \
            from None
    except json.JSONDecodeError as e:
        raise ValueError(f'{path}: invalid JSON ({e})') from e
    for key in ('images', 'annotations', 'categories'):
        if key not in raw:
            raise ValueError(f'{path}: missing field {key!r}')
    cat_to_cls = {}
    for cat in raw['categories']:
        if cat['name'] not in classes:
            raise ValueError(f'{path}: category {cat["name"]!r} '
                             f'(id {cat["id"]}) is not a dataset class')
        cat_to_cls[int(cat['id'])] = classes.index(cat['name'])
    by_image = {int(im['id']): osp.splitext(im['file_name'])[0]
                for im in raw['images']}
    labels = {stem: np.zeros(len(classes) - 1, np.float32)
              for stem in by_image.values()}
    for ann in raw['annotations']:
        image_id, cat = int(ann['image_id']), int(ann['category_id'])
        if image_id not in by_image:
            raise ValueError(f'{path}: annotation {ann.get("id")} refers to '
                             f'unknown image_id {image_id}')
        if cat not in cat_to_cls:
            raise ValueError(f'{path}: annotation {ann.get("id")} has unknown '
                             f'category_id {cat}')
        labels[by_image[image_id]][cat_to_cls[cat] - 1] = 1
    return labels, cat_to_cls


@DATASETS.register_module()
class COCOWSSSDataset(BaseWSSSDataset):
    """MS COCO 2014 for WSSS: 81 classes (background + 80), 255 = ignore.

    Expected layout under ``data_root``::

        train2014/*.jpg  val2014/*.jpg
        annotations/instances_{train,val}2014.json
        mask/{train,val}2014/*.png   # written by
                                     # tools/dataset_converters/coco_wsss.py

    Args:
        ann_file: Optional list of image names (stems), one a line. Without
            it, every image of the instances file (or, without that, every
            image in the image folder) is used.
        instances_file: The COCO instances json, relative to ``data_root``.
        label_sources: Default ``('file', 'instances', 'mask')``.
    """
    METAINFO = dict(classes=COCO_CLASSES, palette=coco_palette())

    def __init__(self,
                 ann_file: str = '',
                 instances_file: Optional[str] = None,
                 img_suffix: str = '.jpg',
                 seg_map_suffix: str = '.png',
                 label_sources: Sequence[str] = ('file', 'instances', 'mask'),
                 **kwargs) -> None:
        self.instances_file = instances_file
        if instances_file and not osp.isabs(instances_file) and \
                kwargs.get('data_root'):
            self.instances_file = osp.join(kwargs['data_root'],
                                           instances_file)
        self._instances: Optional[Dict[str, np.ndarray]] = None
        super().__init__(
            ann_file=ann_file,
            img_suffix=img_suffix,
            seg_map_suffix=seg_map_suffix,
            label_sources=label_sources,
            **kwargs)

    def _instance_labels(self) -> Dict[str, np.ndarray]:
        if self._instances is None:
            self._instances = load_coco_instances(
                self.instances_file, self._metainfo['classes'])[0]
        return self._instances

    def _instances_reader(self) -> Callable[[dict], Optional[np.ndarray]]:
        if not self.instances_file:
            return lambda info: None
        table = self._instance_labels()
        return lambda info: table.get(self.image_name(info))

    def load_data_list(self) -> List[dict]:
        if self.ann_file or not self.instances_file:
            return super().load_data_list()
        # no split file: the images of the instances file, in name order
        stems = sorted(self._instance_labels())
        infos = [self._data_info(stem) for stem in stems]
        return self._attach_labels(infos)


def coco_instances_to_masks(instances_file: str,
                            out_dir: str,
                            labels_path: Optional[str] = None,
                            classes: Sequence[str] = COCO_CLASSES,
                            progress: Optional[Callable[[int, int], None]] = None
                            ) -> int:
    """Paint COCO instance annotations into class-id mask PNGs.

    Instances are painted largest first, so smaller objects on top stay
    visible; ``iscrowd`` regions become 255 (ignore) where no instance
    covers them. Masks are written atomically; existing masks are kept, so an
    interrupted conversion resumes. Optionally writes the labels file.

    Returns:
        int: Number of images.
    """

    from pycocotools.coco import COCO  # optional: only this converter

    labels, cat_to_cls = load_coco_instances(instances_file, classes)
    coco = COCO(instances_file)
    palette = coco_palette(len(classes))
    os.makedirs(out_dir, exist_ok=True)
    img_ids = sorted(coco.getImgIds())
    for k, img_id in enumerate(img_ids):
        info = coco.loadImgs(img_id)[0]
        stem = osp.splitext(info['file_name'])[0]
        path = osp.join(out_dir, stem + '.png')
        if not is_complete(path):
            mask = np.zeros((info['height'], info['width']), np.uint8)
            anns = coco.loadAnns(coco.getAnnIds(imgIds=img_id))
            crowd = np.zeros_like(mask, dtype=bool)
            for ann in sorted(anns, key=lambda a: -a.get('area', 0)):
                m = coco.annToMask(ann).astype(bool)
                if ann.get('iscrowd', 0):
                    crowd |= m
                else:
                    mask[m] = cat_to_cls[int(ann['category_id'])]
            mask[crowd & (mask == 0)] = 255
            save_png(path, mask, palette)
        if progress is not None:
            progress(k + 1, len(img_ids))
    if labels_path:
        dump_labels_file(labels_path, labels, classes)
    return len(img_ids)
