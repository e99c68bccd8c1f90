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


def test_boundary_of_a_block_by_hand():
    """DAVIS seg2bmap: a pixel is boundary when it differs from its right,
    lower or lower-right neighbour. A 4 x 5 block (rows 2-5, cols 3-7):
    inside right column 4 + inside bottom row 4 (corner once) + outside
    left column rows 1-5 (row 1 via the lower-right neighbour) 5 + outside
    top row 5 = 18."""
    b = mask_boundary(square(10, 10, 2, 6, 3, 8) > 0)
    assert b.sum() == 18
    assert b[2, 7] and b[5, 3] and b[1, 2] and b[1, 5] and b[3, 2]
    assert not b[2, 3] and not b[3, 4] and not b[6, 5]
    # a block touching the image border has no boundary along the border
    assert mask_boundary(np.ones((4, 4), bool)).sum() == 0
    assert mask_boundary(square(6, 6, 0, 6, 0, 3) > 0).sum() == 6


def test_tolerance_is_0008_of_the_diagonal():
    assert boundary_tolerance((375, 500)) == 5      # 0.008 * 625 = 5.0
    assert boundary_tolerance((128, 128)) == 2      # 0.008 * 181 = 1.45


def test_identical_masks_give_f_one():
    gt = square(40, 40, 5, 25, 8, 30) + square(40, 40, 30, 38, 2, 10, 2)
    counts = boundary_counts(gt, gt, 3)
    res = boundary_f_from_counts(counts)
    assert res['F'] == pytest.approx(1.0)


def test_known_precision_and_recall():
    """GT: the top half (rows 0-9) of a 20 x 20 image -> boundary row 9
    (20 px). Prediction: rows 0-9 in columns 0-9 and rows 0-12 in columns
    10-19 -> boundary row 9 cols 0-9, the step column 9 rows 10-12 and row
    12 cols 10-19: 23 px. Within 1 px of GT: row 9 cols 0-9 and (10, 9):
    11 of 23; GT within 1 px of the prediction: cols 0-10 of row 9: 11 of
    20. F = 2 * 11 / (23 + 20) = 22/43."""
    gt = square(20, 20, 0, 10, 0, 20)
    pred = gt.copy()
    pred[10:13, 10:] = 1
    c1 = boundary_counts(pred, gt, 2, tolerance=1)
    assert c1[:, 1].tolist() == [11, 23, 11, 20]
    r1 = boundary_f_from_counts(c1)
    assert r1['precision'][1] == pytest.approx(11 / 23)
    assert r1['recall'][1] == pytest.approx(11 / 20)
    assert r1['F'] == pytest.approx(22 / 43)
    # a plain 3-px shift: nothing matches at 2 px, everything at 3 px
    shifted = square(20, 20, 0, 13, 0, 20)
    assert boundary_f_from_counts(
        boundary_counts(shifted, gt, 2, tolerance=2))['F'] == 0
    assert boundary_f_from_counts(
        boundary_counts(shifted, gt, 2, tolerance=3))['F'] == 1


def test_missing_class_scores_zero_and_void_handling():
    gt = square(20, 20, 5, 15, 5, 15)
    pred = np.zeros_like(gt)
    res = boundary_f_from_counts(boundary_counts(pred, gt, 2))
    assert res['F'] == 0
    # GT void over the right half of the object; the prediction covers it all
    gt_void = gt.copy()
    gt_void[:, 10:] = 255
    with pytest.raises(ValueError, match='void'):
        boundary_counts(gt, gt_void, 2, void='drop')
    # DAVIS: void removed from both -> the valid halves agree exactly
    davis = boundary_f_from_counts(boundary_counts(gt, gt_void, 2,
                                                   void='remove'))
    assert davis['F'] == pytest.approx(1.0)
    # HFPL: void is background, so the prediction's right half (5 px past
    # the GT edge, tolerance ceil(0.008 * 28.3) = 1) is unmatched
    hfpl = boundary_f_from_counts(boundary_counts(gt, gt_void, 2))
    assert hfpl['F'] < 0.9
    half = square(20, 20, 5, 15, 5, 10)
    assert boundary_f_from_counts(boundary_counts(half, gt_void, 2))[
        'F'] == pytest.approx(1.0)


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


def test_label_and_cam_folders_report_contour_f(tmp_path):
    """The folder evaluators accumulate the same counts as the function on
    the 3-px shifted square, J&F = (J + F) / 2, and a CAM that thresholds to
    the GT scores F = 100 (nothing left above a too-high threshold: 0)."""
    from mmwsss.apis.pseudo_labels import summarize_contours
    from mmwsss.evaluation.pseudo_label_eval import (cam_dir_boundary_counts,
                                                     eval_label_dir)
    from mmwsss.utils.cam_io import save_cam_file
    from mmwsss.utils.io import save_png
    gt = square(40, 40, 10, 30, 10, 30)
    pred = square(40, 40, 10, 30, 13, 33)
    pal = [[0, 0, 0], [128, 0, 0]]
    save_png(str(tmp_path / 'gt.png'), gt, pal)
    save_png(str(tmp_path / 'pred.png'), pred, pal)
    contours = np.zeros((4, 2), np.int64)
    eval_label_dir([(str(tmp_path / 'pred.png'), str(tmp_path / 'gt.png'))],
                   2, show_progress=False, contours=contours)
    assert (contours == boundary_counts(pred, gt, 2)).all()
    s = summarize_contours(contours, 50.0)
    f = boundary_f_from_counts(boundary_counts(pred, gt, 2))['F'] * 100
    assert s['F'] == pytest.approx(f) and s['JF'] == pytest.approx(
        (50 + f) / 2)
    cam = (gt[None] * 0.8).astype(np.float32)      # peak 0.8 inside
    save_cam_file(str(tmp_path / 'c.npz'), cam, np.array([0]),
                  np.array([1.0]))
    for thr, expect in ((0.5, 100.0), (0.9, 0.0)):
        c = cam_dir_boundary_counts([(str(tmp_path / 'c.npz'),
                                      str(tmp_path / 'gt.png'))], 2, thr,
                                    show_progress=False)
        assert summarize_contours(c, 0.0)['F'] == pytest.approx(expect)
