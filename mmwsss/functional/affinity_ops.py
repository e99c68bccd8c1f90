"""AffinityNet and the random walk (PSA: Ahn & Kwak, CVPR 2018) on tensors.

Pairs of pixels within a radius (PSA's half disc of offsets), affinity
labels of those pairs from a label map, the affinity loss, and the random
walk that propagates CAMs along learned affinities. The constants are
PSA's (radius 5, beta 8, logt 8; HFPL uses logt 6 and background power 6).
"""
from __future__ import annotations

import math
import warnings
from typing import List, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

IGNORE = 255


def radius_offsets(radius: int = 5) -> List[Tuple[int, int]]:
    """PSA's half disc of pair offsets ``(dy, dx)``: ``(0, 1..r-1)`` and,
    for ``dy = 1..r-1``, every ``dx`` with ``dx^2 + dy^2 < r^2``. Each
    unordered pair of pixels closer than ``r`` appears once (34 offsets at
    ``r = 5``)."""
    if radius < 2:
        raise ValueError(f'radius must be >= 2, got {radius}')
    offsets = [(0, dx) for dx in range(1, radius)]
    for dy in range(1, radius):
        for dx in range(-radius + 1, radius):
            if dx * dx + dy * dy < radius * radius:
                offsets.append((dy, dx))
    return offsets


def _pair_slices(h: int, w: int, radius: int):
    """PSA's fixed crop: the 'from' pixels are rows ``[0, h - r + 1)``,
    columns ``[r - 1, w - r + 1)``, so every offset's partner is inside."""
    m = radius - 1
    if h <= m or w <= 2 * m:
        raise ValueError(f'a {h}x{w} grid is too small for radius {radius}')
    return m, h - m, w - 2 * m


def pair_values(x: Tensor, radius: int = 5) -> Tuple[Tensor, Tensor]:
    """``(from, to)`` values of every pair of :func:`radius_offsets` on
    PSA's crop: ``x (..., h, w)`` -> ``(..., 1, P)`` and ``(..., K, P)``
    with ``K`` offsets and ``P`` 'from' pixels."""
    h, w = x.shape[-2:]
    m, ch, cw = _pair_slices(h, w, radius)
    src = x[..., :ch, m:m + cw].flatten(-2).unsqueeze(-2)
    dst = torch.stack([x[..., dy:dy + ch, m + dx:m + dx + cw].flatten(-2)
                       for dy, dx in radius_offsets(radius)], -2)
    return src, dst


def affinity_labels(label: Tensor, radius: int = 5
                    ) -> Tuple[Tensor, Tensor, Tensor]:
    """PSA's pair labels of a label map ``(N, h, w)`` (``255`` ignored):
    masks ``(N, K, P)`` of background-positive pairs (both 0),
    foreground-positive pairs (the same foreground class) and negative
    pairs (different classes); pairs with an ignored end are in none."""
    src, dst = pair_values(label, radius)
    valid = (src != IGNORE) & (dst != IGNORE)
    same = (src == dst) & valid
    bg = same & (src == 0)
    fg = same & (src != 0)
    neg = (src != dst) & valid
    return bg, fg, neg


def fuse_confident_labels(label_low: Tensor, label_high: Tensor,
                          bg_both: bool = False) -> Tensor:
    """Affinity training labels from two labellings of the same CAMs: one
    with more background (``label_low``: PSA's background power 4, IRN's
    foreground threshold 0.30) and one with less (``label_high``: PSA 32,
    IRN 0.05). A pixel is a foreground class where ``label_low`` says so,
    background where ``label_high`` says background (PSA), or where both
    do (``bg_both``: IRN's ``conf[bg_conf + fg_conf == 0] = 0``), ignored
    (255) otherwise."""
    out = label_low.clone()
    out[label_low == 0] = IGNORE
    bg = label_high == 0
    if bg_both:
        bg = bg & (label_low == 0)
    out[bg] = 0
    return out


def feature_affinities(feat: Tensor, radius: int = 5) -> Tensor:
    """AffinityNet's ``a_ij = exp(-mean_c |f_i - f_j|)`` for the pairs of
    :func:`pair_values`: ``feat (N, C, h, w)`` -> ``(N, K, P)``."""
    src, dst = pair_values(feat, radius)   # (N, C, 1, P), (N, C, K, P)
    return torch.exp(-(src - dst).abs().mean(1))


