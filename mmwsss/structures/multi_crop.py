"""Multi-crop windows, PMM (Li et al., ICCV 2021) §3.5 / §4.1.

At each scale ``s`` the image is (virtually) resized to ``s·H x s·W`` and cut
into ``crop_size`` windows every ``stride`` pixels, the last window of a row
or column aligned to the border. Each window is mapped back to original
image coordinates, so CAMs of all crops of all scales can be averaged per
pixel (inference) and a training crop can be re-tagged from a base CAM.
Paper settings on VOC: scales 0.75-3.0 step 0.25, crop 448, stride 300.
"""
from __future__ import annotations

import math
from typing import List, Sequence, Tuple

import numpy as np

Window = Tuple[int, int, int, int]  # y1, y2, x1, x2


def sliding_windows(length: int, crop: int, stride: int) -> List[Tuple[int,
                                                                       int]]:
    """``(start, end)`` windows of ``crop`` every ``stride`` along a side of
    ``length`` pixels; the last one ends at the border; a side shorter than
    ``crop`` is one window covering it."""
    if crop < 1 or stride < 1:
        raise ValueError(f'crop ({crop}) and stride ({stride}) must be >= 1')
    n = 1 + int(math.ceil(max(0, length - crop) / stride))
    out = []
    for i in range(n):
        if i == n - 1:
            end = length
            start = max(0, end - crop)
        else:
            start = i * stride
            end = min(length, start + crop)
        out.append((start, end))
    return out


def multi_crop_windows(height: int, width: int, scales: Sequence[float],
                       crop: int, stride: int,
                       with_scaled: bool = False) -> List[List]:
    """Per scale, the windows of the scaled image as ``(y1, y2, x1, x2)`` in
    *original* image coordinates (starts ``floor(v / s)``, ends
    ``ceil(v / s)``, so that every pixel is covered); with
    ``with_scaled``, ``(original, scaled)`` window pairs."""
    per_scale = []
    for s in scales:
        if s <= 0:
            raise ValueError(f'scales must be > 0, got {s}')
        h, w = int(height * s), int(width * s)
        wins = []
        for y1, y2 in sliding_windows(max(h, 1), crop, stride):
            for x1, x2 in sliding_windows(max(w, 1), crop, stride):
                # starts round down, ends up: the windows cover the image
                oy1, oy2 = int(y1 / s), min(height, math.ceil(y2 / s - 1e-9))
                ox1, ox2 = int(x1 / s), min(width, math.ceil(x2 / s - 1e-9))
                oy2, ox2 = max(oy2, oy1 + 1), max(ox2, ox1 + 1)
                orig = (oy1, oy2, ox1, ox2)
                wins.append((orig, (y1, y2, x1, x2)) if with_scaled else orig)
        per_scale.append(wins)
    return per_scale


def retag_labels(labels: np.ndarray, regions: np.ndarray,
                 keys: Sequence[int], window: Window,
                 match_thr: float = 0.1) -> np.ndarray:
    """Image labels of a crop from the classes' confident regions.

    A labelled class stays in the crop's labels when more than
    ``match_thr`` of its confident region falls inside the window ("the
    object is in the crop") or the region covers more than ``match_thr`` of
    the window ("the crop is inside the object"). Classes without a
    confident region, or not labelled on the image, are dropped.

    Args:
        labels: ``(C_fg,)`` multi-hot image labels.
        regions: ``(K, H, W)`` bool confident regions of the classes
            ``keys`` (e.g. base CAM > 0.9).
        window: ``(y1, y2, x1, x2)``.
    """
    y1, y2, x1, x2 = window
    area = max((y2 - y1) * (x2 - x1), 1)
    new = np.zeros_like(np.asarray(labels, np.float32))
    for region, k in zip(regions, keys):
        total = int(region.sum())
        if total == 0 or labels[k] <= 0:
            continue
        inside = int(region[y1:y2, x1:x2].sum())
        if inside / total > match_thr or inside / area > match_thr:
            new[k] = 1.0
    return new
