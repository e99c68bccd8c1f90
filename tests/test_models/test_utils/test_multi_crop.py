"""PMM multi-crop windows, label re-tagging, inference and the training
transform."""
import os.path as osp

import numpy as np
import pytest
import torch

from mmwsss.models.utils import (multi_crop_windows, retag_labels,
                                 sliding_windows)
from tests.test_models.test_segmentors.test_multiscale_inference import build


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


def test_multi_crop_single_window_equals_whole(repo_root):
    x = torch.randn(1, 3, 48, 48)
    whole = build(repo_root, scales=(1.0, ))
    crop = build(repo_root, scales=(1.0, ), mode='multi_crop', crop_size=64,
                 stride=32, resize_crops=False)
    with torch.no_grad():
        a, sa = whole.infer_cams(x)
        b, sb = crop.infer_cams(x)
    assert torch.allclose(a, b, atol=1e-5) and torch.allclose(sa, sb)


def test_multi_crop_averages_overlapping_crops(repo_root):
    model = build(repo_root, scales=(1.0, 1.5), mode='multi_crop',
                  crop_size=32, stride=16, flip=True)
    x = torch.randn(2, 3, 48, 40)
    with torch.no_grad():
        cams, scores = model.infer_cams(x)
        logits = model.encode_decode(x, None)
    assert cams.shape == (2, 10, 48, 40) and (cams >= 0).all()
    assert torch.isfinite(cams).all() and scores.shape == (2, 10)
    assert logits.shape == (2, 11, 48, 40)
    # batching the crops (crop_batch) does not change the result
    model.test_cfg['crop_batch'] = 1
    with torch.no_grad():
        one_by_one, s1 = model.infer_cams(x)
    assert torch.allclose(cams, one_by_one, atol=1e-5)
    assert torch.allclose(scores, s1)
    with pytest.raises(ValueError, match='mode'):
        build(repo_root, mode='tiles')


def test_multi_crop_per_pixel_average_by_hand(repo_root):
    """Each crop's CAM is made constant (the crop's mean of channel 0).
    Image: columns 0-23 are 1, 24-47 are 3; crop 32, stride 16 gives column
    windows [0, 32) (mean (24 + 8 * 3) / 32 = 1.5) and [16, 48) (mean
    (8 + 24 * 3) / 32 = 2.5); columns 16-31 average both: 2.0."""
    model = build(repo_root, scales=(1.0, ), mode='multi_crop', crop_size=32,
                  stride=16, resize_crops=False)
    model._forward = lambda p: p[:, :1].mean((2, 3), keepdim=True).expand(
        p.shape[0], 10, 4, 4)
    x = torch.ones(1, 3, 48, 48)
    x[..., 24:] = 3
    cams, _ = model.infer_cams(x)
    row = cams[0, 0, 5]
    assert torch.allclose(row[:16], torch.tensor(1.5))
    assert torch.allclose(row[16:32], torch.tensor(2.0))
    assert torch.allclose(row[32:], torch.tensor(2.5))


def test_retag_transform(tmp_path):
    from mmwsss.datasets.transforms import MultiCropRetag
    from mmwsss.utils.cam_io import save_cam_file
    img = np.zeros((120, 160, 3), np.uint8)
    cams = np.zeros((2, 120, 160), np.float32)
    cams[0, :30, :30] = 1.0               # class 1 top-left
    cams[1, 90:, 130:] = 1.0              # class 4 bottom-right
    save_cam_file(str(tmp_path / 'a.npz'), cams, np.array([1, 4]),
                  np.zeros(5))
    labels = np.zeros(5, np.float32)
    labels[[1, 4]] = 1
    t = MultiCropRetag(str(tmp_path), scales=(2.0, ), crop_size=80,
                       stride=60, seed=0)
    seen = set()
    for _ in range(20):
        r = t(dict(img=img.copy(), img_path='x/a.jpg',
                   gt_img_labels=labels.copy()))
        y1, y2, x1, x2 = r['crop_window']
        assert r['img'].shape[:2] == (y2 - y1, x2 - x1) == (40, 40)
        assert r['gt_img_labels'].sum() >= 1          # retried until kept
        assert set(np.flatnonzero(r['gt_img_labels'])) <= {1, 4}
        seen.add(tuple(np.flatnonzero(r['gt_img_labels'])))
    assert seen == {(1, ), (4, )}   # no 40-px crop holds both corners
    with pytest.raises(FileNotFoundError, match='b.npz'):
        t(dict(img=img, img_path='x/b.jpg', gt_img_labels=labels))
