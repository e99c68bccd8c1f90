"""The classification loss: mmpretrain's sigmoid CrossEntropyLoss is the CAM
papers' multi-label soft margin."""
import math

import pytest
import torch
from mmseg.registry import MODELS

from mmwsss.models.losses import loss_key, multilabel_cls_loss


def build(**kwargs):
    return MODELS.build(multilabel_cls_loss(**kwargs))


def test_hand_value():
    logits = torch.tensor([[0.0, math.log(3.0)]])
    labels = torch.tensor([[1.0, 0.0]])
    # -1/2 [log s(0) + log s(-ln 3)] = -1/2 [log 1/2 + log 1/4]
    expected = -0.5 * (math.log(0.5) + math.log(0.25))
    assert build()(logits, labels).item() == pytest.approx(expected,
                                                           rel=1e-6)


def test_matches_torch_and_weight():
    logits, labels = torch.randn(4, 7), (torch.rand(4, 7) > 0.5).float()
    ref = torch.nn.MultiLabelSoftMarginLoss()(logits, labels)
    loss = build(loss_weight=2.0)
    assert loss(logits, labels).item() == pytest.approx(2 * ref.item(),
                                                        rel=1e-5)
    assert loss_key(loss) == 'loss_cls'


def test_one_foreground_class():
    """A dataset with one foreground class: (N, 1) scores (mmseg's sigmoid
    CrossEntropyLoss would treat them as a segmentation map)."""
    logits = torch.tensor([[0.0], [math.log(3.0)]])
    labels = torch.tensor([[1.0], [1.0]])
    expected = -0.5 * (math.log(0.5) + math.log(0.75))
    assert build()(logits, labels).item() == pytest.approx(expected,
                                                           rel=1e-6)


def test_gradient_sign():
    logits = torch.zeros(1, 2, requires_grad=True)
    build()(logits, torch.tensor([[1.0, 0.0]])).backward()
    # raise the positive class's score, lower the negative's
    assert logits.grad[0, 0] < 0 < logits.grad[0, 1]


def test_shape_mismatch():
    with pytest.raises(ValueError, match='must be the same'):
        build()(torch.zeros(2, 3), torch.zeros(2, 4))
