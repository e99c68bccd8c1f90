"""Boundary F-measure (DAVIS) on hand-built masks."""
import numpy as np
import pytest

from mmwsss.evaluation.boundary_f import (boundary_counts,
                                          boundary_f_from_counts,
                                          boundary_tolerance, mask_boundary)


def square(h, w, y0, y1, x0, x1, value=1):
    m = np.zeros((h, w), np.uint8)
    m[y0:y1, x0:x1] = value
    return m


def test_boundary_of_a_square_by_hand():
    b = mask_boundary(square(10, 10, 2, 6, 3, 8) > 0)
    # a 4 x 5 block: its ring has 2*5 + 2*(4-2) = 14 pixels
    assert b.sum() == 14
    assert b[2, 3] and b[5, 7] and not b[3, 4]
    # a block touching the image border has no boundary along the border
    assert mask_boundary(np.ones((4, 4), bool)).sum() == 0


def test_tolerance_is_0008_of_the_diagonal():
    assert boundary_tolerance((375, 500)) == 5      # 0.008 * 625 = 5.0
    assert boundary_tolerance((128, 128)) == 2      # 0.008 * 181 = 1.45


def test_identical_masks_give_f_one():
    gt = square(40, 40, 5, 25, 8, 30) + square(40, 40, 30, 38, 2, 10, 2)
    counts = boundary_counts(gt, gt, 3)
    res = boundary_f_from_counts(counts)
    assert res['F'] == pytest.approx(1.0)


def test_known_precision_and_recall():
    """GT: a 20x20 square; prediction: the same square shifted by 3 px.
    With tolerance 0 only the unshifted boundary parts match; with a
    tolerance of 3 every boundary pixel matches."""
    gt = square(40, 40, 10, 30, 10, 30)
    pred = square(40, 40, 10, 30, 13, 33)
    c0 = boundary_counts(pred, gt, 2, tolerance=0)
    # both rings have 76 px; shared boundary pixels: top and bottom rows
    # over columns 13..29 (17 px each) -> 34
    assert c0[1, 1] == 76 and c0[3, 1] == 76
    assert c0[0, 1] == 34 and c0[2, 1] == 34
    r0 = boundary_f_from_counts(c0)
    assert r0['F'] == pytest.approx(34 / 76)
    r3 = boundary_f_from_counts(boundary_counts(pred, gt, 2, tolerance=3))
    assert r3['F'] == pytest.approx(1.0)


def test_missing_class_scores_zero_and_ignore_is_removed():
    gt = square(20, 20, 5, 15, 5, 15)
    pred = np.zeros_like(gt)
    res = boundary_f_from_counts(boundary_counts(pred, gt, 2))
    assert res['F'] == 0
    gt_ign = gt.copy()
    gt_ign[:, 10:] = 255
    pred2 = square(20, 20, 5, 15, 5, 10)   # matches the valid half exactly
    res = boundary_f_from_counts(boundary_counts(pred2, gt_ign, 2))
    assert res['F'] == pytest.approx(1.0)


def test_registered_metric_j_f_jf():
    import torch
    from mmseg.registry import METRICS
    metric = METRICS.build(dict(type='BoundaryFMetric'))
    metric.dataset_meta = dict(classes=('background', 'a', 'b'))
    gt = torch.from_numpy(square(40, 40, 10, 30, 10, 30).astype(np.int64))
    for pred in (gt, torch.roll(gt, 3, dims=1)):
        metric.process({}, [dict(pred_sem_seg=dict(data=pred[None]),
                                 gt_sem_seg=dict(data=gt[None]))])
    res = metric.compute_metrics(metric.results)
    assert 0 < res['F'] < 100 and 0 < res['J'] < 100
    assert res['JF'] == pytest.approx((res['J'] + res['F']) / 2, abs=0.01)
