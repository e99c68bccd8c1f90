"""Pure functions behind the mmwsss metrics (numpy / torch in, numbers out)."""
from __future__ import annotations

from typing import Dict, Sequence

import numpy as np
import torch
from torch import Tensor

from mmwsss.functional import cams_to_mask


def confusion_areas(pred: Tensor, gt: Tensor, num_classes: int,
                    ignore_index: int = 255) -> Tensor:
    """``(4, C)`` areas: intersection, union, prediction, ground truth.

    Pixels whose ground truth is ``ignore_index`` are left out; a predicted
    ``ignore_index`` is no prediction (it counts in the ground-truth area,
    so it lowers recall and IoU, not precision).
    """
    valid = gt != ignore_index
    pred = pred[valid].long()
    gt = gt[valid].long()
    inter = torch.bincount(pred[pred == gt], minlength=num_classes)
    area_pred = torch.bincount(pred[pred != ignore_index],
                               minlength=num_classes)
    area_gt = torch.bincount(gt, minlength=num_classes)
    union = area_pred + area_gt - inter
    return torch.stack([inter, union, area_pred, area_gt])[:, :num_classes]


def threshold_sweep_areas(fg_cams: Tensor, gt: Tensor,
                          thresholds: Sequence[float], num_classes: int,
                          ignore_index: int = 255) -> Tensor:
    """Confusion areas of the CAM masks at each background threshold.

    For threshold ``t`` a pixel gets ``1 + argmax_c M'_c`` if
    ``max_c M'_c > t`` and background (0) otherwise.

    Args:
        fg_cams: ``(C_fg, H, W)`` normalised foreground CAMs.
        gt: ``(H, W)`` labels.

    Returns:
        Tensor: ``(T, 4, num_classes)`` int64.
    """
    out = []
    for t in thresholds:
        pred = cam_threshold_label(fg_cams, t)
        out.append(confusion_areas(pred, gt, num_classes, ignore_index))
    return torch.stack(out)


def cam_threshold_label(fg_cams: Tensor, threshold: float) -> Tensor:
    """``(C_fg, H, W)`` normalised CAMs -> ``(H, W)`` labels by the
    CAM-threshold rule (:func:`~mmwsss.functional.cams_to_mask`):
    ``1 + argmax_c M'_c`` where ``max_c M'_c > threshold``, else 0."""
    return cams_to_mask(fg_cams, threshold)


def iou_from_areas(areas: np.ndarray, absent: str = 'nan'
                   ) -> Dict[str, np.ndarray]:
    """IoU, precision and recall per class from summed ``(4, C)`` areas.

    Args:
        absent: What a class absent from both prediction and ground truth
            scores: ``'nan'`` (mmseg's convention; left out of means) or
            ``'zero'`` (the psa/IRN reference code's: it counts as 0).
    """
    if absent not in ('nan', 'zero'):
        raise ValueError(f"absent must be 'nan' or 'zero', got {absent!r}")
    inter, union, area_pred, area_gt = (np.asarray(a, np.float64)
                                        for a in areas)
    with np.errstate(divide='ignore', invalid='ignore'):
        iou = inter / union
        precision = inter / area_pred
        recall = inter / area_gt
    if absent == 'zero':
        iou = np.nan_to_num(iou, nan=0.0)
    return dict(IoU=iou, Precision=precision, Recall=recall)
