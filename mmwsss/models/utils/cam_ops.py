"""Pure tensor functions on class activation maps (CAMs).

A CAM (Zhou et al., CVPR 2016, eq. 2) of class ``c`` at pixel ``x`` is the
class's classifier weight applied to the feature there,
``M_c(x) = w_c^T f(x)``. With global average pooling, the class score is
``s_c = mean_x M_c(x)`` (the classifier commutes with the pooling).
"""
from __future__ import annotations

from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor


def normalize_cams(cams: Tensor, eps: float = 1e-5) -> Tensor:
    """ReLU, then divide each map by its spatial maximum.

    ``M'_c = relu(M_c) / (max_x relu(M_c(x)) + eps)``, so every map lies in
    ``[0, 1)`` and an all-non-positive map becomes all zeros (never NaN).

    Args:
        cams: ``(N, C, H, W)``.
    """
    cams = F.relu(cams)
    peak = cams.flatten(2).max(dim=2)[0][..., None, None]
    return cams / (peak + eps)


def restrict_cams(cams: Tensor, keep: Tensor) -> Tensor:
    """Zero the maps of classes not in ``keep`` (``(N, C)`` 0/1 or bool)."""
    return cams * keep.to(cams.dtype)[..., None, None]


def cams_to_seg_logits(cams: Tensor, bg_threshold: float) -> Tensor:
    """Prepend a constant background channel: ``[t, M'_1, ..., M'_C]``.

    The argmax of the result labels a pixel background unless some class's
    normalised CAM exceeds ``t`` - the usual CAM-to-mask rule.
    """
    bg = torch.full_like(cams[:, :1], float(bg_threshold))
    return torch.cat([bg, cams], dim=1)


def cams_to_mask(cams: Tensor, bg_threshold: float,
                 ignore: Optional[Tensor] = None) -> Tensor:
    """Label map (``(N, H, W)`` int64, 0 = background) from normalised CAMs."""
    mask = cams_to_seg_logits(cams, bg_threshold).argmax(dim=1)
    if ignore is not None:
        mask[ignore] = 255
    return mask


def aggregate_cams(maps, mode: str = 'sum') -> Tensor:
    """Combine CAMs of several augmentations (already at a common size).

    Args:
        maps: A list of ``(N, C, H, W)`` non-negative maps, e.g. ReLU'd raw
            CAMs of the scales and flips of multi-scale inference.
        mode: ``'sum'`` (IRN/AMN: sum of ReLU'd maps) or ``'mean'``. With the
            per-class max-normalisation that follows, the two differ only
            where the result is all zero; both are offered to match the
            reference code of each method.
    """
    if mode not in ('sum', 'mean'):
        raise ValueError(f"mode must be 'sum' or 'mean', got {mode!r}")
    stacked = torch.stack(list(maps))
    return stacked.sum(0) if mode == 'sum' else stacked.mean(0)


def background_from_cams(cams: Tensor, alpha: float = 1.0) -> Tensor:
    """The background score ``(1 - max_c M'_c)^alpha`` (psa / SEAM).

    Args:
        cams: ``(C, H, W)`` or ``(N, C, H, W)`` normalised CAMs in [0, 1].
    """
    peak = cams.amax(dim=-3, keepdim=True)
    return (1 - peak).clamp(min=0).pow(alpha)
