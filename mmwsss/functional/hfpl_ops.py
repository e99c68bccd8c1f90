"""The losses of HFPL (Jonnarth, Zhang, Felsberg, WACV 2024) on tensors.

Importance-sampling loss (ISL, eq. 14-18) and feature-similarity loss (FSL,
eq. 9-13), in the binomial (sigmoid) form that plugs into any CAM
classifier. Pure functions; the registered modules wrap them.
"""
from __future__ import annotations

import math
from typing import Optional

import torch
import torch.nn.functional as F
from torch import Tensor

from .cam_ops import background_from_cams


def isl_sampling_probs(cams: Tensor, eps: float = 1e-5) -> Tensor:
    """``p_c(x) ∝ sigmoid(s_c(x)) + eps`` over the CAM grid (no gradient).

    Args:
        cams: ``(N, C, h, w)`` CAM logits ``s``.

    Returns:
        Tensor: ``(N, C, h*w)``, each row sums to 1.
    """
    p = torch.sigmoid(cams.detach()).flatten(2) + eps
    return p / p.sum(-1, keepdim=True)


def importance_sampling_loss(cams: Tensor, labels: Tensor,
                             num_samples: int = 10, eps: float = 1e-5,
                             generator: Optional[torch.Generator] = None,
                             indices: Optional[Tensor] = None) -> Tensor:
    """ISL (eq. 14-18): for every class draw ``num_samples`` pixels from
    :func:`isl_sampling_probs`, take the logits there and average their BCE
    against the image label (absent classes included, target 0).

    Gradients flow through the sampled logits, not through the sampling.

    Args:
        cams: ``(N, C, h, w)`` CAM logits.
        labels: ``(N, C)`` multi-hot image labels.
        generator: Random source of the draw.
        indices: ``(N, C, S)`` flat pixel indices (``y * w + x``) to use
            instead of drawing (to reproduce a run or compare with another
            implementation's samples).
    """
    n, c = cams.shape[:2]
    if indices is not None:
        if indices.shape[:2] != (n, c) or indices.dim() != 3:
            raise ValueError(f'ISL: indices must be (N, C, S) = ({n}, {c}, '
                             f'S), got {tuple(indices.shape)}')
        hw = cams.shape[2] * cams.shape[3]
        if indices.numel() and not (0 <= int(indices.min())
                                    and int(indices.max()) < hw):
            raise ValueError(f'ISL: indices outside the {hw} CAM pixels')
        idx = indices.reshape(n * c, -1).long().to(cams.device)
    else:
        probs = isl_sampling_probs(cams, eps).reshape(n * c, -1)
        idx = torch.multinomial(probs, num_samples, replacement=True,
                                generator=generator)        # (N*C, S)
    logits = cams.flatten(2).reshape(n * c, -1).gather(1, idx)
    target = labels.float().reshape(n * c, 1).expand_as(logits)
    return F.binary_cross_entropy_with_logits(logits, target)


def expected_isl(cams: Tensor, labels: Tensor, eps: float = 1e-5) -> Tensor:
    """The exact expectation of :func:`importance_sampling_loss` over the
    sampling distribution: ``mean_c sum_x p_c(x) BCE(s_c(x), y_c)``."""
    probs = isl_sampling_probs(cams, eps)
    flat = cams.flatten(2)
    target = labels.float()[..., None].expand_as(flat)
    bce = F.binary_cross_entropy_with_logits(flat, target, reduction='none')
    return (probs * bce).sum(-1).mean()


def gap_of_upsampled(cams: Tensor, size) -> Tensor:
    """Class scores as SEAM's and HFPL's training scripts compute them: the
    CAMs upsampled to the input ``size`` (bilinear, ``align_corners=True``),
    then averaged. Differs from the mean at CAM resolution by the border
    weights of the interpolation (~2 % on random CAMs)."""
    up = F.interpolate(cams, size=tuple(size), mode='bilinear',
                       align_corners=True)
    return up.mean(dim=(2, 3))


def gating_input(cams: Tensor, labels: Tensor, eps: float = 1e-5) -> Tensor:
    """FSL's ``r``: max-normalised ReLU'd CAMs of the *present* classes (absent
    ones zeroed) plus a background channel ``1 - max_c r_c``.

    Returns:
        Tensor: ``(N, C + 1, h, w)``, background first.
    """
    r = F.relu(cams)
    r = r / (r.flatten(2).max(-1)[0][..., None, None] + eps)
    r = r * labels.to(r.dtype)[..., None, None]
    bg = background_from_cams(r)
    return torch.cat([bg, r], 1)


