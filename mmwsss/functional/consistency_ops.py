"""Tile/merge and view-consistency math of Puzzle-CAM and Consistency-CAM.

Puzzle-CAM (Jo & Yu, ICIP 2021): the image ``I`` is cut into tiles, each
tile goes through the classifier on its own, and the tile CAMs are put back
together (the *puzzle module*) into ``A^re``. With ``A^s`` the CAM of the
whole image and ``y`` the image labels (eq. 3-6 of the paper):

    L_cls   = BCE(GAP(A^s), y)
    L_p-cls = BCE(GAP(A^re), y)
    L_re    = || A^s - A^re ||_1   (only the channels of present classes)
    L       = L_cls + L_p-cls + alpha L_re

Consistency-CAM generalises the puzzle view: the number of tiles is drawn
at random every iteration (``rows x cols`` from a list; ``1 x 1`` is no
tiling) and the view can also be a random augmentation (horizontal flip,
rescale) that is inverted on the merged CAM before it is compared with
``A^s``.

Everything here is a pure tensor function; the registered loss is
:class:`~mmwsss.models.losses.PuzzleConsistencyLoss`.
"""
from __future__ import annotations

import random
from typing import NamedTuple, Optional, Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

Grid = Tuple[int, int]


def parse_grid(grid: Sequence[int]) -> Grid:
    """``(rows, cols)`` as ints; a ValueError names a grid that is not two
    numbers >= 1."""
    if len(grid) != 2:
        raise ValueError(f'a tile grid is (rows, cols), got {grid!r}')
    rows, cols = int(grid[0]), int(grid[1])
    if rows < 1 or cols < 1:
        raise ValueError(f'tile grid {rows}x{cols}: rows and cols must be '
                         '>= 1')
    return rows, cols


def check_scale_range(scale_range: Sequence[float]) -> Tuple[float, float]:
    """``(lo, hi)`` as floats; a ValueError unless ``0 < lo <= hi``."""
    lo, hi = float(scale_range[0]), float(scale_range[1])
    if not 0 < lo <= hi:
        raise ValueError(f'scale_range must satisfy 0 < lo <= hi, got '
                         f'{tuple(scale_range)}')
    return lo, hi


def check_grid(height: int, width: int, grid: Sequence[int]) -> Grid:
    """Validate a ``(rows, cols)`` grid for a ``height x width`` input.

    Raises a ValueError naming the grid and the size when the tiles would
    not have whole-pixel sides.
    """
    rows, cols = parse_grid(grid)
    if height % rows or width % cols:
        raise ValueError(
            f'tile grid {rows}x{cols} does not divide the input '
            f'{height}x{width} into whole-pixel tiles')
    return rows, cols


def split_tiles(x: Tensor, rows: int, cols: int) -> Tensor:
    """Cut ``(N, C, H, W)`` into ``rows x cols`` tiles.

    Returns ``(rows * cols * N, C, H / rows, W / cols)``, tile-major: tile
    ``t = r * cols + c`` (row-major over the grid) of image ``n`` is at
    index ``t * N + n``. :func:`merge_tiles` is the inverse.
    """
    n, c, h, w = x.shape
    rows, cols = check_grid(h, w, (rows, cols))
    th, tw = h // rows, w // cols
    t = x.reshape(n, c, rows, th, cols, tw)
    t = t.permute(2, 4, 0, 1, 3, 5)          # rows, cols, n, c, th, tw
    return t.reshape(rows * cols * n, c, th, tw)


def merge_tiles(tiles: Tensor, rows: int, cols: int) -> Tensor:
    """Put tile maps ``(rows * cols * N, C, h, w)`` back into
    ``(N, C, rows * h, cols * w)`` (inverse of :func:`split_tiles`)."""
    k, c, h, w = tiles.shape
    if k % (rows * cols):
        raise ValueError(f'{k} tiles cannot be merged on a {rows}x{cols} '
                         'grid')
    n = k // (rows * cols)
    t = tiles.reshape(rows, cols, n, c, h, w).permute(2, 3, 0, 4, 1, 5)
    return t.reshape(n, c, rows * h, cols * w)


