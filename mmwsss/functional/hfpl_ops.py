"""The losses of HFPL (Jonnarth, Zhang, Felsberg, WACV 2024) on tensors.

Importance-sampling loss (ISL, eq. 14-18) and feature-similarity loss (FSL,
eq. 9-13), in the binomial (sigmoid) form that plugs into any CAM
classifier. Pure functions; the registered modules wrap them.
"""
from __future__ import annotations

import math
from typing import Optional, Tuple

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


#: Window radius of the windowed FSL in units of sigma: the Gaussian
#: weight at the window's edge is exp(-4.5^2 / 2) = 4e-5 of the centre's
#: (relative loss error on realistic inputs: tests/test_functional/
#: test_hfpl_ops.py; 3.72 sigma, an edge weight of 1e-3, gave 1.2-1.9e-3).
FSL_RADIUS_SIGMAS = 4.5


def fsl_gate(xa: Tensor, xb: Tensor, mu: float) -> Tensor:
    """``tanh(mu + logit(delta))`` with ``delta = |x_a - x_b|_1 / 3`` of two
    aligned ``(N, 3, ...)`` RGB maps in ``[0, 1]`` (eq. 12), ``delta``
    clamped to ``[1e-6, 1 - 1e-6]``: ``(N, ...)``."""
    delta = (xa - xb).abs_().sum(1).div_(3)
    return torch.logit(delta, eps=1e-6).add_(mu).tanh_()


def _window_offsets(h: int, w: int, radius: int):
    """The offsets ``(dy, dx)`` of the half window: each unordered pair of
    pixels within ``radius`` (Chebyshev) once, ``(0, 0)`` excluded."""
    for dy in range(0, min(radius, h - 1) + 1):
        for dx in range(-min(radius, w - 1), min(radius, w - 1) + 1):
            if dy == 0 and dx <= 0:
                continue
            yield dy, dx


def fsl_laplacian(r: Tensor, image: Tensor, sigma: float, mu: float,
                  radius: int) -> Tuple[Tensor, Tensor]:
    """The pair graph of the windowed FSL applied to ``r``.

    With ``G_ij = w_ij tanh(mu + logit(delta_ij))`` over the window's pairs
    (each counted in both directions), returns the degree ``A_i = sum_j
    G_ij`` (``(N, h, w)``) and ``S_i = sum_j G_ij r_j`` (``(N, C, h, w)``).
    Then ``sum_ij G_ij 1/2 |r_i - r_j|^2 = sum_i (A_i |r_i|^2 - r_i . S_i)``
    and its gradient w.r.t. ``r`` is ``2 (A r - S)``: the graph Laplacian
    (:func:`feature_similarity_loss` uses both). The colour gate depends
    on the image only; per offset the CAM-dependent work is two
    multiply-adds. No autograd graph is built.
    """
    h, w = r.shape[-2:]
    if radius >= max(h, w) - 1:
        # the window holds every pair: one matrix product beats ~(2R+1)^2/2
        # small per-offset ops (16x16 grids of the single-stage network)
        return _fsl_laplacian_all_pairs(r, image, sigma, mu)
    return _fsl_laplacian_offsets(r, image, sigma, mu, radius)


def _fsl_laplacian_offsets(r: Tensor, image: Tensor, sigma: float, mu: float,
                           radius: int) -> Tuple[Tensor, Tensor]:
    """:func:`fsl_laplacian` offset by offset over the half window."""
    n, c, h, w = r.shape
    with torch.no_grad():
        # a channel of ones rides along: its accumulator is the degree A
        r1 = torch.cat([r, r.new_ones(n, 1, h, w)], 1)
        acc = torch.zeros_like(r1)
        for dy, dx in _window_offsets(h, w, radius):
            wgt = fsl_pair_weight(float(dy * dy + dx * dx), sigma)
            xs, xe = max(0, -dx), min(w, w - dx)
            a = (slice(None), slice(None), slice(0, h - dy), slice(xs, xe))
            b = (slice(None), slice(None), slice(dy, h),
                 slice(xs + dx, xe + dx))
            g = fsl_gate(image[a], image[b], mu).mul_(wgt).unsqueeze(1)
            acc[a].addcmul_(g, r1[b])
            acc[b].addcmul_(g, r1[a])
    return acc[:, c], acc[:, :c]


#: Elements of the ``(n, hw, hw)`` pair matrix built at once by the
#: all-pairs path (64 MB in float32); larger batches are split.
FSL_PAIR_CHUNK = 1 << 24