def affinity_loss(aff: Tensor, bg: Tensor, fg: Tensor, neg: Tensor,
                  eps: float = 1e-5) -> Tuple[Tensor, Tensor, Tensor]:
    """PSA's loss terms: the means over the background-positive,
    foreground-positive and negative pairs of ``-log(a + eps)``,
    ``-log(a + eps)`` and ``-log(1 + eps - a)``; the total is
    ``bg / 4 + fg / 4 + neg / 2``. A term without pairs is 0."""
    def mean(x: Tensor, m: Tensor) -> Tensor:
        m = m.to(x.dtype)
        return (x * m).sum() / m.sum().clamp(min=1)
    pos = -torch.log(aff + eps)
    return (mean(pos, bg), mean(pos, fg),
            mean(-torch.log(1 + eps - aff), neg))


def dense_affinity(aff: Tensor, h: int, w: int, radius: int = 5) -> Tensor:
    """The symmetric ``(N, hw, hw)`` affinity matrix of pair affinities
    ``(N, K, P)`` on an ``h x w`` grid, with 1 on the diagonal and 0 for
    pixels farther apart than the radius (or outside PSA's crop):
    :func:`dense_from_graph` on PSA's pairs."""
    src, dst = _edges(*pair_indices(h, w, radius, aff.device))
    return dense_from_graph(aff.reshape(aff.shape[0], -1), src, dst, h * w)


def transition_matrix(aff: Tensor, beta: float = 8.0, logt: int = 8
                      ) -> Tensor:
    """The random walk's ``T^t``: ``aff^beta`` (``(N, hw, hw)``, dense),
    each column normalised to sum 1 (PSA: ``trans_mat / sum(trans_mat,
    0)``), squared ``logt`` times (``t = 2^logt`` steps)."""
    t = aff.pow(beta)
    t = t / t.sum(1, keepdim=True)
    for _ in range(logt):
        t = torch.bmm(t, t)
    return t


def random_walk(cams: Tensor, trans: Tensor) -> Tensor:
    """Propagate ``cams (N, K, h, w)`` (background included) with
    ``T^t`` (:func:`transition_matrix`): ``vec(cam) T``."""
    n, k, h, w = cams.shape
    return torch.bmm(cams.reshape(n, k, h * w), trans).view(n, k, h, w)


def pair_indices(h: int, w: int, radius: int = 5,
                 device=None) -> Tuple[Tensor, Tensor]:
    """Flat indices ``(src (P,), dst (K, P))`` on an ``h x w`` grid of the
    pairs of :func:`pair_values` (PSA's ``get_indices_in_radius``)."""
    idx = torch.arange(h * w, device=device).view(h, w)
    src, dst = pair_values(idx, radius)
    return src[0], dst


def _edges(src: Tensor, dst: Tensor) -> Tuple[Tensor, Tensor]:
    """Flat ``(E,)`` edge lists of :func:`pair_indices`' ``(P,)`` and
    ``(K, P)``."""
    return src.expand_as(dst).reshape(-1), dst.reshape(-1)


def feature_graph(feat: Tensor, radius: int = 5, pairs: str = 'psa'
                  ) -> Tuple[Tensor, Tensor, Tensor]:
    """The affinity graph of an embedding ``feat (N, C, h, w)``: pair
    affinities ``(N, E)`` (:func:`feature_affinities`) with their flat
    ``src`` and ``dst`` indices ``(E,)``, each unordered pair once.

    ``pairs='psa'``: the pairs of PSA's code (:func:`pair_values`: 'from'
    pixels on its crop, so pixels in the last ``radius - 1`` rows and the
    first / last ``radius - 1`` columns are never paired with each other).
    ``pairs='all'``: every pair closer than ``radius`` (the paper's
    definition): the embedding is zero-padded so the crop covers the whole
    grid, and pairs reaching into the padding are dropped.
    """
    n, _, h, w = feat.shape
    if pairs == 'psa':
        src, dst = _edges(*pair_indices(h, w, radius, feat.device))
        return feature_affinities(feat, radius).reshape(n, -1), src, dst
    if pairs != 'all':
        raise ValueError(f"pairs must be 'psa' or 'all', got {pairs!r}")
    m = radius - 1
    aff = feature_affinities(F.pad(feat, (m, m, 0, m)), radius)
    orig = torch.full((h + m, w + 2 * m), -1, dtype=torch.long,
                      device=feat.device)
    orig[:h, m:m + w] = torch.arange(h * w, device=feat.device).view(h, w)
    src, dst = _edges(*pair_indices(h + m, w + 2 * m, radius, feat.device))
    src, dst = orig.view(-1)[src], orig.view(-1)[dst]
    keep = dst >= 0
    return aff.reshape(n, -1)[:, keep], src[keep], dst[keep]


