import torch

from mmwsss.functional import (cams_to_mask, cams_to_seg_logits,
                                 normalize_cams, restrict_cams)


def test_normalize_hand_values():
    cams = torch.tensor([[[[-1.0, 2.0], [4.0, 0.0]]]])
    out = normalize_cams(cams, eps=0.0)
    assert torch.allclose(out, torch.tensor([[[[0.0, 0.5], [1.0, 0.0]]]]))


def test_normalize_all_nonpositive_is_zero_not_nan():
    out = normalize_cams(-torch.rand(2, 3, 4, 4))
    assert torch.isfinite(out).all() and (out == 0).all()


def test_normalize_range_and_per_class():
    x = torch.randn(2, 5, 7, 9) * 10
    out = normalize_cams(x)
    assert out.min() >= 0 and out.max() < 1
    peak = out.flatten(2).max(2)[0]
    has_pos = x.flatten(2).max(2)[0] > 0
    assert torch.allclose(peak[has_pos], torch.ones_like(peak[has_pos]),
                          atol=1e-4)


def test_restrict_and_seg_logits():
    cams = torch.rand(1, 3, 4, 4)
    keep = torch.tensor([[1, 0, 1]])
    r = restrict_cams(cams, keep)
    assert (r[:, 1] == 0).all() and torch.equal(r[:, 0], cams[:, 0])
    logits = cams_to_seg_logits(r, 0.3)
    assert logits.shape == (1, 4, 4, 4) and (logits[:, 0] == 0.3).all()


def test_cams_to_mask_threshold_rule():
    cams = torch.zeros(1, 2, 1, 3)
    cams[0, 0, 0] = torch.tensor([0.2, 0.6, 0.1])
    cams[0, 1, 0] = torch.tensor([0.1, 0.7, 0.9])
    mask = cams_to_mask(cams, 0.5)
    assert mask.tolist() == [[[0, 2, 2]]]
    mask = cams_to_mask(cams, 0.8)
    assert mask.tolist() == [[[0, 0, 2]]]


def test_aggregate_cams():
    from mmwsss.functional import aggregate_cams
    a, b = torch.ones(1, 1, 2, 2), 3 * torch.ones(1, 1, 2, 2)
    assert torch.all(aggregate_cams([a, b], 'sum') == 4)
    assert torch.all(aggregate_cams([a, b], 'mean') == 2)
    import pytest
    with pytest.raises(ValueError):
        aggregate_cams([a], 'max')


def test_background_from_cams_hand_values():
    from mmwsss.functional import background_from_cams
    cams = torch.tensor([[[0.5, 0.0]], [[0.2, 0.0]]])  # (C=2, 1, 2)
    bg = background_from_cams(cams, alpha=2)
    assert torch.allclose(bg, torch.tensor([[[0.25, 1.0]]]))