def valid_grids(height: int, width: int, grids: Sequence[Sequence[int]],
                align: int = 1) -> list:
    """The grids of ``grids`` that tile ``height x width`` exactly, into
    tiles whose sides are multiples of ``align`` pixels."""
    return [(r, c) for r, c in map(parse_grid, grids)
            if not height % (r * align) and not width % (c * align)]


def reconstruction_loss(cams: Tensor, cams_re: Tensor, labels: Tensor,
                        p: int = 1) -> Tensor:
    """Puzzle-CAM's ``L_re`` with the class mask (the authors' ``masking``
    option, their best setting).

    ``mean_{n,c,i} y_nc |A^s_nci - A^re_nci|^p`` over all ``N x C x h x w``
    entries (absent classes count as zeros in the mean).

    Args:
        cams: ``(N, C, h, w)`` CAMs of the whole image.
        cams_re: The reconstructed CAMs, same shape.
        labels: ``(N, C)`` image labels in {0, 1}.
        p: 1 (L1, the paper's choice) or 2.
    """
    if cams.shape != cams_re.shape:
        raise ValueError(f'CAM shapes differ: {tuple(cams.shape)} vs '
                         f'{tuple(cams_re.shape)}')
    if p not in (1, 2):
        raise ValueError(f'reconstruction loss p must be 1 or 2, got {p}')
    diff = (cams - cams_re).abs()
    if p == 2:
        diff = diff * diff
    mask = labels.to(diff.dtype)[:, :, None, None]
    return (diff * mask).mean()


def ramp_weight(alpha: float, it: Optional[int],
                ramp_iters: int) -> float:
    """Puzzle-CAM's schedule: ``alpha * min(1, it / ramp_iters)`` (the
    authors ramp alpha linearly over the first half of training);
    ``ramp_iters <= 0`` or an unknown iteration gives ``alpha``."""
    if ramp_iters <= 0 or it is None:
        return float(alpha)
    return float(alpha) * min(1.0, max(0, it) / float(ramp_iters))


class ViewParams(NamedTuple):
    """One random view of a batch.

    Attributes:
        flip: Mirror the image horizontally.
        size: ``(H', W')`` the (rescaled) image is resized to before
            tiling; divisible by ``grid`` (times the alignment).
        grid: ``(rows, cols)``.
    """
    flip: bool
    size: Tuple[int, int]
    grid: Grid


def infer_stride(in_size: Sequence[int], cam_size: Sequence[int]) -> int:
    """The output stride of a network whose ``in_size`` input gives a
    ``cam_size`` CAM: ``round(H / h)``, checked to agree on both axes."""
    sh = round(in_size[0] / cam_size[0])
    sw = round(in_size[1] / cam_size[1])
    if sh != sw or sh < 1:
        raise ValueError(
            f'cannot infer one output stride from input {tuple(in_size)} '
            f'and CAM {tuple(cam_size)}; give align= explicitly')
    return int(sh)


def is_identity(view: ViewParams, height: int, width: int) -> bool:
    """Whether ``view`` reproduces the whole input (1 x 1 grid, no flip,
    input size): its CAM equals ``A^s`` and ``L_re`` is zero."""
    return (view.grid == (1, 1) and not view.flip
            and tuple(view.size) == (height, width))


