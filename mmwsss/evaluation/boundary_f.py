"""Contour quality: boundary F-measure (DAVIS, Perazzi et al. 2016) per
class, and J&F, as used by HFPL (Jonnarth et al., WACV 2024)."""
from __future__ import annotations

import math
from typing import Dict, Sequence

import cv2
import numpy as np


def mask_boundary(mask: np.ndarray) -> np.ndarray:
    """1-pixel boundary map of a binary mask, as DAVIS's ``seg2bmap``
    (Martin et al.): a pixel is marked when it differs from its right, lower
    or lower-right neighbour, i.e. boundaries sit half a pixel towards the
    origin and may fall on either side of the edge. The image border is not
    a boundary."""
    m = np.asarray(mask, bool)
    b = np.zeros_like(m)
    b[:, :-1] |= m[:, :-1] ^ m[:, 1:]
    b[:-1, :] |= m[:-1, :] ^ m[1:, :]
    b[:-1, :-1] |= m[:-1, :-1] ^ m[1:, 1:]
    return b


def boundary_tolerance(shape: Sequence[int], ratio: float = 0.008) -> int:
    """``ceil(ratio * image diagonal)`` pixels (DAVIS: 0.008)."""
    return int(math.ceil(ratio * math.hypot(shape[0], shape[1])))


def _disk(radius: int) -> np.ndarray:
    """Euclidean disk ``x^2 + y^2 <= r^2`` (skimage's ``disk``)."""
    r = np.arange(-radius, radius + 1)
    return (r[:, None]**2 + r[None, :]**2 <= radius**2).astype(np.uint8)


def _dilate(b: np.ndarray, radius: int) -> np.ndarray:
    if radius <= 0:
        return b
    return cv2.dilate(b.astype(np.uint8), _disk(radius)).astype(bool)


def boundary_counts(pred: np.ndarray, gt: np.ndarray, num_classes: int,
                    ignore_index: int = 255,
                    tolerance: int = None,
                    void: str = 'background') -> np.ndarray:
    """Per class ``[matched pred boundary, pred boundary, matched gt
    boundary, gt boundary]`` pixel counts (``(4, C)``) of one image.

    A predicted boundary pixel is matched when a GT boundary pixel of the
    class lies within ``tolerance`` (Euclidean disk, default
    ``ceil(0.008 x diagonal)``); likewise for recall.

    Args:
        void: How GT pixels of ``ignore_index`` count: ``'background'``
            (HFPL's evaluation: they become background, the prediction is
            left as it is; VOC's void bands along object edges then put the
            GT contour at the object's edge) or ``'remove'`` (DAVIS
            ``void_pixels``: removed from both masks first).
    """
    if pred.shape != gt.shape:
        raise ValueError(f'prediction {pred.shape} and GT {gt.shape} differ')
    if void not in ('background', 'remove'):
        raise ValueError(f"void must be 'background' or 'remove', got "
                         f'{void!r}')
    tol = boundary_tolerance(gt.shape) if tolerance is None else tolerance
    valid = gt != ignore_index
    if void == 'background':
        gt = np.where(valid, gt, 0)
        valid = np.ones_like(valid)
    out = np.zeros((4, num_classes), np.int64)
    for c in range(num_classes):
        bp = mask_boundary((pred == c) & valid)
        bg = mask_boundary((gt == c) & valid)
        if not bp.any() and not bg.any():
            continue
        out[0, c] = int((bp & _dilate(bg, tol)).sum())
        out[1, c] = int(bp.sum())
        out[2, c] = int((bg & _dilate(bp, tol)).sum())
        out[3, c] = int(bg.sum())
    return out


def boundary_f_from_counts(counts: np.ndarray,
                           classes: Sequence[int] = None) -> Dict:
    """F per class from summed counts and their mean over ``classes``
    (default: the foreground classes 1..C-1 that occur in GT or
    prediction). A class with boundaries on one side only scores 0. (HFPL's
    script also averages classes absent from both sides, as F = 1; on VOC
    and the synthetic data every class occurs, so the two agree.)"""
    mp, np_, mg, ng = counts.astype(np.float64)
    with np.errstate(invalid='ignore', divide='ignore'):
        prec = np.where(np_ > 0, mp / np_, 0.0)
        rec = np.where(ng > 0, mg / ng, 0.0)
        f = np.where(prec + rec > 0, 2 * prec * rec / (prec + rec), 0.0)
    seen = (np_ + ng) > 0
    f = np.where(seen, f, np.nan)
    if classes is None:
        classes = [c for c in range(1, counts.shape[1]) if seen[c]]
    mean = float(np.mean(f[list(classes)])) if len(classes) else float('nan')
    return dict(F=mean, F_per_class=f, precision=prec, recall=rec)
