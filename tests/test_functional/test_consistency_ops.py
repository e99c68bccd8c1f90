"""Puzzle-CAM / Consistency-CAM math: tiling by hand, L_re by hand,
equivariance of the view round trip, the alpha ramp, view sampling."""
import random

import pytest
import torch
import torch.nn as nn

from mmwsss.functional.consistency_ops import (apply_view, check_grid,
                                                  invert_view, merge_tiles,
                                                  ramp_weight,
                                                  reconstruction_loss,
                                                  sample_view, split_tiles,
                                                  valid_grids, ViewParams)


def test_split_tiles_by_hand():
    x = torch.arange(16.).reshape(1, 1, 4, 4)
    t = split_tiles(x, 2, 2)
    assert t.shape == (4, 1, 2, 2)
    assert t[0, 0].tolist() == [[0, 1], [4, 5]]
    assert t[1, 0].tolist() == [[2, 3], [6, 7]]
    assert t[2, 0].tolist() == [[8, 9], [12, 13]]
    assert t[3, 0].tolist() == [[10, 11], [14, 15]]
    cols = split_tiles(x, 1, 2)
    assert cols[0, 0].tolist() == [[0, 1], [4, 5], [8, 9], [12, 13]]


def test_tiles_are_tile_major_over_the_batch():
    x = torch.stack([torch.zeros(1, 4, 4), torch.ones(1, 4, 4)])
    t = split_tiles(x, 2, 1)
    # tile 0 of image 0, tile 0 of image 1, tile 1 of image 0, ...
    assert [v.mean().item() for v in t] == [0, 1, 0, 1]


@pytest.mark.parametrize('grid', [(1, 1), (2, 2), (2, 4), (3, 1), (4, 4)])
def test_merge_inverts_split(grid):
    x = torch.randn(3, 5, 12, 16)
    assert torch.equal(merge_tiles(split_tiles(x, *grid), *grid), x)


def test_grid_errors_name_grid_and_size():
    with pytest.raises(ValueError, match=r'3x3.*10x12'):
        check_grid(10, 12, (3, 3))
    with pytest.raises(ValueError, match='rows and cols'):
        check_grid(8, 8, (0, 2))
    assert valid_grids(6, 8, [(4, 4), (2, 2), (3, 1)]) == [(2, 2), (3, 1)]
    with pytest.raises(ValueError, match=r'\[\(5, 5\)\].*6x8'):
        sample_view(6, 8, [(5, 5)])


def test_reconstruction_loss_by_hand():
    cams = torch.tensor([[[[1., 2.]], [[0., 4.]]]])      # (1, 2, 1, 2)
    re = torch.tensor([[[[3., 2.]], [[1., 1.]]]])
    labels = torch.tensor([[1., 0.]])
    # class 0 only: |1-3| + |2-2| = 2 over 4 entries
    assert reconstruction_loss(cams, re, labels).item() == pytest.approx(0.5)
    assert reconstruction_loss(cams, re, labels, p=2).item() == \
        pytest.approx(1.0)
    both = torch.tensor([[1., 1.]])
    # + class 1: |0-1| + |4-1| = 4 -> (2 + 4) / 4
    assert reconstruction_loss(cams, re, both).item() == pytest.approx(1.5)
    assert reconstruction_loss(cams, cams, both).item() == 0
    with pytest.raises(ValueError, match='shapes differ'):
        reconstruction_loss(cams, re[..., :1], both)


def test_ramp_weight():
    assert ramp_weight(4.0, 0, 750) == 0
    assert ramp_weight(4.0, 375, 750) == pytest.approx(2.0)
    assert ramp_weight(4.0, 5000, 750) == 4.0
    assert ramp_weight(4.0, None, 750) == 4.0
    assert ramp_weight(4.0, 10, 0) == 4.0


@pytest.mark.parametrize('flip', [False, True])
@pytest.mark.parametrize('grid', [(1, 1), (2, 2), (4, 2)])
def test_view_round_trip_is_exact_for_a_pointwise_model(flip, grid):
    """A per-pixel model sees the same pixels in any tiling and flip: the
    merged, un-flipped CAM equals the whole image's CAM."""
    conv = nn.Conv2d(3, 4, 1)
    x = torch.randn(2, 3, 16, 16)
    view = ViewParams(flip, (16, 16), grid)
    back = invert_view(conv(apply_view(x, view)), view, (16, 16))
    assert torch.allclose(back, conv(x), atol=1e-6)


def test_rescaled_view_maps_back_to_the_cam_grid():
    view = ViewParams(True, (24, 20), (2, 2))
    tiles = apply_view(torch.randn(2, 3, 16, 16), view)
    assert tiles.shape == (8, 3, 12, 10)
    back = invert_view(torch.ones(8, 5, 3, 3), view, (4, 4))
    assert back.shape == (2, 5, 4, 4) and torch.allclose(
        back, torch.ones_like(back))


def test_sample_view_draws_every_grid_flip_and_scale():
    rng = random.Random(0)
    grids = [(r, c) for r in (1, 2, 4) for c in (1, 2, 4)]
    seen, flips, scales = set(), 0, []
    for _ in range(600):
        v = sample_view(128, 128, grids, 0.5, (0.75, 1.25), rng)
        seen.add(v.grid)
        flips += v.flip
        h, w = v.size
        assert h % v.grid[0] == 0 and w % v.grid[1] == 0
        scales.append(h / 128)
    assert seen == set(grids)
    assert 240 < flips < 360
    assert 0.72 <= min(scales) < 0.8 and 1.2 < max(scales) <= 1.28
    # no augmentation: the input size, only valid grids
    v = sample_view(12, 12, [(5, 5), (3, 4)], rng=rng)
    assert v.size == (12, 12) and v.grid == (3, 4) and not v.flip
