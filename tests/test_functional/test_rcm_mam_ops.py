"""RCM + MAM math (pixel-level self-supervision for WSSS) by hand."""
import math

import pytest
import torch

from mmwsss.functional.rcm_mam_ops import (attentive_targets,
                                           batch_prototypes,
                                           cosine_dissimilarity,
                                           mam_loss, max_normalise,
                                           msinf_cams, rcm_loss,
                                           region_masks, update_memory)


def test_max_normalise_and_msinf():
    a = torch.tensor([[[[-1.0, 2.0, 4.0]], [[0.0, 0.0, 0.0]]]])
    n = max_normalise(a)
    assert torch.allclose(n[0, 0, 0], torch.tensor([0, 0.5, 1.0]), atol=1e-5)
    assert n[0, 1].abs().max() == 0               # an all-zero map stays 0
    views = [torch.tensor([[[[1.0, 0.0]]]]), torch.tensor([[[[0.5, 1.0]]]])]
    # sum (1.5, 1.0), then normalised by 1.5
    assert torch.allclose(msinf_cams(views)[0, 0, 0],
                          torch.tensor([1.0, 1 / 1.5]), atol=1e-4)


def test_region_masks_argmax_threshold_background_absent_classes():
    cams = torch.tensor([[[0.9, 0.1, 0.3, 0.15]],     # class 1, present
                         [[1.0, 1.0, 1.0, 1.0]],      # class 2, absent
                         [[0.5, 0.15, 0.6, 0.1]]])[None]  # class 3, present
    labels = torch.tensor([[1, 0, 1]])
    m = region_masks(cams, labels, 0.2)
    assert m.shape == (1, 4, 1, 4) and m.dtype == torch.bool
    assert m.float().argmax(1)[0, 0].tolist() == [1, 0, 3, 0]
    assert not m[:, 2].any()                          # absent: empty
    assert torch.equal(m.sum(1), torch.ones(1, 1, 4, dtype=torch.long))
    # an image without labels is all background
    assert region_masks(cams, torch.zeros(1, 3), 0.2)[:, 0].all()


def test_prototypes_are_masked_means_averaged_over_images():
    # image A: pixels (1,0) class 1, (0,2) bg, (3,4) class 3, (0,4) bg
    fa = torch.tensor([[1.0, 0, 3, 0], [0, 2, 4, 4]]).view(2, 1, 4)
    fb = torch.tensor([[2.0] * 4, [0.0] * 4]).view(2, 1, 4)   # all bg
    feat = torch.stack([fa, fb])
    cls = torch.tensor([[[1, 0, 3, 0]], [[0, 0, 0, 0]]])
    masks = torch.nn.functional.one_hot(cls, 4).permute(0, 3, 1, 2).bool()
    proto, present = batch_prototypes(feat, masks)
    assert present.tolist() == [True, True, False, True]
    # bg: A's mean (0, 3) and B's (2, 0) averaged -> (1, 1.5), normalised
    bg = torch.tensor([1.0, 1.5]) / math.sqrt(3.25)
    assert torch.allclose(proto[0], bg, atol=1e-6)
    assert torch.allclose(proto[1], torch.tensor([1.0, 0.0]))
    assert torch.allclose(proto[3], torch.tensor([0.6, 0.8]))
    assert proto[2].abs().max() == 0
    # eq. 3 read as a sum would give A's background (0, 6): not what we do
    assert not torch.allclose(proto[0], torch.tensor([2.0, 6.0]) /
                              math.sqrt(40))


def test_memory_reuses_the_latest_prototype():
    memory = torch.tensor([[1.0, 0], [0, 1], [0, 0]])
    seen = torch.tensor([True, True, False])
    protos = torch.tensor([[0.6, 0.8], [0, 0], [0, 0]])
    present = torch.tensor([True, False, False])
    new, new_seen = update_memory(memory, seen, protos, present)
    assert torch.equal(new, torch.tensor([[0.6, 0.8], [0, 1], [0, 0]]))
    assert new_seen.tolist() == [True, True, False]


