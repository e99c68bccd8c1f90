"""Pixel-Adaptive Mask Refinement (PAMR), Araslanov & Roth, CVPR 2020, §3.2.

A parameter-free refiner: each pixel's mask becomes an affinity-weighted
average of its neighbours' masks, repeated ``num_iter`` times. The affinity
of pixel ``i`` to neighbour ``j`` (eq. 7) is

    k(i, j) = -|I_i - I_j| / (1e-8 + 0.1 * sigma_i)

averaged over the colour channels, where ``sigma_i`` is the unbiased standard
deviation of the image over all taps around ``i`` (the 3 x 3 window, centre
included, at every dilation); a softmax over the neighbours gives the
weights (eq. 8). Neighbours are the 8 pixels of a 3 x 3 kernel (centre
excluded) at each dilation (1, 2, 4, 8, 12, 24: 48 neighbours), with
replicate padding.
"""
from __future__ import annotations

from typing import List, Optional, Sequence

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from .base import ScoreRefiner

_OFFSETS = [(-1, -1), (-1, 0), (-1, 1), (0, -1), (0, 1), (1, -1), (1, 0),
            (1, 1)]

#: The paper's PAMR settings (§3.2): 3x3 kernels at these dilations, 10
#: iterations; the defaults everywhere (functions, refiner, single-stage).
PAMR_DILATIONS = (1, 2, 4, 8, 12, 24)
PAMR_ITERS = 10


def _taps(x: Tensor, dilations: Sequence[int],
          centre: bool) -> List[Tensor]:
    """Shifted copies of ``x`` (``(N, K, H, W)``): the 8 neighbours (and the
    centre, with ``centre``) of each pixel at each dilation, replicate
    padded."""
    h, w = x.shape[-2:]
    out = []
    for d in dilations:
        pad = F.pad(x, [d] * 4, mode='replicate')
        offsets = _OFFSETS + ([(0, 0)] if centre else [])
        for dy, dx in offsets:
            out.append(pad[..., d + dy * d:d + dy * d + h,
                           d + dx * d:d + dx * d + w])
    return out


def pamr_affinity(image: Tensor,
                  dilations: Sequence[int] = PAMR_DILATIONS
                  ) -> Tensor:
    """Neighbour weights ``(N, P, H, W)`` (softmax over the ``P`` =
    8 x len(dilations) neighbours) of eq. 7-8.

    Args:
        image: ``(N, K, H, W)`` image (any colour scale: the affinity is
            normalised by the local standard deviation).
    """
    image = image.float()
    # tap by tap instead of stacking (N, K, P, H, W) copies: the same sums,
    # a fraction of the memory traffic
    taps = _taps(image, dilations, centre=True)
    mean = torch.zeros_like(image)
    for t in taps:
        mean += t
    mean /= len(taps)
    var = torch.zeros_like(image)
    for t in taps:
        var.addcmul_(t - mean, t - mean)
    sigma = (var / (len(taps) - 1)).sqrt_()                 # (N, K, H, W)
    denom = sigma.mul_(0.1).add_(1e-8)
    aff = torch.stack([(nb - image).abs_().div_(denom).mean(1)
                       for nb in _taps(image, dilations, centre=False)], 1)
    return F.softmax(aff.neg_(), dim=1)


def pamr_affinity_stacked(image: Tensor,
                          dilations: Sequence[int] = PAMR_DILATIONS
                          ) -> Tensor:
    """:func:`pamr_affinity` computed on stacked ``(N, K, P, H, W)`` taps,
    eq. 7-8 as written (and as the former code did): the reference form
    the tests and benchmarks compare with."""
    image = image.float()
    taps = torch.stack(_taps(image, dilations, centre=True), 2)
    sigma = taps.std(2, unbiased=True)                      # (N, K, H, W)
    neigh = torch.stack(_taps(image, dilations, centre=False), 2)
    aff = -(neigh - image.unsqueeze(2)).abs() / (
        1e-8 + 0.1 * sigma.unsqueeze(2))                     # (N, K, P, H, W)
    return F.softmax(aff.mean(1), dim=1)


