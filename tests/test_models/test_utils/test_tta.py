"""The one multi-scale + flip path (multi_scale_flip)."""
import pytest
import torch
import torch.nn.functional as F

from mmwsss.models.utils import multi_scale_flip


def _forward(x):
    """A position-dependent map (so flips matter) and a per-image vector."""
    dense = F.avg_pool2d(x, 2) * torch.linspace(0, 1, x.shape[-1] // 2)
    return dense, x.mean((1, 2, 3))[:, None]


@pytest.mark.parametrize('unflip_first', [False, True])
def test_views_are_back_on_the_input_grid(unflip_first):
    x = torch.randn(2, 3, 20, 24)
    out = multi_scale_flip(_forward, x, (1.0, 0.5, 1.5), flip=True,
                           unflip_first=unflip_first)
    assert [len(v) for v in out] == [2, 2, 2]
    for views in out:
        for dense, vec in views:
            assert dense.shape == (2, 3, 20, 24) and vec.shape == (2, 1)
    # scale 1, original view: the forward resized back, nothing else
    ref = F.interpolate(_forward(x)[0], size=(20, 24), mode='bilinear',
                        align_corners=False)
    assert torch.equal(out[0][0][0], ref)
    # the flipped view is the forward of the flipped input, flipped back
    flipped = F.interpolate(_forward(x.flip(-1))[0], size=(20, 24),
                            mode='bilinear', align_corners=False).flip(-1)
    assert torch.allclose(out[0][1][0], flipped, atol=1e-6)
    assert torch.allclose(out[0][1][1], _forward(x.flip(-1))[1])


def test_batched_and_separate_flips_agree():
    x = torch.randn(2, 3, 16, 16)
    calls = []

    def fwd(v):
        calls.append(v.shape[0])
        return _forward(v)

    a = multi_scale_flip(fwd, x, (1.0, 0.75), flip=True, batch_flip=True)
    assert calls == [4, 4]
    calls.clear()
    b = multi_scale_flip(fwd, x, (1.0, 0.75), flip=True, batch_flip=False)
    assert calls == [2, 2, 2, 2]
    for va, vb in zip(a, b):
        for (da, sa), (db, sb) in zip(va, vb):
            assert torch.allclose(da, db, atol=1e-6)
            assert torch.allclose(sa, sb)


def test_flip_invariant_forward_gives_equal_views_and_tensor_only_forward():
    x = torch.randn(1, 3, 12, 12)
    x = x + x.flip(-1)                     # a symmetric image
    out = multi_scale_flip(lambda v: F.avg_pool2d(v, 3), x, (1.0, ),
                           flip=True)
    (d0, v0), (d1, v1) = out[0]
    assert v0 is None and v1 is None
    assert torch.allclose(d0, d1, atol=1e-6)
    # no flip: one view per scale
    assert [len(v) for v in multi_scale_flip(
        lambda v: v, x, (1.0, 2.0), flip=False)] == [1, 1]
