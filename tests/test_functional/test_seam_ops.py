"""SEAM's operations on tiny tensors, by hand (Wang et al., CVPR 2020)."""
import pytest
import torch

from mmwsss.functional.seam_ops import (adaptive_min_pooling_loss,
                                        bg_aware_max_norm,
                                        equivariant_cross_reg,
                                        equivariant_reg, max_onehot, pcm,
                                        seam_max_norm)


def test_pcm_is_a_row_normalised_affinity_average():
    torch.manual_seed(0)
    cam = torch.rand(1, 3, 2, 2)
    # identical features: every affinity 1, each pixel gets the mean CAM
    same = torch.ones(1, 4, 2, 2)
    out = pcm(cam, same)
    assert out.shape == (1, 3, 2, 2)
    want = cam.mean(dim=(2, 3), keepdim=True).expand_as(cam)
    assert torch.allclose(out, want, atol=1e-4)
    # orthogonal (one-hot) features: the affinity is the identity
    onehot = torch.eye(4).view(4, 2, 2).unsqueeze(0)
    assert torch.allclose(pcm(cam, onehot), cam, atol=1e-4)
    # opposite features (cosine -1) get no weight (ReLU)
    f = torch.tensor([1.0, -1.0, 1.0, -1.0]).view(1, 1, 2, 2)
    out = pcm(cam, f)
    flat = cam.flatten(2)
    assert torch.allclose(out.flatten(2)[..., 0],
                          (flat[..., 0] + flat[..., 2]) / 2, atol=1e-4)
    # the CAM is resized to the feature grid first
    assert pcm(torch.rand(1, 3, 4, 4), same).shape == (1, 3, 2, 2)


def test_bg_aware_max_norm_by_hand():
    cams = torch.tensor([[[[2.0, 1.0]], [[1.0, 4.0]]]])     # (1, 2, 1, 2)
    out = bg_aware_max_norm(cams)
    # max-normalised: class 1 (1, 0.5), class 2 (0.25, 1); background
    # 1 - max = (0, 0); only the strongest class kept per pixel
    want = torch.tensor([[[[0.0, 0.0]], [[1.0, 0.0]], [[0.0, 1.0]]]])
    assert torch.allclose(out, want, atol=1e-4)
    assert not out.requires_grad


def test_min_max_norm_onehot_er_ecr_minpool_by_hand():
    p = torch.tensor([[[[0.0, 1.0, 3.0]]]])
    assert torch.allclose(seam_max_norm(p),
                          torch.tensor([[[[0.0, 1 / 3, 1.0]]]]), atol=1e-4)
    # min-max: an offset map is shifted to 0 first
    assert torch.allclose(seam_max_norm(p + 2), seam_max_norm(p), atol=1e-4)
    x = torch.tensor([[[[0.5]], [[0.2]], [[0.7]]]])
    assert max_onehot(x).flatten().tolist() == pytest.approx([0.5, 0.0, 0.7])
    a = torch.tensor([[[[9.0, 9.0]], [[1.0, 0.0]]]])
    b = torch.tensor([[[[0.0, 0.0]], [[0.5, 0.5]]]])
    assert equivariant_reg(a, b).item() == pytest.approx(0.5)  # bg ignored
    # ECR: |max_onehot(other) - rv| = (.2, .7, .8, .3); top half: .8, .7
    other = torch.tensor([[[[0.2, 0.7]], [[0.8, 0.3]]]])
    rv = torch.zeros(1, 2, 1, 2, requires_grad=True)
    loss = equivariant_cross_reg(other, rv, topk=0.5)
    assert loss.item() == pytest.approx(0.75)
    loss.backward()                      # gradient to rv only
    assert rv.grad.abs().sum() > 0
    # min pooling: the lowest quarter of the channel-max map, ReLU'd
    m = torch.tensor([[[[1.0, 2.0], [3.0, 4.0]]]])
    assert adaptive_min_pooling_loss(m).item() == pytest.approx(1.0)
    assert adaptive_min_pooling_loss(m - 2).item() == 0.0
