"""Pretended Under-fitting Strategy (PUS), PMM (Li et al., ICCV 2021) §3.5.

Pseudo-masks are noisy. Once the segmentation model fits them well (the
batch's mean per-pixel loss ``L̄`` falls below ``beta``), the pixels it still
gets badly wrong are most likely label noise; PUS pretends the model is
still under-fitting by damping their loss (eq. 10-13):

* ``clamp``:  ``l' = min(l, kappa)`` - no gradient from pixels above kappa;
* ``pow``:    ``l' = l ** kappa``   - large losses compressed;
* ``ignore``: ``l' = l * [l <= kappa]`` - pixels above kappa dropped.

Paper defaults: ``beta = kappa = 0.5`` (VOC), ``0.8`` (COCO). All three
forms are offered; ``clamp`` is the default here.
"""
from __future__ import annotations

from typing import Optional, Tuple

import torch.nn as nn
from mmengine.logging import print_log
from mmseg.models.losses.utils import weight_reduce_loss
from mmseg.registry import MODELS
from torch import Tensor

from mmwsss.utils.runtime_info import PSEUDO_MASK_ROUND, get_runtime_info

PUS_MODES = ('clamp', 'pow', 'ignore')


def pretended_underfitting(loss: Tensor, beta: float = 0.5,
                           kappa: float = 0.5,
                           mode: str = 'clamp') -> Tuple[Tensor, bool]:
    """Apply PUS to per-pixel losses (eq. 10-13).

    Args:
        loss: Per-pixel losses (any shape), ignored pixels already 0.
        beta: The gate: PUS acts only when ``loss.mean() < beta`` (the mean
            over *all* pixels, ignored ones counting 0, as the authors' code
            and mmseg's ``avg_non_ignore=False``).
        kappa: The cap (clamp, ignore) or exponent (pow).
        mode: ``'clamp'``, ``'pow'`` or ``'ignore'``.

    Returns:
        tuple: The transformed losses and whether the gate was open.
    """
    if mode not in PUS_MODES:
        raise ValueError(f'PUS mode must be one of {PUS_MODES}, got {mode!r}')
    if loss.numel() == 0 or not bool(loss.detach().mean() < beta):
        return loss, False
    if mode == 'clamp':
        return loss.clamp(min=0, max=kappa), True
    if mode == 'pow':
        return (loss + 1e-9).pow(kappa), True
    return loss * (loss.detach() <= kappa).to(loss.dtype), True


@MODELS.register_module()
class PUSLoss(nn.Module):
    """PUS around a pixel-wise loss (default mmseg ``CrossEntropyLoss``).

    Use it as ``loss_decode`` of any mmseg decode or auxiliary head; each
    head's instance gates on its own loss::

        loss_decode=dict(type='PUSLoss', beta=0.5, kappa=0.5, mode='clamp',
                         loss_cfg=dict(type='CrossEntropyLoss',
                                       use_sigmoid=False, loss_weight=1.0))

    The inner loss computes per-pixel values (``reduction_override='none'``,
    its class weights and ignore index apply), PUS transforms them
    (:func:`pretended_underfitting`), then they are reduced as the inner loss
    would have (mean over all pixels, or over non-ignored ones with
    ``avg_non_ignore=True``, class weights honoured) and scaled by the inner
    ``loss_weight``.

    Args:
        loss_cfg: The wrapped loss; it must accept ``reduction_override``.
        beta, kappa, mode: See :func:`pretended_underfitting`.
        enabled: Turn PUS off without changing the config's loss; the loss
            is then exactly the inner one.
        off_from_round: PUS is off once this many pseudo-mask rounds of
            :class:`~mmwsss.engine.CyclicPseudoMaskHook` are done (read
            from the message hub, :mod:`mmwsss.utils.runtime_info`); the
            paper uses PUS only in the first round: ``1``. None: never.

    Attributes:
        last_active (bool): Whether the gate was open at the last call.
    """

    def __init__(self,
                 loss_cfg: dict = dict(type='CrossEntropyLoss',
                                       use_sigmoid=False, loss_weight=1.0),
                 beta: float = 0.5,
                 kappa: float = 0.5,
                 mode: str = 'clamp',
                 enabled: bool = True,
                 off_from_round: Optional[int] = None) -> None:
        super().__init__()
        if mode not in PUS_MODES:
            raise ValueError(
                f'PUSLoss.mode must be one of {PUS_MODES}, got {mode!r}')
        self.loss = MODELS.build(loss_cfg)
        if getattr(self.loss, 'use_sigmoid', False) or getattr(
                self.loss, 'use_mask', False):
            raise ValueError('PUSLoss wraps a softmax cross-entropy; '
                             'use_sigmoid/use_mask are not supported')
        # per-pixel values come out unweighted (the gate reads them); the
        # inner weight is applied once, after the reduction
        self.loss_weight = float(getattr(self.loss, 'loss_weight', 1.0))
        if hasattr(self.loss, 'loss_weight'):
            self.loss.loss_weight = 1.0
        self.beta = beta
        self.kappa = kappa
        self.mode = mode
        self.enabled = enabled
        self.off_from_round = off_from_round
        self._off_logged = False
        self.last_active = False

    @property
    def active(self) -> bool:
        """PUS applies now: ``enabled`` and, with ``off_from_round``,
        fewer pseudo-mask rounds done than that."""
        if not self.enabled:
            return False
        if self.off_from_round is None:
            return True
        on = get_runtime_info(PSEUDO_MASK_ROUND, 0) < self.off_from_round
        if not on and not self._off_logged:
            print_log(f'PUSLoss off from pseudo-mask round '
                      f'{self.off_from_round}', logger='current')
            self._off_logged = True
        return on

    @property
    def loss_name(self) -> str:
        return self.loss.loss_name

    def forward(self,
                cls_score: Tensor,
                label: Tensor,
                weight: Optional[Tensor] = None,
                avg_factor: Optional[float] = None,
                reduction_override: Optional[str] = None,
                ignore_index: int = -100,
                **kwargs) -> Tensor:
        pixel = self.loss(cls_score, label, None, reduction_override='none',
                          ignore_index=ignore_index, **kwargs)
        self.last_active = False
        if self.active:
            pixel, self.last_active = pretended_underfitting(
                pixel, self.beta, self.kappa, self.mode)
        reduction = reduction_override or getattr(self.loss, 'reduction',
                                                  'mean')
        if avg_factor is None and reduction == 'mean':
            avg_factor = self._avg_factor(label, cls_score, ignore_index)
        if weight is not None:
            weight = weight.float()
        return self.loss_weight * weight_reduce_loss(
            pixel, weight=weight, reduction=reduction, avg_factor=avg_factor)

    def _avg_factor(self, label: Tensor, cls_score: Tensor,
                    ignore_index: int):
        """The mean's denominator as mmseg's ``cross_entropy`` uses it."""
        avg_non_ignore = getattr(self.loss, 'avg_non_ignore', False)
        class_weight = getattr(self.loss, 'class_weight', None)
        valid = label != ignore_index
        if class_weight is None:
            return valid.sum().item() if avg_non_ignore else label.numel()
        cw = cls_score.new_tensor(class_weight)
        w = cw[label.clamp(0, len(cw) - 1)]
        if avg_non_ignore:
            w = w * valid
        return w.sum()

    def extra_repr(self) -> str:
        return (f'beta={self.beta}, kappa={self.kappa}, mode={self.mode!r}, '
                f'enabled={self.enabled}, '
                f'off_from_round={self.off_from_round}')
