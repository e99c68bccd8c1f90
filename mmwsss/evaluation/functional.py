"""Pure functions behind the mmwsss metrics (numpy / torch in, numbers out)."""
from __future__ import annotations

from typing import Dict, Sequence, Tuple

import numpy as np
import torch
from torch import Tensor


def average_precision(scores: np.ndarray, labels: np.ndarray) -> float:
    """Non-interpolated average precision of one class.

    ``AP = 1/|P| sum_{k in P} precision@rank(k)``: the mean, over the positive
    samples, of the precision among the samples scored at least as high
    (ties ranked pessimistically, positives last). NaN if there is no
    positive.
    """
    scores = np.asarray(scores, np.float64).reshape(-1)
    labels = np.asarray(labels).reshape(-1) > 0
    n_pos = int(labels.sum())
    if n_pos == 0:
        return float('nan')
    # sort by score desc; among equal scores put negatives first
    order = np.lexsort((labels, -scores))
    hits = labels[order]
    precision_at = np.cumsum(hits) / np.arange(1, len(hits) + 1)
    return float(precision_at[hits].sum() / n_pos)


def mean_average_precision(scores: np.ndarray, labels: np.ndarray
                           ) -> Tuple[float, np.ndarray]:
    """``(mAP, per-class AP)`` over ``(N, C)`` scores; classes without a
    positive sample have AP NaN and are left out of the mean."""
    scores = np.asarray(scores)
    labels = np.asarray(labels)
    aps = np.array([
        average_precision(scores[:, c], labels[:, c])
        for c in range(scores.shape[1])
    ])
    valid = ~np.isnan(aps)
    return (float(aps[valid].mean()) if valid.any() else float('nan')), aps


def confusion_areas(pred: Tensor, gt: Tensor, num_classes: int,
                    ignore_index: int = 255) -> Tensor:
    """``(4, C)`` areas: intersection, union, prediction, ground truth.

    Pixels whose ground truth is ``ignore_index`` are left out.
    """
    valid = gt != ignore_index
    pred = pred[valid].long()
    gt = gt[valid].long()
    inter = torch.bincount(pred[pred == gt], minlength=num_classes)
    area_pred = torch.bincount(pred, minlength=num_classes)
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
    """The label map of the CAM-threshold rule used by
    :func:`threshold_sweep_areas`: ``1 + argmax_c M'_c`` where ``max_c M'_c >
    threshold``, background (0) elsewhere."""
    peak, arg = fg_cams.max(dim=0)
    return torch.where(peak > threshold, arg + 1, torch.zeros_like(arg))


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
