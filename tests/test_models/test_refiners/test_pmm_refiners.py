"""CVS (PMM eq. 5-6) and PPMG (eq. 7-9, Alg. 1) against hand-derived values."""
import math

import numpy as np
import pytest

from mmwsss.models.refiners import (CVS, PPMG, coefficient_of_variation,
                                    cov_smoothing, ppmg_label)


def test_cov_by_hand():
    cam = np.array([0.0, 0.04, 0.2, 0.4, 0.6], np.float32)
    # values above t=0.05: 0.2, 0.4, 0.6 -> mean 0.4, population std
    # sqrt((0.04 + 0 + 0.04) / 3)
    expected = 0.3 * math.sqrt(0.08 / 3) / 0.4
    assert coefficient_of_variation(cam, t=0.05, s=0.3) == pytest.approx(
        expected, rel=1e-6)
    assert expected == pytest.approx(0.122474, abs=1e-6)


def test_cvs_by_hand():
    cam = np.array([[[0.0, 0.04, 0.2, 0.4, 0.6]]], np.float32)
    out = cov_smoothing(cam, t=0.05, s=0.3)
    e = 1 - 0.3 * math.sqrt(0.08 / 3) / 0.4          # 0.877526
    assert out[0, 0, 0] == 0 and out[0, 0, 1] == 0   # below t: zero
    assert out[0, 0, 2:] == pytest.approx([0.2**e, 0.4**e, 0.6**e], rel=1e-5)
    assert out[0, 0, 2] == pytest.approx(0.24357, abs=1e-4)
    # smoothing lifts every confident value and keeps the order
    assert (out[0, 0, 2:] > cam[0, 0, 2:]).all()
    assert np.all(np.diff(out[0, 0, 2:]) > 0)


def test_cvs_flat_map_unchanged_and_empty_map_zero():
    flat = np.full((1, 4, 4), 0.5, np.float32)    # std 0 -> CoV 0 -> power 1
    assert np.allclose(cov_smoothing(flat), flat)
    empty = np.zeros((2, 4, 4), np.float32)
    out = CVS()(empty)
    assert out.shape == empty.shape and not out.any()
    assert np.isfinite(out).all()


def three_colour_scene(h=40):
    """Red (cols 0-19), green (20-29), blue (30-39)."""
    img = np.zeros((h, 40, 3), np.uint8)
    img[:, :20] = (200, 30, 30)
    img[:, 20:30] = (30, 200, 30)
    img[:, 30:] = (30, 30, 200)
    return img


def test_ppmg_smaller_class_wins_the_overlap():
    """Class A (key 2) covers red+green with CAM 0.9, class B (key 6) covers
    green+blue with CAM 0.8. In the overlap, importance (eq. 8):
    A: 0.9 / (1 + 0.9 * 40 * 30) = 8.33e-4, B: 0.8 / (1 + 0.8 * 40 * 20)
    = 1.25e-3, so B - the smaller object - wins although its CAM is lower
    (a plain CAM argmax would give A)."""
    img = three_colour_scene()
    cams = np.zeros((2, 40, 40), np.float32)
    cams[0][:, :30] = 0.9
    cams[1][:, 20:] = 0.8
    imp_a = 0.9 / (1 + 0.9 * 40 * 30)
    imp_b = 0.8 / (1 + 0.8 * 40 * 20)
    assert imp_b > imp_a
    label = ppmg_label(img, cams, keys=[2, 6], cvs=None)
    assert (label[:, :20] == 3).all()      # key 2 + offset 1
    assert (label[:, 20:] == 7).all()      # key 6 + offset 1
    assert (cams.argmax(0)[:, 20:30] == 0).all()


def test_ppmg_background_is_the_unclaimed_region_and_offset():
    img = three_colour_scene()
    cams = np.zeros((1, 40, 40), np.float32)
    cams[0][:, 20:30] = 0.9
    label = PPMG(label_offset=0)(img, cams, [4])
    assert (label[:, 20:30] == 4).all()
    assert (label[:, :20] == 0).all() and (label[:, 30:] == 0).all()
    assert set(np.unique(label)) <= {0, 4}     # every pixel labelled, no 255


def test_ppmg_zero_cams_all_background_and_bad_input():
    img = three_colour_scene()
    label = ppmg_label(img, np.zeros((2, 40, 40), np.float32), [0, 1])
    assert (label == 0).all()
    label = ppmg_label(img, np.zeros((0, 40, 40), np.float32), [])
    assert label.shape == (40, 40) and (label == 0).all()
    with pytest.raises(ValueError, match='differ in size'):
        ppmg_label(img, np.zeros((1, 20, 20), np.float32), [0])
    with pytest.raises(KeyError, match='preset'):
        PPMG(crf='nope')


def test_ppmg_config_overrides_crf():
    ppmg = PPMG(crf=dict(preset='psa', iterations=3,
                         bilateral=dict(srgb=5)))
    assert ppmg.crf['iterations'] == 3
    assert ppmg.crf['bilateral'] == dict(sxy=80, srgb=5, compat=10)
    assert ppmg.crf['gaussian'] == dict(sxy=3, compat=3)