def _fsl_laplacian_all_pairs(r: Tensor, image: Tensor, sigma: float,
                             mu: float) -> Tuple[Tensor, Tensor]:
    """:func:`fsl_laplacian` when the window covers the whole grid: the
    pair matrix ``G`` (``(n, hw, hw)``, zero diagonal) is built densely,
    ``A = G 1`` and ``S = r G`` (``G`` is symmetric), batch split so a
    chunk holds at most :data:`FSL_PAIR_CHUNK` pairs. Same pairs, weights
    and gate as the windowed loop."""
    n, c, h, w = r.shape
    hw = h * w
    with torch.no_grad():
        ys, xs = torch.meshgrid(torch.arange(h, device=r.device),
                                torch.arange(w, device=r.device),
                                indexing='ij')
        pos = torch.stack([ys.flatten(), xs.flatten()], 1).to(r.dtype)
        d2 = (pos[:, None, :] - pos[None, :, :]).pow_(2).sum(-1)
        wgt = fsl_pair_weight(d2, sigma).fill_diagonal_(0)
        rf, xf = r.reshape(n, c, hw), image.reshape(n, 3, hw)
        deg, acc = r.new_empty(n, hw), r.new_empty(n, c, hw)
        step = max(1, FSL_PAIR_CHUNK // (hw * hw))
        for s in range(0, n, step):
            x = xf[s:s + step]
            delta = (x[:, 0, :, None] - x[:, 0, None, :]).abs_()
            for k in (1, 2):
                delta.add_((x[:, k, :, None] - x[:, k, None, :]).abs_())
            g = torch.logit(delta.div_(3), eps=1e-6).add_(mu).tanh_()
            g.mul_(wgt)
            deg[s:s + step] = g.sum(-1)
            torch.bmm(rf[s:s + step], g, out=acc[s:s + step])
    return deg.view(n, h, w), acc.view(n, c, h, w)


class _WindowedFSL(torch.autograd.Function):
    """``-1/(N h w) sum_n sum_ij G_ij 1/2 |r_i - r_j|^2`` with the gradient
    in closed form, ``-2 (A r - S) / (N h w)`` (:func:`fsl_laplacian`): no
    per-offset graphs are kept."""

    @staticmethod
    def forward(ctx, r: Tensor, image: Tensor, sigma: float, mu: float,
                radius: int) -> Tensor:
        n, c, h, w = r.shape
        deg, acc = fsl_laplacian(r.detach(), image.detach(), sigma, mu,
                                 radius)
        total = (deg.unsqueeze(1) * r * r).sum() - (r * acc).sum()
        ctx.save_for_backward(r, deg, acc)
        ctx.scale = -1.0 / (n * h * w)
        return total * ctx.scale

    @staticmethod
    def backward(ctx, grad: Tensor):
        r, deg, acc = ctx.saved_tensors
        g = (deg.unsqueeze(1) * r - acc) * (2 * grad * ctx.scale)
        return g, None, None, None, None


def feature_similarity_loss(r: Tensor, image: Tensor, sigma: float = 5.0,
                            mu: float = 2.5,
                            radius: Optional[int] = None) -> Tensor:
    """FSL with only the pairs inside a ``(2R+1)^2`` window (same value as
    :func:`feature_similarity_loss_dense` up to the Gaussian's truncated
    tail), as a quadratic form: ``-1/(hw) sum_i (A_i |r_i|^2 - r_i . S_i)``
    (:func:`fsl_laplacian`), batch mean. The gradient w.r.t. ``r`` is
    written in closed form (a custom autograd function): memory stays at a
    few ``(N, C, h, w)`` maps; no gradient reaches ``image``.

    Args:
        r: ``(N, C, h, w)`` gating input (:func:`gating_input`).
        image: ``(N, 3, h, w)`` RGB in ``[0, 1]`` at CAM resolution.
        radius: ``R``; default ``ceil(4.5 sigma)``
            (:data:`FSL_RADIUS_SIGMAS`).
    """
    if radius is None:
        radius = math.ceil(FSL_RADIUS_SIGMAS * sigma)
    return _WindowedFSL.apply(r, image, float(sigma), float(mu), int(radius))


def feature_similarity_loss_autograd(r: Tensor, image: Tensor,
                                     sigma: float = 5.0, mu: float = 2.5,
                                     radius: Optional[int] = None) -> Tensor:
    """The former windowed FSL, differentiated by autograd through every
    offset (the reference :func:`feature_similarity_loss` is tested and
    benchmarked against)."""
    n, c, h, w = r.shape
    if radius is None:
        radius = math.ceil(FSL_RADIUS_SIGMAS * sigma)
    total = r.new_zeros(n)
    for dy, dx in _window_offsets(h, w, radius):
        wgt = fsl_pair_weight(float(dy * dy + dx * dx), sigma)
        xs, xe = max(0, -dx), min(w, w - dx)
        a = (slice(None), slice(None), slice(0, h - dy), slice(xs, xe))
        b = (slice(None), slice(None), slice(dy, h), slice(xs + dx, xe + dx))
        total = total + 2 * _pair_term(r[a], r[b], image[a], image[b], mu,
                                       wgt)
    return (-total / (h * w)).mean()
