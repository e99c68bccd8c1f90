"""Contour quality: boundary F-measure (DAVIS, Perazzi et al. 2016) per
class, and J&F, as used by HFPL (Jonnarth et al., WACV 2024)."""
from __future__ import annotations

import math
from typing import Dict, Sequence

import cv2
import numpy as np


def mask_boundary(mask: np.ndarray) -> np.ndarray:
    """1-pixel boundary of a binary mask: pixels of the mask with a
    4-neighbour outside it (the image border does not count as outside)."""
    m = np.asarray(mask, bool)
    pad = np.pad(m, 1, mode='edge')
    inner = (pad[:-2, 1:-1] & pad[2:, 1:-1] & pad[1:-1, :-2] & pad[1:-1, 2:])
    return m & ~inner


def boundary_tolerance(shape: Sequence[int], ratio: float = 0.008) -> int:
    """``ceil(ratio * image diagonal)`` pixels (DAVIS: 0.008)."""
    return int(math.ceil(ratio * math.hypot(shape[0], shape[1])))


def _dilate(b: np.ndarray, radius: int) -> np.ndarray:
    if radius <= 0:
        return b
    k = cv2.getStructuringElement(cv2.MORPH_ELLIPSE,
                                  (2 * radius + 1, 2 * radius + 1))
    return cv2.dilate(b.astype(np.uint8), k).astype(bool)


def boundary_counts(pred: np.ndarray, gt: np.ndarray, num_classes: int,
                    ignore_index: int = 255,
                    tolerance: int = None) -> np.ndarray:
    """Per class ``[matched pred boundary, pred boundary, matched gt
    boundary, gt boundary]`` pixel counts (``(4, C)``) of one image.

    A predicted boundary pixel is matched when a GT boundary pixel of the
    class lies within ``tolerance`` (disk); likewise for recall. Ignored GT
    pixels are removed from both maps first.
    """
    if pred.shape != gt.shape:
        raise ValueError(f'prediction {pred.shape} and GT {gt.shape} differ')
    tol = boundary_tolerance(gt.shape) if tolerance is None else tolerance
    valid = gt != ignore_index
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
    prediction). A class with boundaries on one side only scores 0."""
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
