"""Multi-label soft-margin loss on image-level labels."""
from __future__ import annotations

import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor


def multilabel_soft_margin(logits: Tensor, labels: Tensor) -> Tensor:
    """Per-image multi-label soft-margin loss.

    ``l = -1/C sum_c [y_c log sigma(s_c) + (1 - y_c) log sigma(-s_c)]``
    (the CAM papers' classification loss; PyTorch's
    ``MultiLabelSoftMarginLoss``).

    Args:
        logits: ``(N, C)`` class scores.
        labels: ``(N, C)`` multi-hot targets.

    Returns:
        Tensor: ``(N,)``.
    """
    if logits.shape != labels.shape:
        raise ValueError(f'logits {tuple(logits.shape)} and labels '
                         f'{tuple(labels.shape)} differ in shape')
    labels = labels.to(logits.dtype)
    loss = -(labels * F.logsigmoid(logits) +
             (1 - labels) * F.logsigmoid(-logits))
    return loss.mean(dim=1)


@MODELS.register_module()
class MultiLabelSoftMarginLoss(nn.Module):
    """Registered wrapper of :func:`multilabel_soft_margin`.

    Args:
        loss_weight: Multiplies the batch mean.
        loss_name: Key of the loss in the loss dict (mmseg convention: it
            must start with ``loss_`` to be back-propagated).
    """

    def __init__(self, loss_weight: float = 1.0,
                 loss_name: str = 'loss_cls') -> None:
        super().__init__()
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self, logits: Tensor, labels: Tensor) -> Tensor:
        return self.loss_weight * multilabel_soft_margin(logits,
                                                         labels).mean()

    @property
    def loss_name(self) -> str:
        return self._loss_name
