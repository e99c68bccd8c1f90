"""PMM multi-crop training crops with re-tagged image labels (§3.5)."""
from __future__ import annotations

import os.path as osp
from typing import Optional, Sequence

import numpy as np
from mmcv.transforms import BaseTransform
from mmseg.registry import TRANSFORMS

from mmwsss.structures import multi_crop_windows, retag_labels
from mmwsss.utils.cam_io import load_cam_file
from mmwsss.utils.io import read_label_png


@TRANSFORMS.register_module()
class MultiCropRetag(BaseTransform):
    """Cut one multi-crop window out of the image and re-tag its labels.

    A scale is drawn from ``scales``; windows of that scale (see
    :func:`~mmwsss.structures.multi_crop_windows`) are tried in random
    order until one keeps at least one class (at most all of them, as the
    authors' code). The labels come from the image's confident regions in a
    *base* CAM of an earlier classifier (:func:`~mmwsss.models.utils.
    retag_labels`): a class is kept when more than ``match_thr`` of its
    region lies in the crop or the region covers more than ``match_thr`` of
    the crop. Put a ``Resize`` to the crop size after it.

    Required keys: ``img``, ``img_path``, ``gt_img_labels``. Modified:
    ``img``, ``img_shape``, ``gt_img_labels``. Added: ``crop_window``
    (``y1, y2, x1, x2`` in the loaded image).

    Args:
        base_dir: Folder of the base CAM files (``NAME.npz`` from
            ``tools/gen_cams.py``) or, with ``base_format='png'``, of
            pseudo-label PNGs (region of class k = pixels labelled k+1).
        scales, crop_size, stride: Multi-crop geometry (paper: 0.75-3.0
            step 0.25, 448, 300).
        confident_thr: A base CAM value above it is confident (0.9).
        match_thr: See above (0.1).
    """

    def __init__(self,
                 base_dir: str,
                 scales: Sequence[float] = tuple(
                     0.75 + 0.25 * i for i in range(10)),
                 crop_size: int = 448,
                 stride: int = 300,
                 confident_thr: float = 0.9,
                 match_thr: float = 0.1,
                 base_format: str = 'npz',
                 seed: Optional[int] = None) -> None:
        if base_format not in ('npz', 'png'):
            raise ValueError(f"base_format must be 'npz' or 'png', got "
                             f'{base_format!r}')
        self.base_dir = base_dir
        self.scales = tuple(scales)
        self.crop_size = int(crop_size)
        self.stride = int(stride)
        self.confident_thr = confident_thr
        self.match_thr = match_thr
        self.base_format = base_format
        # without a seed: numpy's global state, which mmengine seeds per
        # data-loader worker (a Generator made here would be copied into
        # every worker and repeat the same crops)
        self.rng = np.random.default_rng(seed) if seed is not None else None

    def _randint(self, n: int) -> int:
        if self.rng is not None:
            return int(self.rng.integers(n))
        return int(np.random.randint(n))

    def _regions(self, img_path: str, shape):
        name = osp.splitext(osp.basename(img_path))[0]
        path = osp.join(self.base_dir, f'{name}.{self.base_format}')
        if not osp.isfile(path):
            raise FileNotFoundError(
                f'MultiCropRetag: base CAM file {path} for {img_path} not '
                'found (run tools/gen_cams.py on the training split first)')
        if self.base_format == 'npz':
            rec = load_cam_file(path)
            regions = rec['cams'].astype(np.float32) > self.confident_thr
            keys = np.asarray(rec['keys'], np.int64)
        else:
            label = read_label_png(path)
            ids = [int(v) for v in np.unique(label) if 0 < v < 255]
            regions = np.stack([label == v for v in ids]) if ids else \
                np.zeros((0, ) + label.shape, bool)
            keys = np.asarray(ids, np.int64) - 1
        if regions.shape[1:] != tuple(shape):
            raise ValueError(f'MultiCropRetag: {path} is {regions.shape[1:]}'
                             f' but image {img_path} is {tuple(shape)}')
        return regions, keys

    def transform(self, results: dict) -> dict:
        img = results['img']
        h, w = img.shape[:2]
        labels = np.asarray(results['gt_img_labels'], np.float32)
        regions, keys = self._regions(results['img_path'], (h, w))
        per_scale = multi_crop_windows(h, w, self.scales, self.crop_size,
                                       self.stride)
        windows = per_scale[self._randint(len(per_scale))]
        window, new = windows[0], np.zeros_like(labels)
        for _ in range(len(windows)):
            window = windows[self._randint(len(windows))]
            new = retag_labels(labels, regions, keys, window, self.match_thr)
            if new.sum() > 0:
                break
        y1, y2, x1, x2 = window
        results['img'] = np.ascontiguousarray(img[y1:y2, x1:x2])
        results['img_shape'] = results['img'].shape[:2]
        results['gt_img_labels'] = new
        results['crop_window'] = window
        return results

    def __repr__(self) -> str:
        return (f'{self.__class__.__name__}(base_dir={self.base_dir!r}, '
                f'scales={self.scales}, crop_size={self.crop_size}, '
                f'stride={self.stride}, confident_thr={self.confident_thr}, '
                f'match_thr={self.match_thr})')
