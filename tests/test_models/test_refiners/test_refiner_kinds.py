"""The three refiner kinds and the checks of pseudo_label_from_cams."""
import numpy as np
import pytest

from mmwsss.apis import pseudo_label_from_cams
from mmwsss.models.refiners import (CVS, PAMR, PPMG, CAMTransform, DenseCRF,
                                    LabelGenerator, ScoreRefiner, check_kind)


def test_each_refiner_has_its_kind():
    assert isinstance(DenseCRF(), ScoreRefiner)
    assert isinstance(PAMR(), ScoreRefiner)
    assert isinstance(CVS(), CAMTransform)
    assert isinstance(PPMG(), LabelGenerator)
    for r in (DenseCRF(), CVS(), PPMG()):
        assert not isinstance(r, tuple({ScoreRefiner, CAMTransform,
                                        LabelGenerator} - {type(r).__mro__[1]}))


def test_the_kinds_are_abstract():
    for kind in (ScoreRefiner, CAMTransform, LabelGenerator):
        with pytest.raises(TypeError):
            kind()


def test_a_refiner_in_the_wrong_slot_is_named():
    cams = np.random.RandomState(0).rand(2, 8, 8).astype(np.float32)
    img = np.zeros((8, 8, 3), np.uint8)
    with pytest.raises(TypeError, match=r'refiners\[0\]: CVS \(a CAM '
                       'transform\\) is not a score refiner'):
        pseudo_label_from_cams(cams, [0, 1], img, refiners=[CVS()])
    with pytest.raises(TypeError, match=r'cam_transforms\[0\]: DenseCRF'):
        pseudo_label_from_cams(cams, [0, 1], img, cam_transforms=[DenseCRF()])
    with pytest.raises(TypeError, match='generator: CVS'):
        pseudo_label_from_cams(cams, [0, 1], img, generator=CVS())
    assert check_kind(CVS(), CAMTransform, 'x').__class__ is CVS