def sample_view(height: int, width: int, grids: Sequence[Sequence[int]],
                flip_prob: float = 0.0,
                scale_range: Tuple[float, float] = (1.0, 1.0),
                rng: Optional[random.Random] = None,
                align: int = 1,
                exclude_identity: bool = False,
                max_draws: int = 1000) -> ViewParams:
    """Draw a view: a grid uniformly from ``grids``, a flip with
    ``flip_prob``, a scale uniform in ``scale_range``.

    The rescaled size is rounded to a multiple of ``grid x align`` so every
    tile is a whole number of CAM cells (``align`` = the network's output
    stride): the merged tile CAMs then cover exactly the rescaled image and
    each merged cell sits on the pixels of the cell at the same place of
    the whole image's CAM. At scale 1 only the grids that tile the input
    this way are drawn (no resize).

    ``exclude_identity`` redraws a view that reproduces the input (1 x 1,
    no flip, the input size: its ``L_re`` is exactly zero), i.e. draws
    from the views conditioned on not being the identity.
    """
    rng = rng or random
    lo, hi = check_scale_range(scale_range)
    grids = [parse_grid(g) for g in grids]
    if not grids:
        raise ValueError('no tile grids given')
    align = int(align)
    if align < 1:
        raise ValueError(f'align must be >= 1, got {align}')
    if exclude_identity and flip_prob == 0 and lo == hi == 1.0 and all(
            g == (1, 1) for g in valid_grids(height, width, grids, align)):
        raise ValueError(
            f'every view of grids {grids} without flip or rescale is the '
            f'identity on a {height}x{width} input; add a grid, a flip or '
            'a scale range')
    for _ in range(max_draws):
        scale = lo if lo == hi else rng.uniform(lo, hi)
        if scale == 1.0:
            choices = valid_grids(height, width, grids, align)
            if not choices:
                raise ValueError(
                    f'none of the tile grids {grids} divides the input '
                    f'{height}x{width} into whole tiles of whole '
                    f'{align}-pixel cells')
            grid = choices[rng.randrange(len(choices))]
            size = (height, width)
        else:
            grid = grids[rng.randrange(len(grids))]
            uh, uw = grid[0] * align, grid[1] * align
            size = (max(uh, round(height * scale / uh) * uh),
                    max(uw, round(width * scale / uw) * uw))
        flip = flip_prob > 0 and rng.random() < flip_prob
        view = ViewParams(flip, size, grid)
        if not (exclude_identity and is_identity(view, height, width)):
            return view
    raise RuntimeError(f'no view other than the identity in {max_draws} '
                       'draws')


def photometric_jitter(x: Tensor, brightness: float = 0.0,
                       contrast: float = 0.0,
                       generator: Optional[torch.Generator] = None
                       ) -> Tensor:
    """Per-image brightness and contrast change of normalised images.

    ``x' = c (x - m) + m + b`` with ``m`` the image's per-channel mean,
    ``c ~ U[1 - contrast, 1 + contrast]`` and ``b ~ U[-brightness,
    brightness]`` (in normalised units: 1 is one standard deviation of the
    data preprocessor, about 58 grey levels). Both are per-channel affine
    maps of the pixel values, so the change is the same as one made before
    normalisation. The view is not moved: its CAM is compared with ``A^s``
    as it is.
    """
    n = x.shape[0]
    shape = (n, 1, 1, 1)
    c = 1 + (torch.rand(shape, generator=generator) * 2 - 1) * contrast
    b = (torch.rand(shape, generator=generator) * 2 - 1) * brightness
    c, b = c.to(x), b.to(x)
    m = x.mean(dim=(2, 3), keepdim=True)
    return c * (x - m) + m + b


def apply_view(images: Tensor, view: ViewParams) -> Tensor:
    """Flip / resize ``(N, C, H, W)`` images and cut them into the view's
    tiles (``(rows * cols * N, C, h, w)``)."""
    x = images.flip(-1) if view.flip else images
    if tuple(x.shape[2:]) != tuple(view.size):
        x = F.interpolate(x, size=view.size, mode='bilinear',
                          align_corners=False)
    return split_tiles(x, *view.grid)


def invert_view(tile_cams: Tensor, view: ViewParams,
                size: Tuple[int, int]) -> Tensor:
    """Merge tile CAMs, resize them to the whole image's CAM grid ``size``
    and undo the flip: the view's CAM in the frame of ``A^s``."""
    cams = merge_tiles(tile_cams, *view.grid)
    if tuple(cams.shape[2:]) != tuple(size):
        cams = F.interpolate(cams, size=size, mode='bilinear',
                             align_corners=False)
    return cams.flip(-1) if view.flip else cams