def dense_from_graph(aff: Tensor, src: Tensor, dst: Tensor,
                     cells: int) -> Tensor:
    """The symmetric ``(N, cells, cells)`` affinity matrix of a graph
    (:func:`feature_graph`), 1 on the diagonal."""
    mat = torch.zeros(aff.shape[0], cells, cells, dtype=aff.dtype,
                      device=aff.device)
    mat[:, src, dst] = aff
    mat[:, dst, src] = aff
    diag = torch.arange(cells, device=aff.device)
    mat[:, diag, diag] = 1
    return mat


def graph_random_walk(cams: Tensor, aff: Tensor, src: Tensor, dst: Tensor,
                      beta: float = 8.0, logt: int = 8) -> Tensor:
    """:func:`random_walk` with ``T^t`` of :func:`transition_matrix` on
    :func:`dense_from_graph`, without forming a dense matrix: the sparse
    ``T`` (``aff^beta`` on the graph's pairs, 1 on the diagonal, columns
    normalised) is applied ``2^logt`` times to ``vec(cam)``. The same walk
    (``vec(cam) T^(2^logt)``, by associativity), in ``O(cells x offsets)``
    memory and ``O(2^logt x cells x offsets x classes)`` time instead of
    ``O(cells^2)`` and ``O(logt x cells^3)``.

    Args:
        cams: ``(N, C, h, w)`` scores on the affinity grid.
        aff: ``(N, E)`` pair affinities; ``src``, ``dst``: ``(E,)`` flat
            indices (:func:`feature_graph`).
    """
    n, c, h, w = cams.shape
    hw = h * w
    diag = torch.arange(hw, device=cams.device)
    rows = torch.cat([src, dst, diag])
    cols = torch.cat([dst, src, diag])
    out = []
    for b in range(n):
        a = aff[b].pow(beta).to(cams.dtype)
        vals = torch.cat([a, a, torch.ones(hw, dtype=cams.dtype,
                                           device=cams.device)])
        colsum = torch.zeros(hw, dtype=cams.dtype,
                             device=cams.device).index_add_(0, cols, vals)
        vals = vals / colsum[cols]
        # x T = (T^T x^T)^T: the transposed matrix, rows and cols swapped
        with warnings.catch_warnings():   # "CSR support is in beta state"
            warnings.simplefilter('ignore', UserWarning)
            tt = torch.sparse_coo_tensor(
                torch.stack([cols, rows]), vals, (hw, hw),
                check_invariants=False).coalesce().to_sparse_csr()
        x = cams[b].reshape(c, hw).t().contiguous()
        for _ in range(2 ** logt):
            x = tt @ x
        out.append(x.t().reshape(c, h, w))
    return torch.stack(out)


def sparse_random_walk(cams: Tensor, aff: Tensor, radius: int = 5,
                       beta: float = 8.0, logt: int = 8) -> Tensor:
    """:func:`graph_random_walk` on PSA's pairs: ``aff (N, K, P)`` from
    :func:`feature_affinities` (equal to PSA's dense matrix powers)."""
    n, _, h, w = cams.shape
    src, dst = _edges(*pair_indices(h, w, radius, cams.device))
    return graph_random_walk(cams, aff.reshape(n, -1), src, dst, beta, logt)


def rw_memory_bytes(h: int, w: int, stride: int,
                    dtype_bytes: int = 4) -> int:
    """Bytes of one dense transition matrix for an ``h x w`` image walked
    at ``stride`` (two are alive while squaring): ``(ceil(h/s)
    ceil(w/s))^2 * dtype_bytes``."""
    cells = math.ceil(h / stride) * math.ceil(w / stride)
    return cells * cells * dtype_bytes


def walk_cams(cams_with_bg: Tensor, aff: Tensor, stride: int,
              beta: float = 8.0, logt: int = 8) -> Tensor:
    """The whole walk of PSA's ``infer_aff.py`` for CAMs at image size:
    average-pool to the affinity grid (``stride``), walk with the dense
    affinity ``aff (N, hw, hw)``, upsample by ``stride`` (bilinear) and
    crop to the image (PSA pads the image to a multiple of the stride).
    Returns ``(N, K, H, W)``; take the argmax."""
    h, w = cams_with_bg.shape[2:]
    pooled = F.avg_pool2d(cams_with_bg, stride, stride, ceil_mode=True)
    walked = random_walk(pooled, transition_matrix(aff, beta, logt))
    up = F.interpolate(walked, scale_factor=stride, mode='bilinear',
                       align_corners=False)
    return up[..., :h, :w]