def fsl_pair_weight(sq_dist, sigma: float):
    """The spatial weight of a pixel pair: the 2-D Gaussian density
    ``exp(-d^2 / (2 sigma^2)) / (2 pi sigma^2)`` (eq. 11).

    Normalised as in the authors' implementation, so ``sum_j w_ij ~ 1`` away
    from the border and the loss stays on the scale of ``1/2 |r_i - r_j|^2``
    whatever ``sigma``; an unnormalised kernel makes FSL ``2 pi sigma^2``
    (157 at sigma 5) times stronger.

    Args:
        sq_dist: Squared pixel distance ``d^2`` (float or tensor).
    """
    norm = 2 * math.pi * sigma**2
    if isinstance(sq_dist, Tensor):
        return torch.exp(-sq_dist / (2 * sigma**2)) / norm
    return math.exp(-sq_dist / (2 * sigma**2)) / norm


def _pair_term(ri: Tensor, rj: Tensor, xi: Tensor, xj: Tensor, mu: float,
               weight: float) -> Tensor:
    """``w 1/2 |r_i - r_j|^2 tanh(mu + logit(delta_ij))`` summed per image."""
    delta = (xi - xj).abs().sum(1) / 3                    # (N, h, w)
    delta = delta.clamp(1e-6, 1 - 1e-6)
    gate = torch.tanh(mu + torch.log(delta) - torch.log1p(-delta))
    diff = 0.5 * (ri - rj).pow(2).sum(1)
    return weight * (diff * gate).flatten(1).sum(-1)


def feature_similarity_loss_dense(r: Tensor, image: Tensor,
                                  sigma: float = 5.0,
                                  mu: float = 2.5) -> Tensor:
    """FSL (eq. 9-13) over all ``(HW)^2`` pairs (the reference formula; for
    tests): ``-1/(HW) sum_ij w_ij 1/2 |r_i - r_j|^2 tanh(mu + logit(d_ij))``
    with the normalised Gaussian ``w_ij = exp(-|p_i - p_j|^2 / (2 sigma^2))
    / (2 pi sigma^2)`` (:func:`fsl_pair_weight`) and ``d_ij = |x_i - x_j|_1
    / 3``. Returns the batch mean."""
    n, c, h, w = r.shape
    ys, xs = torch.meshgrid(torch.arange(h), torch.arange(w), indexing='ij')
    pos = torch.stack([ys, xs], -1).reshape(-1, 2).to(r)
    wgt = fsl_pair_weight(torch.cdist(pos, pos).pow(2), sigma)
    rf, xf = r.flatten(2), image.flatten(2)               # (N, C, HW)
    diff = 0.5 * (rf[..., :, None] - rf[..., None, :]).pow(2).sum(1)
    delta = (xf[..., :, None] - xf[..., None, :]).abs().sum(1) / 3
    delta = delta.clamp(1e-6, 1 - 1e-6)
    gate = torch.tanh(mu + torch.log(delta) - torch.log1p(-delta))
    total = (wgt * diff * gate).flatten(1).sum(-1)
    return (-total / (h * w)).mean()


def feature_similarity_loss(r: Tensor, image: Tensor, sigma: float = 5.0,
                            mu: float = 2.5,
                            radius: Optional[int] = None) -> Tensor:
    """FSL with only the pairs inside a ``(2R+1)^2`` window (same value as
    :func:`feature_similarity_loss_dense` up to the Gaussian's truncated
    tail). Memory stays at a few ``(N, C, h, w)`` maps: the offsets are
    visited one by one, each unordered pair once and counted twice.

    Args:
        r: ``(N, C, h, w)`` gating input (:func:`gating_input`).
        image: ``(N, 3, h, w)`` RGB in ``[0, 1]`` at CAM resolution.
        radius: ``R``; default ``ceil(3.72 sigma)``, where the Gaussian
            weight has fallen to ``exp(-6.9) = 1e-3``.
    """
    n, c, h, w = r.shape
    if radius is None:
        radius = math.ceil(3.72 * sigma)
    total = r.new_zeros(n)
    for dy in range(0, min(radius, h - 1) + 1):
        for dx in range(-min(radius, w - 1), min(radius, w - 1) + 1):
            if dy == 0 and dx <= 0:
                continue   # each unordered pair once; (0, 0) adds nothing
            wgt = fsl_pair_weight(float(dy * dy + dx * dx), sigma)
            ys, ye = 0, h - dy
            xs, xe = max(0, -dx), min(w, w - dx)
            a = (slice(None), slice(None), slice(ys, ye), slice(xs, xe))
            b = (slice(None), slice(None), slice(ys + dy, ye + dy),
                 slice(xs + dx, xe + dx))
            total = total + 2 * _pair_term(r[a], r[b], image[a], image[b],
                                           mu, wgt)
    return (-total / (h * w)).mean()
