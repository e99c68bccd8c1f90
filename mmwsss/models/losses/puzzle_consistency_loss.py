"""Puzzle-CAM / Consistency-CAM view-consistency loss."""
from __future__ import annotations

import random
from typing import Callable, Dict, Optional, Sequence, Tuple, Union

import torch.nn as nn
from mmseg.registry import MODELS
from torch import Tensor

from mmwsss.functional.consistency_ops import (apply_view, check_scale_range,
                                               infer_stride, invert_view,
                                               parse_grid,
                                               photometric_jitter,
                                               ramp_weight,
                                               reconstruction_loss,
                                               sample_view)
from mmwsss.utils.runtime_info import current_iter
from .cls_loss import multilabel_cls_loss


@MODELS.register_module()
class PuzzleConsistencyLoss(nn.Module):
    """Puzzle-CAM's puzzle module and losses, generalised (Consistency-CAM).

    Every training step draws one view of the batch: a tile grid from
    ``grids`` (Puzzle-CAM: ``[(2, 2)]``), optionally a horizontal flip
    (``flip_prob``), a rescale (``scale_range``, the size rounded to a
    multiple of grid x output stride so tiles hold whole CAM cells) and a
    brightness / contrast change (``photometric``). The view's tiles go
    through the classifier, their CAMs are merged and mapped back onto the
    whole image's CAM grid (``A^re``), and (Jo & Yu, ICIP 2021, eq. 4-6)

    * ``loss_pcls = BCE(GAP(A^re), y)`` (weight ``pcls_weight``, 1),
    * ``loss_re = alpha_t * mean(y |A^s - A^re|)`` with
      ``alpha_t = alpha * min(1, iter / ramp_iters)`` (alpha 4 ramped over
      the first half of training in the authors' code).

    Both branches get gradients. Several entries in ``consistency_losses``
    (with different ``prefix``) draw several views per step. Use it through
    ``CAMClassifier(consistency_losses=[...])``; the classifier passes its
    forward function, the normalised inputs, the whole-image CAMs, the
    labels and its pooling.

    Args:
        grids: Tile grids ``(rows, cols)`` drawn uniformly (among those that
            tile the input exactly). ``(1, 1)`` = no tiling.
        flip_prob: Probability of a horizontal flip of the view.
        scale_range: The view is rescaled by a factor uniform in this range.
        alpha: Weight of the reconstruction loss after the ramp (4).
        ramp_iters: Iterations of the linear ramp of alpha (0: none).
        p: 1 for L1 (the paper), 2 for squared error.
        pcls_weight: Weight of the classification loss on ``A^re`` (0
            switches it off).
        loss_cls: Classification loss config for ``loss_pcls``.
        update_bn_stats: Let the view's forward pass update the BatchNorm
            running statistics (True, as in the authors' code, where the
            tiles go through the network in training mode). False keeps
            them to the whole images the model is tested on (the view is
            still normalised with its own batch statistics).
        align: Rescaled sizes are multiples of grid x ``align`` pixels.
            ``'auto'``: the output stride, input size / CAM size (1 keeps
            the former rounding to the grid only).
        exclude_identity: Redraw a view that reproduces the input (1 x 1,
            no flip, input size): its ``L_re`` is exactly zero and its
            ``loss_pcls`` repeats ``L_cls``, so it would spend the step's
            second pass on nothing. False keeps Puzzle-CAM-style draws
            unconditioned.
        photometric: ``dict(brightness=b, contrast=c)`` jitters the view
            (:func:`~mmwsss.functional.consistency_ops.photometric_jitter`,
            normalised units) before it is tiled; None: no change.
        prefix: Name prefix of the losses (distinct per view).
    """

    def __init__(self,
                 grids: Sequence[Sequence[int]] = ((2, 2), ),
                 flip_prob: float = 0.0,
                 scale_range: Tuple[float, float] = (1.0, 1.0),
                 alpha: float = 4.0,
                 ramp_iters: int = 0,
                 p: int = 1,
                 pcls_weight: float = 1.0,
                 loss_cls: Optional[dict] = None,
                 update_bn_stats: bool = True,
                 align: Union[str, int] = 'auto',
                 exclude_identity: bool = True,
                 photometric: Optional[dict] = None,
                 prefix: str = 'loss_puzzle') -> None:
        super().__init__()
        if not grids:
            raise ValueError('PuzzleConsistencyLoss.grids is empty')
        try:
            self.grids = [parse_grid(g) for g in grids]
        except ValueError as e:
            raise ValueError(f'PuzzleConsistencyLoss.grids: {e}') from e
        try:
            self.scale_range = check_scale_range(scale_range)
        except ValueError as e:
            raise ValueError(f'PuzzleConsistencyLoss.{e}') from e
        if not 0.0 <= flip_prob <= 1.0:
            raise ValueError(f'PuzzleConsistencyLoss.flip_prob={flip_prob} '
                             'is not a probability')
        self.flip_prob = float(flip_prob)
        self.alpha = float(alpha)
        self.ramp_iters = int(ramp_iters)
        self.p = p
        self.pcls_weight = float(pcls_weight)
        self.loss_cls = MODELS.build(loss_cls or multilabel_cls_loss())
        self.update_bn_stats = bool(update_bn_stats)
        if align != 'auto' and (not isinstance(align, int) or align < 1):
            raise ValueError("PuzzleConsistencyLoss.align must be 'auto' or "
                             f'an int >= 1, got {align!r}')
        self.align = align
        self.exclude_identity = bool(exclude_identity)
        photometric = dict(photometric or {})
        unknown = set(photometric) - {'brightness', 'contrast'}
        if unknown:
            raise ValueError('PuzzleConsistencyLoss.photometric takes '
                             f'brightness and contrast, got {sorted(unknown)}')
        if any(float(v) < 0 for v in photometric.values()) or float(
                photometric.get('contrast', 0)) >= 1:
            raise ValueError('PuzzleConsistencyLoss.photometric: brightness '
                             '>= 0 and 0 <= contrast < 1, got '
                             f'{photometric}')
        self.photometric = photometric
        if self.exclude_identity and self.flip_prob == 0 and \
                self.scale_range == (1.0, 1.0) and not photometric and \
                all(g == (1, 1) for g in self.grids):
            raise ValueError('PuzzleConsistencyLoss: the only view is the '
                             'identity (grids [(1, 1)], no flip, rescale or '
                             'photometric change)')
        self.prefix = prefix
        # None: Python's ``random`` (seeded by mmengine's ``randomness``)
        self.rng: Optional[random.Random] = None
        self.last_view = None

    def forward(self, forward_fn: Callable[[Tensor], Tensor], inputs: Tensor,
                cams: Tensor, labels: Tensor,
                pool: Callable[[Tensor], Tensor]) -> Dict[str, Tensor]:
        """Losses of one view.

        Args:
            forward_fn: Maps normalised images to raw CAMs.
            inputs: ``(N, 3, H, W)`` the normalised batch.
            cams: ``(N, C, h, w)`` raw CAMs of ``inputs`` (``A^s``).
            labels: ``(N, C)`` image labels.
            pool: CAMs -> class scores (the head's GAP).
        """
        h, w = inputs.shape[2:]
        align = infer_stride((h, w), cams.shape[2:]) \
            if self.align == 'auto' else self.align
        view = sample_view(
            h, w, self.grids, self.flip_prob, self.scale_range, self.rng,
            align=align,
            # a photometric change makes every view differ from the input
            exclude_identity=self.exclude_identity and not self.photometric)
        self.last_view = view
        x = inputs
        if self.photometric:
            x = photometric_jitter(x, **self.photometric)
        tile_cams = forward_fn(apply_view(x, view))
        cams_re = invert_view(tile_cams, view, tuple(cams.shape[2:]))
        losses = {}
        if self.pcls_weight > 0:
            losses[f'{self.prefix}_pcls'] = self.pcls_weight * \
                self.loss_cls(pool(cams_re), labels)
        weight = ramp_weight(self.alpha, current_iter(), self.ramp_iters)
        losses[f'{self.prefix}_re'] = weight * reconstruction_loss(
            cams, cams_re, labels, self.p)
        return losses
