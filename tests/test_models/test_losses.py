import math

import pytest
import torch

from mmwsss.models.losses import (MultiLabelSoftMarginLoss,
                                  multilabel_soft_margin)


def test_hand_value():
    logits = torch.tensor([[0.0, math.log(3.0)]])
    labels = torch.tensor([[1.0, 0.0]])
    # -1/2 [log s(0) + log s(-ln 3)] = -1/2 [log 1/2 + log 1/4]
    expected = -0.5 * (math.log(0.5) + math.log(0.25))
    assert multilabel_soft_margin(logits, labels).item() == pytest.approx(
        expected, rel=1e-6)


def test_matches_torch_and_weight():
    logits, labels = torch.randn(4, 7), (torch.rand(4, 7) > 0.5).float()
    ref = torch.nn.MultiLabelSoftMarginLoss()(logits, labels)
    loss = MultiLabelSoftMarginLoss(loss_weight=2.0)
    assert loss(logits, labels).item() == pytest.approx(2 * ref.item(),
                                                        rel=1e-5)
    assert loss.loss_name == 'loss_cls'


def test_gradient_sign():
    logits = torch.zeros(1, 2, requires_grad=True)
    multilabel_soft_margin(logits, torch.tensor([[1.0, 0.0]])).sum().backward()
    # raise the positive class's score, lower the negative's
    assert logits.grad[0, 0] < 0 < logits.grad[0, 1]


def test_shape_mismatch():
    with pytest.raises(ValueError, match='differ'):
        multilabel_soft_margin(torch.zeros(2, 3), torch.zeros(2, 4))
