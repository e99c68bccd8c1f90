"""Packing image-level labels into :class:`SegDataSample`."""
from __future__ import annotations

import numpy as np
import torch
from mmseg.datasets.transforms import PackSegInputs
from mmseg.registry import TRANSFORMS


@TRANSFORMS.register_module()
class PackWSSSInputs(PackSegInputs):
    """:class:`mmseg.datasets.transforms.PackSegInputs` that also packs the
    image-level labels.

    ``results['gt_img_labels']`` (a multi-hot vector over the foreground
    classes, set by :class:`~mmwsss.datasets.BaseWSSSDataset`) becomes the
    float tensor ``data_sample.gt_img_labels``. Geometric transforms do not
    change it: a crop that cuts a class out keeps the image's label unless a
    transform that re-tags labels (e.g. PMM's multi-crop) rewrites
    ``results['gt_img_labels']``.
    """

    def transform(self, results: dict) -> dict:
        packed = super().transform(results)
        if 'gt_img_labels' not in results:
            raise KeyError(
                f'no gt_img_labels for {results.get("img_path")}: use a '
                'mmwsss WSSS dataset (e.g. VOCWSSSDataset), which attaches '
                'image-level labels to every sample')
        labels = torch.as_tensor(
            np.asarray(results['gt_img_labels'], np.float32))
        packed['data_samples'].set_data(dict(gt_img_labels=labels))
        return packed
