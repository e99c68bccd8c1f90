"""The regional contrastive module (RCM) as a registered loss."""
from __future__ import annotations

import torch
import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor

from mmwsss.functional.rcm_mam_ops import (batch_prototypes, rcm_loss,
                                           region_masks, update_memory)


@MODELS.register_module()
class RCMLoss(nn.Module):
    """RCM (Pixel-level self-supervision for WSSS, §3.3, eq. 1-5).

    ``loss(feat_main, feat_support, cams_support, labels)``: the region
    masks of the SupportNet's multi-scale CAMs
    (:func:`~mmwsss.functional.rcm_mam_ops.region_masks`, threshold 0.20,
    classes of the image label), the prototypes of the SupportNet's
    features (masked mean, batch mean, L2-normalised:
    :func:`~mmwsss.functional.rcm_mam_ops.batch_prototypes`), and the
    contrastive loss of the MainNet's features against them
    (:func:`~mmwsss.functional.rcm_mam_ops.rcm_loss`, temperature 0.5).

    A class absent from the mini-batch uses its latest prototype, kept in
    the ``memory`` buffer (``(num_classes, D)``, saved in checkpoints) and
    updated in training mode only; ``seen`` marks the classes that ever
    had one - the others are left out of the contrast.

    Args:
        num_classes: Classes including the background (the N + 1
            prototypes).
        channels: Feature channels ``D`` (256).
        threshold: Region threshold on the normalised CAMs (0.20).
        temperature: ``T`` (0.5).
        mode: ``'infonce'`` (``-log`` softmax, default) or ``'ratio'``
            (eq. 5 as printed, without the log).
        loss_weight: ``lambda_2`` (1).
    """

    def __init__(self, num_classes: int, channels: int = 256,
                 threshold: float = 0.2, temperature: float = 0.5,
                 mode: str = 'infonce', loss_weight: float = 1.0,
                 loss_name: str = 'loss_rcm') -> None:
        super().__init__()
        if mode not in ('infonce', 'ratio'):
            raise ValueError(f"mode must be 'infonce' or 'ratio', got "
                             f'{mode!r}')
        self.threshold = threshold
        self.temperature = temperature
        self.mode = mode
        self.loss_weight = loss_weight
        self._loss_name = loss_name
        self.register_buffer('memory', torch.zeros(num_classes, channels))
        self.register_buffer('seen', torch.zeros(num_classes,
                                                 dtype=torch.bool))

    def forward(self, feat_main: Tensor, feat_support: Tensor,
                cams_support: Tensor, labels: Tensor) -> Tensor:
        """``feat_*``: ``(N, D, h, w)``; ``cams_support``: ``(N, C_fg, h,
        w)`` normalised multi-scale CAMs; ``labels``: ``(N, C_fg)``."""
        if feat_main.shape[1] != self.memory.shape[1]:
            raise ValueError(f'RCMLoss: features have {feat_main.shape[1]} '
                             f'channels, the memory {self.memory.shape[1]}')
        if cams_support.shape[1] + 1 != self.memory.shape[0]:
            raise ValueError(f'RCMLoss: {cams_support.shape[1]} foreground '
                             f'CAMs for {self.memory.shape[0]} classes')
        with torch.no_grad():
            masks = region_masks(cams_support, labels, self.threshold)
            protos, present = batch_prototypes(feat_support.float(), masks)
            memory, seen = update_memory(self.memory, self.seen, protos,
                                         present)
            if self.training:
                self.memory.copy_(memory)
                self.seen.copy_(seen)
        loss = rcm_loss(feat_main, masks, memory.to(feat_main.dtype), seen,
                        self.temperature, self.mode)
        return self.loss_weight * loss

    @property
    def loss_name(self) -> str:
        return self._loss_name
