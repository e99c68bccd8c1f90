"""HFPL's ISL and FSL (Jonnarth et al., WACV 2024) as pure functions."""
import math

import torch

from mmwsss.models.losses.hfpl_ops import (expected_isl,
                                           feature_similarity_loss,
                                           feature_similarity_loss_dense,
                                           gating_input,
                                           importance_sampling_loss,
                                           isl_sampling_probs)


def test_isl_sampled_averages_to_the_expectation():
    torch.manual_seed(0)
    cams = torch.randn(2, 3, 6, 7) * 2
    labels = torch.tensor([[1., 0., 1.], [0., 1., 0.]])
    g = torch.Generator().manual_seed(0)
    draws = torch.stack([importance_sampling_loss(cams, labels, 10,
                                                  generator=g)
                         for _ in range(3000)])
    exact = expected_isl(cams, labels)
    assert abs(draws.mean() - exact) < 0.02 * exact
    p = isl_sampling_probs(cams)
    assert torch.allclose(p.sum(-1), torch.ones(2, 3))


def test_isl_gradient_through_logits_not_sampling():
    cams = torch.randn(1, 2, 4, 4, requires_grad=True)
    labels = torch.tensor([[1., 0.]])
    expected_isl(cams, labels).backward()
    # d/ds of p(x) BCE(s(x), y) with p detached: p(x) (sigmoid(s) - y) / C
    p = isl_sampling_probs(cams).view(1, 2, 4, 4)
    manual = p * (torch.sigmoid(cams.detach()) - labels[..., None, None]) / 2
    assert torch.allclose(cams.grad, manual, atol=1e-6)


def test_fsl_windowed_matches_dense_within_the_bound():
    torch.manual_seed(0)
    r = torch.rand(2, 4, 40, 40)
    img = torch.rand(2, 3, 40, 40)
    dense = feature_similarity_loss_dense(r, img)
    window = feature_similarity_loss(r, img)          # R = ceil(3.72 * 5)
    assert abs(window - dense) / abs(dense) <= 1e-3


def test_fsl_pair_weight_changes_sign_at_sigmoid_minus_mu():
    """Two pixels of different predictions: the loss is positive (pull
    together) when their colours differ by less than sigmoid(-2.5) = 0.0759
    and negative (push apart) above it."""
    r = torch.zeros(1, 1, 1, 2)
    r[..., 1] = 1.0
    cut = 1 / (1 + math.exp(2.5))
    assert abs(cut - 0.0759) < 1e-4
    values = []
    for delta in (cut - 0.01, cut, cut + 0.01):
        img = torch.zeros(1, 3, 1, 2)
        img[..., 1] = delta                      # |x_i - x_j|_1 / 3 = delta
        values.append(feature_similarity_loss_dense(r, img).item())
    assert values[0] > 0 and abs(values[1]) < 1e-6 and values[2] < 0


def test_fsl_zero_for_equal_predictions_and_absent_classes_ignored():
    img = torch.rand(1, 3, 12, 12)
    r = torch.full((1, 3, 12, 12), 0.4)
    assert feature_similarity_loss(r, img).abs() < 1e-7
    cams = torch.randn(1, 3, 12, 12)
    labels = torch.tensor([[1., 0., 1.]])
    a = feature_similarity_loss(gating_input(cams, labels), img)
    cams2 = cams.clone()
    cams2[:, 1] = torch.randn(12, 12) * 5         # an absent class changes
    b = feature_similarity_loss(gating_input(cams2, labels), img)
    assert torch.allclose(a, b)
