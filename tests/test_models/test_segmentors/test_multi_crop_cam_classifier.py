"""PMM's multi-crop CAM inference (MultiCropCAMClassifier)."""
import pytest
import torch

from tests.test_models.test_segmentors.test_multiscale_inference import build

MC = 'MultiCropCAMClassifier'


def test_multi_crop_single_window_equals_whole(repo_root):
    x = torch.randn(1, 3, 48, 48)
    whole = build(repo_root, scales=(1.0, ))
    crop = build(repo_root, MC, scales=(1.0, ), crop_size=64,
                 stride=32, resize_crops=False)
    with torch.no_grad():
        a, sa = whole.infer_cams(x)
        b, sb = crop.infer_cams(x)
    assert torch.allclose(a, b, atol=1e-5) and torch.allclose(sa, sb)


def test_multi_crop_averages_overlapping_crops(repo_root):
    model = build(repo_root, MC, scales=(1.0, 1.5), mode='multi_crop',
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
        build(repo_root, MC, mode='tiles')


def test_multi_crop_per_pixel_average_by_hand(repo_root):
    """Each crop's CAM is made constant (the crop's mean of channel 0).
    Image: columns 0-23 are 1, 24-47 are 3; crop 32, stride 16 gives column
    windows [0, 32) (mean (24 + 8 * 3) / 32 = 1.5) and [16, 48) (mean
    (8 + 24 * 3) / 32 = 2.5); columns 16-31 average both: 2.0."""
    model = build(repo_root, MC, scales=(1.0, ), crop_size=32,
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


def test_whole_mode_is_the_cam_classifiers_inference(repo_root):
    x = torch.randn(1, 3, 48, 40)
    base = build(repo_root, scales=(1.0, 1.5), flip=True)
    crop = build(repo_root, MC, scales=(1.0, 1.5), flip=True, mode='whole',
                 crop_size=16, stride=8)
    with torch.no_grad():
        a, sa = base.infer_cams(x)
        b, sb = crop.infer_cams(x)
    assert torch.equal(a, b) and torch.equal(sa, sb)
    # the base classifier has no multi-crop keys
    assert 'crop_size' not in base.test_cfg and 'mode' not in base.test_cfg
