"""HFPL's importance-sampling loss (ISL) as a registered CAM loss."""
from __future__ import annotations

from typing import Optional

import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor

from mmwsss.functional.hfpl_ops import expected_isl, importance_sampling_loss


@MODELS.register_module()
class ISLLoss(nn.Module):
    """ISL (Jonnarth et al., WACV 2024, eq. 14-18) on raw CAMs.

    Add it to a :class:`~mmwsss.models.CAMHead` through ``cam_losses``; with
    the classification loss weighted ``1 - lambda`` and this one
    ``lambda`` (0.2) it gives HFPL's ``(1 - lambda) GAP-BCE + lambda ISL``.

    Args:
        num_samples: Pixels drawn per class (10).
        exact: Use the expectation over the sampling distribution instead
            of samples (deterministic).
        loss_weight: ``lambda``.
    """

    def __init__(self, num_samples: int = 10, eps: float = 1e-5,
                 exact: bool = False, loss_weight: float = 0.2,
                 loss_name: str = 'loss_isl') -> None:
        super().__init__()
        self.num_samples = num_samples
        self.eps = eps
        self.exact = exact
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self, cams: Tensor, labels: Tensor,
                image: Optional[Tensor] = None,
                indices: Optional[Tensor] = None) -> Tensor:
        """``indices``: optional ``(N, C, S)`` samples to use instead of a
        draw (:func:`~mmwsss.functional.hfpl_ops.importance_sampling_loss`).
        """
        if self.exact:
            loss = expected_isl(cams, labels, self.eps)
        else:
            loss = importance_sampling_loss(cams, labels, self.num_samples,
                                            self.eps, indices=indices)
        return self.loss_weight * loss

    @property
    def loss_name(self) -> str:
        return self._loss_name
