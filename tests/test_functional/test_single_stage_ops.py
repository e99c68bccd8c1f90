"""Single-stage WSSS math (Araslanov & Roth 2020) against hand values."""
import math

import pytest
import torch

from mmwsss.functional.single_stage_ops import (balanced_ce_weights,
                                                  balanced_ce_weights_onehot,
                                                  balanced_mask_ce,
                                                  focal_mask_penalty,
                                                  masks_with_background, ngwp,
                                                  pseudo_gt_from_masks,
                                                  single_stage_scores)
from mmwsss.models.utils.stochastic_gate import (StochasticGate,
                                                 stochastic_gate)


def test_ngwp_and_focal_by_hand():
    """One class, two pixels with logits 2 and 0, background logit 1:
    m = sigmoid(1) = 0.731059 and sigmoid(-1) = 0.268941;
    nGWP = (2 * 0.731059) / (1 + 1) = 0.731059;
    focal: mbar = 0.5 -> 0.5^3 * log(0.51) = -0.084168."""
    logits = torch.tensor([[[[2.0, 0.0]]]])
    y, m = masks_with_background(logits)
    assert m[0, 1, 0].tolist() == pytest.approx([0.731059, 0.268941],
                                                abs=1e-6)
    assert ngwp(y, m)[0, 1].item() == pytest.approx(0.731059, abs=1e-6)
    assert focal_mask_penalty(m)[0, 1].item() == pytest.approx(
        0.125 * math.log(0.51), abs=1e-6)
    scores, masks = single_stage_scores(logits)
    assert scores.shape == (1, 1) and masks.shape == (1, 2, 1, 2)
    assert scores.item() == pytest.approx(0.731059 + 0.125 * math.log(0.51),
                                          abs=1e-6)


def test_eps_one_limit_for_a_vanishing_mask():
    """Supplement B.1: with eps = 1 a class whose mask vanishes scores ~0
    (sum m y -> 0), not its average logit as plain GAP/GWP would."""
    logits = torch.full((1, 1, 4, 4), -50.0)
    y, m = masks_with_background(logits)
    score = ngwp(y, m, eps=1.0)[0, 1].item()
    gwp = (m[0, 1] * y[0, 1]).sum() / m[0, 1].sum()
    assert abs(score) < 1e-15 and gwp.item() == pytest.approx(-50.0)
    # the focal penalty of an empty mask is log(lambda) = log(0.01)
    assert focal_mask_penalty(m)[0, 1].item() == pytest.approx(
        math.log(0.01), abs=1e-4)


def test_pseudo_gt_rules_by_hand():
    bg = [0.9, 0.1, 0.7, 0.1, 0.0]      # peak 0.9 -> threshold 0.63
    a = [0.0, 0.8, 0.7, 0.1, 0.1]       # peak 0.8 -> threshold 0.48
    b = [0.0, 0.0, 0.0, 0.0, 0.15]      # peak 0.15 -> floor 0.2
    masks = torch.tensor([[bg, a, b]]).view(1, 3, 1, 5)
    label = pseudo_gt_from_masks(masks)
    # pixel 2: background and a both claim it -> ignored; 3: none; 4: b is
    # below the floor
    assert label.view(-1).tolist() == [0, 1, 255, 255, 255]


def test_balanced_weights_by_hand():
    label = torch.tensor([[[0, 1, 1, 0, 0, 255]]])
    w, counts = balanced_ce_weights(label, 2)
    assert counts.tolist() == [[3, 2]]
    # (N_tot - N_c) / (1 + N_tot): class 0: 2/6, class 1: 3/6
    assert w.view(-1).tolist() == pytest.approx([1 / 3, 0.5, 0.5, 1 / 3,
                                                 1 / 3, 0.0])


def test_image_missing_a_labelled_class_contributes_nothing():
    logits = torch.randn(2, 3, 4, 4)
    label = torch.zeros(2, 4, 4, dtype=torch.long)
    label[:, :2] = 1                               # bg + class 1 in both
    img_labels = torch.tensor([[1.0, 0.0], [1.0, 1.0]])  # 2nd expects 2 too
    both = balanced_mask_ce(logits, label, img_labels)
    first = balanced_mask_ce(logits[:1], label[:1], img_labels[:1])
    assert both.item() == pytest.approx(first.item() / 2, rel=1e-6)
    assert first.item() > 0


