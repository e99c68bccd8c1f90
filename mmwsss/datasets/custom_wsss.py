"""A user's own data: an image folder + a labels file (+ optional masks)."""
from __future__ import annotations

import json
import os.path as osp
from typing import List, Optional

from mmseg.registry import DATASETS

from .base_wsss_dataset import BaseWSSSDataset
from .labels_file import LabelsFileError


@DATASETS.register_module()
class WSSSCustomDataset(BaseWSSSDataset):
    """Your own WSSS dataset. The format (see ``docs/custom_dataset.md``)::

        my_data/
          images/*.jpg            # any suffix, set img_suffix
          labels.json             # {"classes": ["background", "cat", ...],
                                  #  "labels": {"img_001": ["cat"], ...}}
          masks/*.png             # optional: class-id PNGs, evaluation only
          splits/train.txt        # optional: image names, one a line

    The classes are read from the labels file (or given in ``metainfo``);
    the first must be the background. Without a split file, the images are
    the entries of the labels file, in name order.

    Args:
        labels_file: The labels file, relative to ``data_root``. Required.
        ann_file: Optional split file of image names.
        label_sources: Default ``('file', 'mask')``: an image missing from
            the labels file falls back to its mask, if it has one.
    """

    def __init__(self,
                 labels_file: str,
                 ann_file: str = '',
                 metainfo: Optional[dict] = None,
                 **kwargs) -> None:
        path = labels_file
        if not osp.isabs(path) and kwargs.get('data_root'):
            path = osp.join(kwargs['data_root'], path)
        metainfo = dict(metainfo or {})
        if 'classes' not in metainfo:
            metainfo['classes'] = tuple(self._classes_from(path))
        if not metainfo['classes'] or \
                metainfo['classes'][0] != 'background':
            raise LabelsFileError(
                f'{path}: the first class must be "background", got '
                f'{list(metainfo["classes"])[:1]}')
        self._labels_path = path
        super().__init__(
            labels_file=labels_file, ann_file=ann_file, metainfo=metainfo,
            **kwargs)

    @staticmethod
    def _classes_from(path: str) -> List[str]:
        if not osp.isfile(path):
            raise FileNotFoundError(f'labels file not found: {path}')
        try:
            with open(path) as f:
                raw = json.load(f)
        except json.JSONDecodeError as e:
            raise LabelsFileError(f'{path}: invalid JSON ({e})') from e
        if not isinstance(raw, dict) or 'classes' not in raw:
            raise LabelsFileError(
                f'{path}: a custom dataset needs a "classes" field in its '
                'labels file (or classes in the dataset metainfo)')
        return list(raw['classes'])

    def load_data_list(self) -> List[dict]:
        if self.ann_file:
            return super().load_data_list()
        with open(self._labels_path) as f:
            names = sorted(json.load(f)['labels'])
        infos = []
        for name in names:
            info = self._data_info(name)
            if not osp.isfile(info.get('seg_map_path', '')):
                info.pop('seg_map_path', None)  # masks are optional
            infos.append(info)
        return self._attach_labels(infos)
