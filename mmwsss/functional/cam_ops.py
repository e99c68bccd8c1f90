"""Pure tensor functions on class activation maps (CAMs).

A CAM (Zhou et al., CVPR 2016, eq. 2) of class ``c`` at pixel ``x`` is the
class's classifier weight applied to the feature there,
``M_c(x) = w_c^T f(x)``. With global average pooling, the class score is
``s_c = mean_x M_c(x)`` (the classifier commutes with the pooling).
"""
from __future__ import annotations

from typing import Optional, Union

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor

CAMs = Union[Tensor, np.ndarray]


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


def cams_to_seg_logits(cams: CAMs, bg_threshold: float = 0.25,
                       bg_alpha: Optional[float] = None) -> CAMs:
    """Prepend a background channel: ``[b, M'_1, ..., M'_C]``.

    The one definition of the CAM-to-mask rule in mmwsss. The background
    score ``b`` is the constant ``t = bg_threshold`` (the CAM-threshold
    rule: the argmax labels a pixel background unless some class's
    normalised CAM exceeds ``t``) or, with ``bg_alpha``,
    :func:`background_from_cams` ``(1 - max_c M'_c)^alpha`` (psa, SEAM).

    Args:
        cams: ``(..., C, H, W)`` normalised CAMs in [0, 1], a Tensor or a
            numpy array (the result has the same type and dtype).
    """
    if bg_alpha is not None:
        bg = background_from_cams(cams, bg_alpha)
    elif isinstance(cams, np.ndarray):
        bg = np.full(cams.shape[:-3] + (1, ) + cams.shape[-2:], bg_threshold,
                     cams.dtype)
    else:
        bg = torch.full_like(cams[..., :1, :, :], float(bg_threshold))
    if isinstance(cams, np.ndarray):
        return np.concatenate([bg, cams], axis=-3)
    return torch.cat([bg, cams], dim=-3)


def cams_to_mask(cams: Tensor, bg_threshold: float,
                 ignore: Optional[Tensor] = None) -> Tensor:
    """Label map (0 = background, ``c`` = foreground index ``c - 1``) of
    :func:`cams_to_seg_logits`: ``(..., C, H, W)`` -> ``(..., H, W)``
    int64."""
    mask = cams_to_seg_logits(cams, bg_threshold).argmax(dim=-3)
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


def background_from_cams(cams: CAMs, alpha: float = 1.0) -> CAMs:
    """The background score ``(1 - max_c M'_c)^alpha`` (psa / SEAM).

    Args:
        cams: ``(..., C, H, W)`` normalised CAMs in [0, 1] (Tensor or numpy
            array). The maximum is ``torch.max`` (its gradient goes to one
            channel), so FSL's gating input (alpha 1) can use it too.
    """
    if isinstance(cams, np.ndarray):
        peak = cams.max(axis=-3, keepdims=True)
        bg = 1 - peak
        return bg if alpha == 1 else np.power(np.maximum(bg, 0), alpha)
    peak = cams.max(dim=-3, keepdim=True)[0]
    bg = 1 - peak
    return bg if alpha == 1 else bg.clamp(min=0).pow(alpha)
