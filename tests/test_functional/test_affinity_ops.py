"""AffinityNet / random-walk math (PSA, Ahn & Kwak 2018) by hand."""
import math

import pytest
import torch

from mmwsss.functional.affinity_ops import (affinity_labels, affinity_loss,
                                            dense_affinity, dense_from_graph,
                                            feature_graph, graph_random_walk,
                                            feature_affinities,
                                            fuse_confident_labels,
                                            pair_indices, pair_values,
                                            radius_offsets, random_walk,
                                            rw_memory_bytes,
                                            sparse_random_walk,
                                            transition_matrix, walk_cams)


def test_radius_5_offsets():
    off = radius_offsets(5)
    assert len(off) == 34                     # 4 + 9 + 9 + 7 + 5
    assert off[:4] == [(0, 1), (0, 2), (0, 3), (0, 4)]
    assert (1, -4) in off and (4, 2) in off and (4, 3) not in off
    assert (3, -3) in off and (3, 4) not in off      # 9 + 16 = 25: out
    assert all(dy > 0 or dx > 0 for dy, dx in off)   # each pair once
    assert len(set(off)) == 34
    assert len(radius_offsets(2)) == 4        # (0,1), (1,-1), (1,0), (1,1)


def test_affinity_labels_on_two_regions():
    """A 5 x 8 map: left 4 columns background, right 4 class 3, one
    ignored pixel; radius 2 (offsets (0,1), (1,-1), (1,0), (1,1))."""
    lab = torch.zeros(1, 5, 8, dtype=torch.long)
    lab[:, :, 4:] = 3
    lab[0, 0, 4] = 255
    bg, fg, neg = affinity_labels(lab, radius=2)
    # PSA's crop at r=2: 'from' rows 0..3, columns 1..6 (P = 24)
    assert bg.shape == (1, 4, 24)
    src, dst = pair_values(lab, 2)
    # pair (row 1, col 3) -> (row 1, col 4): offset (0, 1), bg -> class 3
    p = 1 * 6 + (3 - 1)
    assert neg[0, 0, p] and not bg[0, 0, p] and not fg[0, 0, p]
    # (row 1, col 4) -> (row 1, col 5): both class 3
    assert fg[0, 0, p + 1]
    # (row 1, col 1) -> (row 1, col 2): both background
    assert bg[0, 0, 1 * 6 + 0]
    # (row 0, col 3) -> (row 0, col 4): ignored end -> in no set
    q = 0 * 6 + 2
    assert not (bg[0, 0, q] or fg[0, 0, q] or neg[0, 0, q])
    # every valid pair is in exactly one set
    total = bg.int() + fg.int() + neg.int()
    assert total.max() == 1
    valid = (src != 255) & (dst != 255)
    assert torch.equal(total.bool(), valid)


def test_fused_labels():
    low = torch.tensor([[0, 0, 2, 2, 0]])      # alpha 4: more background
    high = torch.tensor([[0, 1, 2, 2, 2]])     # alpha 32: less background
    assert fuse_confident_labels(low, high).tolist() == [[0, 255, 2, 2, 255]]
    # PSA: background where the high labelling says so, even if the low
    # one says foreground; IRN (bg_both): only where both say background
    low = torch.tensor([[0, 3, 0, 3]])
    high = torch.tensor([[0, 0, 3, 3]])
    assert fuse_confident_labels(low, high).tolist() == [[0, 0, 255, 3]]
    assert fuse_confident_labels(low, high, bg_both=True).tolist() == \
        [[0, 3, 255, 3]]


def test_loss_on_three_pairs():
    """One bg pair with affinity 0.5, one fg pair 0.8, one negative pair
    0.1: bg/4 + fg/4 + neg/2 = (-log .5 - log .8) / 4 - log(.9) / 2."""
    aff = torch.tensor([[[0.5, 0.8, 0.1]]])
    bg = torch.tensor([[[True, False, False]]])
    fg = torch.tensor([[[False, True, False]]])
    neg = torch.tensor([[[False, False, True]]])
    lb, lf, ln = affinity_loss(aff, bg, fg, neg, eps=0.0)
    assert lb.item() == pytest.approx(-math.log(0.5))
    assert lf.item() == pytest.approx(-math.log(0.8))
    assert ln.item() == pytest.approx(-math.log(0.9))
    total = lb / 4 + lf / 4 + ln / 2
    assert total.item() == pytest.approx(
        (-math.log(0.5) - math.log(0.8)) / 4 - math.log(0.9) / 2)
    # no pairs of a kind: that term is 0, not NaN
    assert affinity_loss(aff, bg & False, fg, neg)[0].item() == 0


