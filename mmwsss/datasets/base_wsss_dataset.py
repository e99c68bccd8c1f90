"""Segmentation datasets that carry image-level labels."""
from __future__ import annotations

import os.path as osp
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
from mmengine.logging import MMLogger, print_log
from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS

from mmwsss.utils.io import read_label_png
from .labels_file import load_labels_file

#: where an image's label may come from, see ``label_sources``
LABEL_SOURCES = ('file', 'mask', 'xml', 'instances')


@DATASETS.register_module()
class BaseWSSSDataset(BaseSegDataset):
    """A :class:`BaseSegDataset` whose samples carry image-level labels.

    Every data info gets ``gt_img_labels``: a float32 multi-hot vector over
    the foreground classes (length ``num_classes - 1``; class 0 is the
    background). :class:`~mmwsss.datasets.transforms.PackWSSSInputs` packs it
    into the data sample. The pixel masks (``seg_map_path``) stay available
    for evaluation only; a training pipeline for a CAM classifier does not
    load them.

    Args:
        labels_file: A labels file (see :mod:`mmwsss.datasets.labels_file`),
            relative to ``data_root`` unless absolute. Optional.
        label_sources: Where to take each image's labels from, in order of
            preference: ``'file'`` (the labels file), ``'mask'`` (the classes
            present in its segmentation mask) and, where a subclass supports
            it, ``'xml'`` (VOC XML) or ``'instances'`` (a COCO instances
            json). An image for which no source has labels is an error
            naming the image.
        check_files: Check at build time that every image file exists, so a
            missing file is reported before training starts.
        **kwargs: See :class:`mmseg.datasets.BaseSegDataset`.
    """

    def __init__(self,
                 labels_file: Optional[str] = None,
                 label_sources: Sequence[str] = ('file', 'mask'),
                 check_files: bool = True,
                 **kwargs) -> None:
        bad = [s for s in label_sources if s not in LABEL_SOURCES]
        if bad:
            raise ValueError(f'unknown label_sources {bad}; '
                             f'choose from {LABEL_SOURCES}')
        self.labels_file = labels_file
        self.label_sources = tuple(label_sources)
        self.check_files = check_files
        self.label_summary: Dict[str, int] = {}
        super().__init__(**kwargs)

    # ------------------------------------------------------------------
    @property
    def num_classes(self) -> int:
        return len(self._metainfo['classes'])

    def _join_prefix(self) -> None:
        super()._join_prefix()
        if self.labels_file and not osp.isabs(self.labels_file) and \
                self.data_root is not None:
            self.labels_file = osp.join(self.data_root, self.labels_file)

    def image_name(self, data_info: dict) -> str:
        """The key of an image in a labels file: its file name stem."""
        return osp.splitext(osp.basename(data_info['img_path']))[0]

    def _label_readers(self) -> Dict[str, Callable[[dict], Optional[np.ndarray]]]:
        """One reader per label source; each returns None if it has no label
        for the image."""
        readers: Dict[str, Callable[[dict], Optional[np.ndarray]]] = {}
        if 'file' in self.label_sources and self.labels_file:
            table = load_labels_file(self.labels_file,
                                     self._metainfo['classes'])
            readers['file'] = lambda info: table.get(self.image_name(info))
        if 'mask' in self.label_sources:
            readers['mask'] = self._labels_from_mask
        if 'xml' in self.label_sources:
            readers['xml'] = self._labels_from_xml
        if 'instances' in self.label_sources:
            readers['instances'] = self._instances_reader()
        return readers

    def _labels_from_mask(self, info: dict) -> Optional[np.ndarray]:
        path = info.get('seg_map_path')
        if not path or not osp.isfile(path):
            return None
        mask = read_label_png(path)
        if self.label_map:
            mapped = np.full_like(mask, self.ignore_index)
            for old, new in self.label_map.items():
                mapped[mask == old] = new
            mask = mapped
        ids = np.unique(mask)
        ids = ids[(ids != self.ignore_index) & (ids != 0)]
        if ids.size and int(ids.max()) >= self.num_classes:
            raise ValueError(
                f'{path}: class id {int(ids.max())} out of range for '
                f'{self.num_classes} classes')
        labels = np.zeros(self.num_classes - 1, np.float32)
        labels[ids.astype(np.int64) - 1] = 1
        return labels

    def _labels_from_xml(self, info: dict) -> Optional[np.ndarray]:
        return None

    def _instances_reader(self) -> Callable[[dict], Optional[np.ndarray]]:
        return lambda info: None

    def load_data_list(self) -> List[dict]:
        return self._attach_labels(super().load_data_list())

    def _data_info(self, stem: str) -> dict:
        """A data info like mmseg's, for subclasses that list images
        themselves (from a labels or instances file)."""
        info = dict(
            img_path=osp.join(self.data_prefix.get('img_path', ''),
                              stem + self.img_suffix),
            label_map=self.label_map,
            reduce_zero_label=self.reduce_zero_label,
            seg_fields=[])
        ann_dir = self.data_prefix.get('seg_map_path', None)
        if ann_dir:
            info['seg_map_path'] = osp.join(ann_dir,
                                            stem + self.seg_map_suffix)
        return info

    def _attach_labels(self, data_list: List[dict]) -> List[dict]:
        """Check the files and set ``gt_img_labels`` of every data info."""
        readers = self._label_readers()
        counts = {s: 0 for s in self.label_sources}
        negatives = 0
        for info in data_list:
            if self.check_files and not osp.isfile(info['img_path']):
                raise FileNotFoundError(
                    f'image file not found: {info["img_path"]} '
                    f'(listed in {self.ann_file or self.data_prefix})')
            labels = None
            for source in self.label_sources:
                reader = readers.get(source)
                labels = reader(info) if reader else None
                if labels is not None:
                    counts[source] += 1
                    break
            if labels is None:
                raise ValueError(
                    f'no image-level label for {info["img_path"]}: tried '
                    f'{list(self.label_sources)} (labels file: '
                    f'{self.labels_file})')
            info['gt_img_labels'] = labels
            negatives += int(labels.sum() == 0)
        self.label_summary = dict(
            images=len(data_list), negatives=negatives,
            **{f'from_{k}': v for k, v in counts.items()})
        print_log(
            f'{type(self).__name__}: {len(data_list)} images, {negatives} '
            'with no positive label (kept as negative examples); labels from '
            + ', '.join(f'{k}: {v}' for k, v in counts.items()),
            logger=MMLogger.get_current_instance())
        return data_list

    def class_counts(self) -> np.ndarray:
        """Number of images that contain each foreground class."""
        total = np.zeros(self.num_classes - 1, np.int64)
        for i in range(len(self)):
            total += self.get_data_info(i)['gt_img_labels'].astype(np.int64)
        return total