def test_sg_expectation_eval_formula_and_no_cached_shape():
    torch.manual_seed(0)
    deep, shallow = torch.randn(1, 4, 8, 8), torch.randn(1, 4, 8, 8)
    g = torch.Generator().manual_seed(0)
    mean = torch.stack([stochastic_gate(deep, shallow, 0.3, True, g)
                        for _ in range(4000)]).mean(0)
    assert torch.allclose(mean, deep, atol=0.12)
    assert (mean - deep).abs().mean() < 0.03
    one = stochastic_gate(deep, shallow, 0.3, True, g)
    picked_shallow = (one == shallow).float().mean().item()
    assert 0.2 < picked_shallow < 0.4                # ~psi
    sg = StochasticGate(0.3).eval()
    assert torch.allclose(sg(deep, shallow), 0.7 * deep + 0.3 * shallow)
    sg.train()
    for shape in ((2, 4, 8, 8), (1, 4, 5, 7)):       # any batch / crop size
        x = torch.randn(shape)
        assert sg(x, x).shape == shape
    with pytest.raises(ValueError, match='differ'):
        sg(torch.zeros(1, 2, 3, 3), torch.zeros(1, 2, 4, 4))


def test_stochastic_gate_takes_an_outside_draw():
    """Issue 16: the gate can be given (to reproduce a run): 1 picks
    (deep - psi shallow) / (1 - psi), 0 the shallow features (eq. 9)."""
    deep = torch.tensor([[1.0, 2.0, 3.0]])
    shallow = torch.tensor([[10.0, 20.0, 30.0]])
    gate = torch.tensor([[1.0, 0.0, 1.0]])
    out = stochastic_gate(deep, shallow, 0.5, True, gate=gate)
    # (1 - 0.5 * 10) / 0.5 = -8, shallow 20, (3 - 15) / 0.5 = -24
    assert out.tolist() == [[-8.0, 20.0, -24.0]]
    sg = StochasticGate(0.5).train()
    assert torch.equal(sg(deep, shallow, gate=gate), out)
    with pytest.raises(ValueError, match='0 \\(shallow\\) or 1'):
        stochastic_gate(deep, shallow, 0.5, True, gate=gate * 0.5)


def test_balanced_weights_equal_the_one_hot_form():
    """The bincount / lookup weights are the literal one-hot eq. 23."""
    g = torch.Generator().manual_seed(0)
    label = torch.randint(0, 21, (4, 37, 41), generator=g)
    label[torch.rand(label.shape, generator=g) < 0.2] = 255
    label[1] = 255                                   # an all-ignored image
    label[2, :20] = 3                                # a dominant class
    w, counts = balanced_ce_weights(label, 21)
    w_ref, counts_ref = balanced_ce_weights_onehot(label, 21)
    assert torch.equal(counts, counts_ref)
    assert torch.equal(w, w_ref)
    assert w.shape == label.shape and (w[1] == 0).all()


def test_pseudo_gt_equals_the_float_argmax_form():
    """The 1-byte argmax gives the labels of the former float argmax."""
    g = torch.Generator().manual_seed(1)
    masks = torch.rand(3, 6, 19, 23, generator=g) ** 3
    masks[0, 2] = 0                                  # an absent class
    masks[1, :, :5] = masks[1, :1, :5]               # ties: claimed twice
    got = pseudo_gt_from_masks(masks)
    # the former formula
    flat = masks.flatten(2)
    peak = flat.max(-1, keepdim=True)[0]
    cut = torch.full_like(peak, 0.6)
    cut[:, :1] = 0.7
    claimed = flat > (peak * cut).clamp(min=0.2)
    ref = claimed.float().argmax(1)
    ref[claimed.sum(1) != 1] = 255
    assert got.dtype == torch.int64
    assert torch.equal(got, ref.view(3, 19, 23))
    assert (got == 255).any() and (got < 6).any()
