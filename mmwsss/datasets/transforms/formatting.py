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

    A sample without image labels (a photo given to ``mmseg.apis``'
    ``inference_model`` or ``MMSegInferencer``) is packed as
    :class:`PackSegInputs` packs it: inference then keeps the predicted
    classes. Training needs the labels and stops with an error naming the
    image (:func:`~mmwsss.models.heads.stack_img_labels`).
    """

    def transform(self, results: dict) -> dict:
        packed = super().transform(results)
        if 'gt_img_labels' in results:
            labels = torch.as_tensor(
                np.asarray(results['gt_img_labels'], np.float32))
            packed['data_samples'].set_data(dict(gt_img_labels=labels))
        return packed