def test_contrastive_loss_two_classes_three_pixels():
    """Prototypes (1,0) and (0,1), T = 0.5; pixels (1,0) of class 0, (0,1)
    of class 1 and (1,1)/sqrt 2 of class 0: logits [2, 0], [0, 2], [sqrt2,
    sqrt2]."""
    feat = torch.tensor([[1.0, 0, 1], [0, 1, 1]]).view(1, 2, 1, 3)
    cls = torch.tensor([[[0, 1, 0]]])
    masks = torch.nn.functional.one_hot(cls, 2).permute(0, 3, 1, 2).bool()
    protos = torch.eye(2)
    valid = torch.tensor([True, True])
    want = (2 * math.log(1 + math.exp(-2)) + math.log(2)) / 3
    assert rcm_loss(feat, masks, protos, valid, 0.5).item() == \
        pytest.approx(want, rel=1e-6)
    ratio = (2 / (1 + math.exp(2)) + 0.5) / 3
    assert rcm_loss(feat, masks, protos, valid, 0.5, 'ratio').item() == \
        pytest.approx(ratio, rel=1e-6)
    # a never-seen prototype is left out of the denominator
    protos3 = torch.cat([protos, torch.tensor([[1.0, 0.0]])])
    masks3 = torch.cat([masks, torch.zeros_like(masks[:, :1])], 1)
    out = rcm_loss(feat, masks3, protos3,
                   torch.tensor([True, True, False]), 0.5)
    assert out.item() == pytest.approx(want, rel=1e-6)
    with pytest.raises(ValueError, match='mode'):
        rcm_loss(feat, masks, protos, valid, 0.5, 'sum')


def test_dissimilarity_targets_and_mam_loss_by_hand():
    """One class, two pixels, two scales: F = [1,0], [1,1]; G = [1,0],
    [0,1]. xi = 2 - cos: [[1, 2], [2 - 1/sqrt2, 2 - 1/sqrt2]]."""
    f = torch.tensor([[1.0, 0.0], [1.0, 1.0]]).view(2, 1, 1, 1, 2)
    g = torch.tensor([[1.0, 0.0], [0.0, 1.0]]).view(2, 1, 1, 1, 2)
    xi = cosine_dissimilarity(f, g)
    c = 2 - 1 / math.sqrt(2)
    assert torch.allclose(xi[0, 0], torch.tensor([[1.0, 2.0], [c, c]]),
                          atol=1e-6)
    t = attentive_targets(g, xi)
    assert torch.allclose(t[0, 0, 0, 0], torch.tensor([0.5, 1.0]))
    assert torch.allclose(t[1, 0, 0, 0], torch.tensor([c / 2, c / 2]))
    # targets may exceed what a normalised CAM holds: none re-normalised
    xi2 = torch.full((1, 1, 2, 2), 2.0)
    assert attentive_targets(torch.ones(2, 1, 1, 1, 2), xi2).max() == 2.0
    # L1 mean over pixels, summed over scales: 0.75 + (1 - c/2)
    want = 0.75 + (1 - c / 2)
    assert mam_loss(f, t, torch.tensor([[1.0]])).item() == \
        pytest.approx(want, rel=1e-6)
    assert mam_loss(f, t, torch.tensor([[0.0]])).item() == 0   # absent


def test_mam_gradient_only_into_the_main_cams():
    f = torch.rand(3, 2, 2, 4, 4, requires_grad=True)
    g = torch.rand(3, 2, 2, 4, 4, requires_grad=True)
    xi = cosine_dissimilarity(f, g)
    loss = mam_loss(f, attentive_targets(g, xi), torch.ones(2, 2))
    loss.backward()
    assert f.grad.abs().sum() > 0
    assert g.grad is None                 # targets (and xi) detached
