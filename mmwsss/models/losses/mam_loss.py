"""The multi-scale attentive module (MAM) as a registered loss."""
from __future__ import annotations

from typing import Optional, Sequence

import torch
import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor

from mmwsss.functional.rcm_mam_ops import (attentive_targets,
                                           cosine_dissimilarity, mam_loss)


@MODELS.register_module()
class MAMLoss(nn.Module):
    """MAM (Pixel-level self-supervision for WSSS, §3.4, eq. 6-8) and the
    paper's two ablations of it.

    ``loss(cams_main, cams_support, msinf_support, labels)`` with the
    MainNet's and the SupportNet's normalised CAMs per scale (``S`` maps
    ``(N, C_fg, h, w)`` at the 1.0 view's size):

    * ``'mam'``: every scale ``i`` of F learns ``(1/S) sum_j xi_{i:j}
      A^G_j`` with ``xi = 2 - cos`` (:func:`~mmwsss.functional.rcm_mam_ops.
      attentive_targets`);
    * ``'smm'``: only F's 1.0 scale learns G's multi-scale CAM;
    * ``'mmm'``: every scale learns ``(1/S) sum_j A^G_j`` (no
      dissimilarity weighting).

    L1 per class and scale (mean over pixels), summed over the present
    classes and the scales, mean over images; targets carry no gradient.

    Args:
        variant: ``'mam'``, ``'smm'`` or ``'mmm'``.
        main_scale: Index of the 1.0 scale (for ``'smm'``).
        loss_weight: ``lambda_3`` once switched on (1).
    """

    def __init__(self, variant: str = 'mam', main_scale: int = 1,
                 loss_weight: float = 1.0,
                 loss_name: str = 'loss_mam') -> None:
        super().__init__()
        if variant not in ('mam', 'smm', 'mmm'):
            raise ValueError(f"variant must be 'mam', 'smm' or 'mmm', got "
                             f'{variant!r}')
        self.variant = variant
        self.main_scale = main_scale
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    @property
    def uses_all_main_scales(self) -> bool:
        """Whether F's CAMs at every scale are read (SMM reads only the
        1.0 scale's: the others need not be computed)."""
        return self.variant != 'smm'

    def forward(self, cams_main: Sequence[Optional[Tensor]],
                cams_support: Sequence[Tensor], msinf_support: Tensor,
                labels: Tensor) -> Tensor:
        """``cams_main`` may hold None for scales SMM does not read."""
        if self.variant == 'smm':
            loss = mam_loss(cams_main[self.main_scale][None],
                            msinf_support[None].detach(), labels)
            return self.loss_weight * loss
        f = torch.stack(list(cams_main))
        g = torch.stack(list(cams_support)).detach()
        if self.variant == 'mmm':
            target = g.mean(0, keepdim=True).expand_as(f)
            loss = mam_loss(f, target, labels)
        else:
            xi = cosine_dissimilarity(f.detach(), g)
            loss = mam_loss(f, attentive_targets(g, xi), labels)
        return self.loss_weight * loss

    @property
    def loss_name(self) -> str:
        return self._loss_name