def test_feature_affinity_is_exp_of_mean_l1():
    f = torch.zeros(1, 2, 5, 8)
    f[:, 0, :, 4:] = 1.0            # channel 0 differs across the middle
    aff = feature_affinities(f, radius=2)
    assert aff.max().item() == 1.0
    assert aff.min().item() == pytest.approx(math.exp(-0.5))


def _two_regions(cross: float, size=(4, 8)):
    h, w = size
    lab = torch.zeros(h, w, dtype=torch.long)
    lab[:, w // 2:] = 1
    flat = lab.flatten()
    same = flat[:, None] == flat[None, :]
    aff = torch.where(same, torch.ones(()), torch.full((), cross))
    return aff[None], lab


def test_transition_columns_sum_to_one_and_beta_logt():
    aff, _ = _two_regions(0.5)
    for beta, logt in ((1.0, 0), (8.0, 3)):
        t = transition_matrix(aff, beta, logt)
        assert torch.allclose(t.sum(1), torch.ones(1, 32), atol=1e-5)
    # beta sharpens: the cross-region share of a column is 0.5^beta
    # relative to a same-region entry
    t1 = transition_matrix(aff, 1.0, 0)
    t8 = transition_matrix(aff, 8.0, 0)
    assert t8[0, 0, 31] / t8[0, 0, 0] == pytest.approx(0.5 ** 8)
    assert t1[0, 0, 31] / t1[0, 0, 0] == pytest.approx(0.5)
    # more steps mix more: logt 3 puts more mass across than logt 0
    t3 = transition_matrix(aff, 1.0, 3)
    assert t3[0, 0, 31] > t1[0, 0, 31]


def test_walk_keeps_mass_inside_a_region_without_cross_affinity():
    aff, lab = _two_regions(0.0)
    cams = torch.zeros(1, 2, 4, 8)
    cams[0, 1, 1, 6] = 1.0          # one seed of class 1 in the right half
    cams[0, 0, 2, 1] = 1.0          # one background seed on the left
    out = random_walk(cams, transition_matrix(aff, 8.0, 4))
    assert out[0, 1, :, :4].abs().max() == 0      # never crosses
    assert out[0, 0, :, 4:].abs().max() == 0
    # mass is conserved (columns sum to 1: vec(cam) T keeps the total of
    # each class only for symmetric T; here T is symmetric)
    assert out[0, 1].sum().item() == pytest.approx(1.0, rel=1e-5)
    # and spreads over its whole region
    assert (out[0, 1, :, 4:] > 0).all()


def test_absent_classes_never_appear_and_dense_affinity():
    f = torch.rand(1, 3, 6, 10)
    aff = dense_affinity(feature_affinities(f, 2), 6, 10, 2)
    assert torch.allclose(aff, aff.transpose(1, 2))
    assert torch.equal(aff[0].diagonal(), torch.ones(60))
    cams = torch.rand(1, 3, 12, 20)
    cams[:, 2] = 0                  # an absent class
    out = walk_cams(cams, aff, stride=2, beta=8, logt=2)
    assert out.shape == (1, 3, 12, 20)
    assert out[:, 2].abs().max() == 0
    assert (out.argmax(1) != 2).all()


def test_memory_of_the_dense_walk():
    # VOC 500 x 375 at stride 8: 63 x 47 = 2,961 cells -> 35 MB per matrix
    assert rw_memory_bytes(375, 500, 8) == (47 * 63) ** 2 * 4
    # at stride 4: 16x as much (0.56 GB per matrix)
    assert rw_memory_bytes(375, 500, 4) == (94 * 125) ** 2 * 4


def test_sparse_walk_equals_psas_dense_matrix_powers():
    """vec(cam) T^(2^logt) by 2^logt sparse products = PSA's dense
    squaring (associativity), for several beta / logt / radius."""
    torch.manual_seed(0)
    for (h, w), radius, beta, logt in (((6, 10), 2, 1.0, 0),
                                       ((12, 16), 5, 8.0, 3),
                                       ((16, 16), 5, 8.0, 6)):
        pairs = feature_affinities(torch.rand(2, 8, h, w), radius)
        cams = torch.rand(2, 4, h, w)
        dense = random_walk(cams, transition_matrix(
            dense_affinity(pairs, h, w, radius), beta, logt))
        sparse = sparse_random_walk(cams, pairs, radius, beta, logt)
        assert torch.allclose(sparse, dense, rtol=1e-5, atol=1e-6)


def test_sparse_walk_keeps_mass_inside_a_region():
    """Two regions with zero affinity across: a seed stays in its region
    and, T being symmetric here, its mass is kept."""
    f = torch.zeros(1, 1, 6, 12)
    f[:, :, :, 6:] = 50.0            # exp(-50) = 0 across the middle
    pairs = feature_affinities(f, 3)
    cams = torch.zeros(1, 2, 6, 12)
    cams[0, 1, 1, 9] = 1.0
    out = sparse_random_walk(cams, pairs, 3, beta=8.0, logt=4)
    assert out[0, 1, :, :6].abs().max() < 1e-12
    assert (out[0, 1, :, 6:] > 0).sum() > 1          # it spreads
    assert out[0, 0].abs().max() == 0                # nothing from nothing
    assert torch.equal(pair_indices(6, 12, 3)[0],
                       torch.arange(72).view(6, 12)[:4, 2:10].reshape(-1))


def test_feature_graph_all_pairs_and_psa_pairs():
    """'all': every unordered pair closer than the radius once, with the
    same affinity as PSA's pairs where both have it; 'psa' is PSA's."""
    torch.manual_seed(0)
    h, w, r = 7, 11, 3
    feat = torch.rand(2, 4, h, w)
    a_all, s_all, d_all = feature_graph(feat, r, 'all')
    want = sum((h - dy) * (w - abs(dx)) for dy, dx in radius_offsets(r))
    assert a_all.shape == (2, want) and s_all.shape == (want, )
    pairs_all = {(int(a), int(b)): k for k, (a, b) in
                 enumerate(zip(s_all, d_all))}
    assert len(pairs_all) == want                        # each once
    for (a, b) in pairs_all:                             # within radius
        (ya, xa), (yb, xb) = divmod(a, w), divmod(b, w)
        assert (ya - yb) ** 2 + (xa - xb) ** 2 < r * r
    a_psa, s_psa, d_psa = feature_graph(feat, r, 'psa')
    assert a_psa.shape[1] < want
    for k, (a, b) in enumerate(zip(s_psa.tolist(), d_psa.tolist())):
        assert torch.allclose(a_psa[:, k], a_all[:, pairs_all[(a, b)]])
    # the dense matrix of PSA's graph is dense_affinity
    dense = dense_from_graph(a_psa, s_psa, d_psa, h * w)
    assert torch.equal(dense, dense_affinity(feature_affinities(feat, r),
                                             h, w, r))
    with pytest.raises(ValueError, match='pairs'):
        feature_graph(feat, r, 'half')


def test_walk_on_all_pairs_reaches_the_border_band():
    """On a small grid PSA's pairs leave the border band unconnected among
    itself; with all pairs a seed in a corner spreads along the border,
    and the sparse walk equals the dense powers on that graph too."""
    torch.manual_seed(0)
    h, w, r = 8, 12, 4
    feat = torch.zeros(1, 2, h, w)                # one region: affinity 1
    cams = torch.zeros(1, 2, h, w)
    cams[0, 1, h - 1, 0] = 1.0                    # bottom-left corner
    outs = {}
    for pairs in ('psa', 'all'):
        aff, src, dst = feature_graph(feat, r, pairs)
        outs[pairs] = graph_random_walk(cams, aff, src, dst, 8.0, 2)
        dense = random_walk(cams, transition_matrix(
            dense_from_graph(aff, src, dst, h * w), 8.0, 2))
        assert torch.allclose(outs[pairs], dense, atol=1e-6)
    # bottom-right corner: reached through bottom-row pairs only with 'all'
    assert outs['all'][0, 1, h - 1, w - 1] > outs['psa'][0, 1, h - 1, w - 1]
