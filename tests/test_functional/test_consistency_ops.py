"""Puzzle-CAM / Consistency-CAM math: tiling by hand, L_re by hand,
equivariance of the view round trip, the alpha ramp, view sampling."""
import random

import pytest
import torch
import torch.nn as nn

import torch.nn.functional as F

from mmwsss.functional.consistency_ops import (apply_view, check_grid,
                                                  infer_stride, invert_view,
                                                  is_identity, merge_tiles,
                                                  photometric_jitter,
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


def test_rescaled_views_hold_whole_cam_cells():
    """Rounding to grid x stride: the merged tile CAMs of a stride-16
    network are exactly the CAM of the rescaled image (each merged cell on
    the pixels of one cell). Rounding to the grid alone (align 1) gives
    51-px tiles of 3.2 cells: the merged map then has 8 cells for 102 px
    and no longer matches."""
    def net(x):  # a stride-16 'network': 16 x 16 block means
        return F.avg_pool2d(x, 16, ceil_mode=True)

    x = torch.rand(1, 1, 128, 128)
    for align, aligned in ((16, True), (1, False)):
        rng = random.Random(0)
        v = sample_view(128, 128, [(2, 2)], 0.0, (0.8, 0.8), rng,
                        align=align)
        assert v.size == ((96, 96) if align == 16 else (102, 102))
        whole = net(F.interpolate(x, size=v.size, mode='bilinear',
                                  align_corners=False))
        merged = merge_tiles(net(apply_view(x, v)), *v.grid)
        if aligned:
            assert merged.shape == whole.shape == (1, 1, 6, 6)
            assert torch.allclose(merged, whole, atol=1e-6)
        else:
            assert merged.shape[-1] * 16 != v.size[1]
    # every draw of the synthetic config's grids at stride 16
    rng = random.Random(1)
    grids = [(r, c) for r in (1, 2, 4) for c in (1, 2, 4)]
    for _ in range(300):
        v = sample_view(128, 128, grids, 0.5, (0.75, 1.25), rng, align=16)
        assert v.size[0] % (16 * v.grid[0]) == 0
        assert v.size[1] % (16 * v.grid[1]) == 0
    # at scale 1 only grids of whole cells: 128 / (4 * 16) = 2 cells
    assert valid_grids(128, 64, [(4, 4), (4, 8), (8, 1)], 16) == [(4, 4),
                                                                  (8, 1)]
    with pytest.raises(ValueError, match='16-pixel cells'):
        sample_view(40, 40, [(2, 2)], align=16)


def test_infer_stride():
    assert infer_stride((128, 128), (8, 8)) == 16
    assert infer_stride((448, 320), (56, 40)) == 8
    assert infer_stride((16, 16), (16, 16)) == 1
    with pytest.raises(ValueError, match='align='):
        infer_stride((128, 64), (8, 8))


def test_identity_views_are_excluded_on_request():
    rng = random.Random(0)
    grids = [(1, 1), (2, 2)]
    ident = 0
    for _ in range(400):
        v = sample_view(64, 64, grids, rng=rng)
        ident += is_identity(v, 64, 64)
    assert 150 < ident < 250          # 1 x 1 drawn half of the time
    for _ in range(400):
        v = sample_view(64, 64, grids, 0.5, rng=rng, exclude_identity=True)
        assert not is_identity(v, 64, 64)
        # 1 x 1 stays possible when flipped
    flipped = [sample_view(64, 64, [(1, 1)], 0.5, rng=rng,
                           exclude_identity=True) for _ in range(20)]
    assert all(v.flip and v.grid == (1, 1) for v in flipped)
    # rescaled sizes that round back to the input are identities too
    for _ in range(200):
        v = sample_view(128, 128, [(1, 1)], 0.0, (0.85, 1.15), rng,
                        align=16, exclude_identity=True)
        assert v.size != (128, 128)
    with pytest.raises(ValueError, match='identity'):
        sample_view(64, 64, [(1, 1), (3, 3)], exclude_identity=True)


def test_photometric_jitter_by_hand():
    x = torch.tensor([[[[0., 2.], [4., 6.]]]])     # mean 3
    g = torch.Generator().manual_seed(0)
    ref = torch.Generator().manual_seed(0)
    c = 1 + (torch.rand((1, 1, 1, 1), generator=ref) * 2 - 1) * 0.5
    b = (torch.rand((1, 1, 1, 1), generator=ref) * 2 - 1) * 0.2
    out = photometric_jitter(x, 0.2, 0.5, generator=g)
    assert torch.allclose(out, c * (x - 3) + 3 + b)
    assert abs(out.mean().item() - 3 - b.item()) < 1e-6
    assert torch.equal(photometric_jitter(x), x)
    # per image: two images get different factors
    y = photometric_jitter(torch.arange(64.).reshape(1, 1, 8, 8).repeat(
        2, 1, 1, 1), 0.0, 0.5)
    assert not torch.allclose(y[0], y[1])
