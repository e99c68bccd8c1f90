"""PMM multi-crop windows, label re-tagging and the training transform."""
import numpy as np
import pytest

from mmwsss.structures import (multi_crop_windows, retag_labels,
                                 sliding_windows)


def test_sliding_windows_by_hand():
    # VOC width 500, crop 448, stride 300: 1 + ceil(52 / 300) = 2 windows
    assert sliding_windows(500, 448, 300) == [(0, 448), (52, 500)]
    assert sliding_windows(1000, 448, 300) == [(0, 448), (300, 748),
                                               (552, 1000)]
    assert sliding_windows(300, 448, 300) == [(0, 300)]
    with pytest.raises(ValueError):
        sliding_windows(10, 0, 1)


def test_windows_cover_the_image_at_every_scale():
    scales = [0.75 + 0.25 * i for i in range(10)]        # paper: 0.75-3.0
    per_scale = multi_crop_windows(375, 500, scales, 448, 300)
    assert len(per_scale) == 10
    for s, wins in zip(scales, per_scale):
        cover = np.zeros((375, 500), int)
        for y1, y2, x1, x2 in wins:
            assert 0 <= y1 < y2 <= 375 and 0 <= x1 < x2 <= 500
            cover[y1:y2, x1:x2] += 1
        assert cover.min() >= 1, s
    # scale 3.0: 1125 x 1500 -> (1 + ceil(677 / 300)) x (1 + ceil(1052 /
    # 300)) = 4 x 5 windows of 448 / 3 = 149.3 -> [0, 150) originally
    assert len(per_scale[-1]) == 20
    y1, y2, x1, x2 = per_scale[-1][0]
    assert (y1, y2, x1, x2) == (0, 150, 0, 150)
    # scale 0.75: 281 x 375 -> one window, the whole image
    assert per_scale[0] == [(0, 375, 0, 500)]


def test_retag_by_hand():
    regions = np.zeros((3, 100, 100), bool)
    regions[0, :10, :10] = True          # small object, 100 px
    regions[1] = True                    # object covering the image
    regions[2, 50:60, 50:60] = True      # labelled? no (see labels)
    keys = [0, 3, 5]
    labels = np.zeros(6, np.float32)
    labels[[0, 3]] = 1
    # 25 of class 0's 100 px inside (25 % > 10 %); class 3 covers the crop
    assert retag_labels(labels, regions, keys, (0, 5, 0, 5)).tolist() == \
        [1, 0, 0, 1, 0, 0]
    # 1 px of class 0 inside (1 %, and 1/441 of the crop): dropped; class
    # 3 has 4 % of its region inside but covers the whole crop: kept
    assert retag_labels(labels, regions, keys, (9, 30, 9, 30)).tolist() == \
        [0, 0, 0, 1, 0, 0]
    # an unlabelled class is never added back
    assert retag_labels(labels, regions, keys, (50, 60, 50, 60))[5] == 0