def _pamr_iterate(masks: Tensor, aff: Tensor, num_iter: int,
                  dilations: Sequence[int]) -> Tensor:
    """``num_iter`` times ``m_i <- sum_j a_ij m_j``: ``masks`` ``(K, C, H,
    W)``, ``aff`` ``(K, P, H, W)`` (one affinity map per mask row)."""
    h, w = masks.shape[-2:]
    for _ in range(num_iter):
        # accumulate sum_j a_ij m_j neighbour by neighbour: memory stays
        # at one (K, C, H, W) map instead of P of them
        out = torch.zeros_like(masks)
        p = 0
        for d in dilations:
            pad = F.pad(masks, [d] * 4, mode='replicate')
            for dy, dx in _OFFSETS:
                out.addcmul_(aff[:, p:p + 1],
                             pad[..., d + dy * d:d + dy * d + h,
                                 d + dx * d:d + dx * d + w])
                p += 1
        masks = out
    return masks


@torch.no_grad()
def pamr(image: Tensor,
         masks: Tensor,
         num_iter: int = PAMR_ITERS,
         dilations: Sequence[int] = PAMR_DILATIONS,
         keep: Optional[Tensor] = None) -> Tensor:
    """Refine ``masks`` (``(N, C, h, w)``) with the image's local affinities.

    The masks are resized (bilinear) to the image size first; pass the image
    resized to the mask size to refine at mask resolution (as the
    single-stage model does). Each iteration is
    ``m_i <- sum_j a_ij m_j`` over the neighbours ``j`` of ``i``; the
    weights sum to 1, so per pixel the class sum is preserved when the input
    masks sum to 1. No gradient flows.

    Args:
        keep: Optional ``(N, C)`` 0/1 mask of the channels to refine. PAMR
            is independent per channel, so refining only these (gathered
            over the whole batch, one affinity map per kept channel) equals
            refining all and zeroing the others - at the cost of the kept
            channels only (background + an image's labels: 2-3 of 21 on
            VOC). The other channels come back as 0.

    Returns:
        Tensor: ``(N, C, H, W)`` refined masks.
    """
    if image.dim() != 4 or masks.dim() != 4 or image.shape[0] != \
            masks.shape[0]:
        raise ValueError(f'PAMR needs (N, K, H, W) image and (N, C, h, w) '
                         f'masks, got {tuple(image.shape)} and '
                         f'{tuple(masks.shape)}')
    size = image.shape[-2:]
    aff = pamr_affinity(image, dilations)                    # (N, P, H, W)
    if keep is None:
        if masks.shape[-2:] != size:
            masks = F.interpolate(masks, size=size, mode='bilinear',
                                  align_corners=True)
        return _pamr_iterate(masks.float(), aff, num_iter, dilations)
    if keep.shape != masks.shape[:2]:
        raise ValueError(f'keep {tuple(keep.shape)} must be (N, C) of the '
                         f'masks {tuple(masks.shape)}')
    n_idx, c_idx = keep.bool().nonzero(as_tuple=True)
    sub = masks[n_idx, c_idx].unsqueeze(1)                  # (K, 1, h, w)
    if sub.shape[-2:] != size:
        sub = F.interpolate(sub, size=size, mode='bilinear',
                            align_corners=True)
    refined = _pamr_iterate(sub.float(), aff[n_idx], num_iter, dilations)
    out = sub.new_zeros((*masks.shape[:2], *size), dtype=torch.float32)
    out[n_idx, c_idx] = refined[:, 0]
    return out


@MODELS.register_module()
class PAMR(nn.Module, ScoreRefiner):
    """Registered PAMR refiner (see :func:`pamr`); parameter-free.

    ``PAMR()(image, masks)`` works on tensors of any device. It is also
    usable as a pseudo-label refiner on numpy arrays
    (``refiner(img HxWx3 uint8, probs (K, H, W)) -> probs``), like
    :class:`~mmwsss.models.DenseCRF`.

    Args:
        num_iter: Iterations (paper: 10).
        dilations: Kernel dilations (paper: 1, 2, 4, 8, 12, 24).
    """

    def __init__(self, num_iter: int = PAMR_ITERS,
                 dilations: Sequence[int] = PAMR_DILATIONS) -> None:
        super().__init__()
        self.num_iter = num_iter
        self.dilations = tuple(dilations)

    def forward(self, image, masks):
        if not isinstance(image, Tensor):  # numpy refiner interface
            img = torch.from_numpy(np.ascontiguousarray(image)).float()
            img = img.permute(2, 0, 1)[None]
            probs = torch.from_numpy(np.asarray(masks, np.float32))[None]
            return pamr(img, probs, self.num_iter,
                        self.dilations)[0].numpy()
        return pamr(image, masks, self.num_iter, self.dilations)

    def extra_repr(self) -> str:
        return f'num_iter={self.num_iter}, dilations={self.dilations}'
