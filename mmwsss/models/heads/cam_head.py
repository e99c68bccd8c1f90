"""The classification head of a CAM classifier."""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence

import torch.nn as nn
from mmengine.model import BaseModule
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from torch import Tensor

from mmwsss.functional.hfpl_ops import gap_of_upsampled
from mmwsss.structures import stack_img_labels
from ..losses.cls_loss import loss_key, multilabel_cls_loss


@MODELS.register_module()
class CAMHead(BaseModule):
    """1x1-conv classifier over backbone features, pooled to class scores.

    ``M = W * f`` (a bias-free 1x1 convolution: the CAMs, Zhou et al. 2016,
    eq. 2) and ``s = GAP(M)``; the loss is a multi-label classification
    loss on ``s`` against the image-level labels.

    Args:
        in_channels: Channels of the feature map.
        num_classes: Classes *including* the background, as in mmseg's decode
            heads (21 for VOC); the head scores the ``num_classes - 1``
            foreground classes.
        dropout_ratio: Dropout on the features before the classifier.
        pooling: ``'gap'`` (global average) or ``'gmp'`` (global max).
        pool_at_input_size: For the classification loss, average the CAMs
            upsampled to the input size (bilinear, ``align_corners=True``,
            :func:`~mmwsss.functional.hfpl_ops.gap_of_upsampled`) as SEAM's
            and HFPL's training scripts do, instead of at CAM resolution
            (``'gap'`` only; class scores at inference stay at CAM
            resolution).
        loss_cls: The classification loss config.
        cam_losses: Losses on the raw CAMs, each called as
            ``loss(cams, labels, image)`` (e.g. HFPL's ``ISLLoss``,
            ``FSLLoss``); ``image`` is the input in RGB [0, 1].
    """

    def __init__(self,
                 in_channels: int,
                 num_classes: int,
                 dropout_ratio: float = 0.0,
                 pooling: str = 'gap',
                 pool_at_input_size: bool = False,
                 loss_cls: Optional[dict] = None,
                 cam_losses: Optional[List[dict]] = None,
                 init_cfg: Optional[dict] = dict(
                     type='Normal', std=0.01, layer='Conv2d')) -> None:
        super().__init__(init_cfg=init_cfg)
        if num_classes < 2:
            raise ValueError(f'num_classes={num_classes}: need the background '
                             'and at least one foreground class')
        if pooling not in ('gap', 'gmp'):
            raise ValueError(f'pooling must be gap or gmp, got {pooling!r}')
        if pool_at_input_size and pooling != 'gap':
            raise ValueError('pool_at_input_size needs pooling=gap')
        self.pool_at_input_size = pool_at_input_size
        self.in_channels = in_channels
        self.num_classes = num_classes
        self.num_fg = num_classes - 1
        self.pooling = pooling
        self.dropout = nn.Dropout2d(dropout_ratio) if dropout_ratio > 0 \
            else nn.Identity()
        self.classifier = nn.Conv2d(in_channels, self.num_fg, 1, bias=False)
        self.loss_cls = MODELS.build(loss_cls or multilabel_cls_loss())
        self.cam_losses = nn.ModuleList(
            [MODELS.build(c) for c in (cam_losses or [])])

    def forward(self, feat: Tensor) -> Tensor:
        """Raw CAMs ``(N, C_fg, h, w)``."""
        return self.classifier(self.dropout(feat))

    def pool(self, cams: Tensor) -> Tensor:
        """Class scores ``(N, C_fg)`` from raw CAMs."""
        if self.pooling == 'gap':
            return cams.mean(dim=(2, 3))
        return cams.amax(dim=(2, 3))

    def loss(self, feat: Tensor, data_samples: List[SegDataSample],
             image: Optional[Tensor] = None,
             input_size: Optional[Sequence[int]] = None
             ) -> Dict[str, Tensor]:
        labels = stack_img_labels(data_samples, self.num_fg).to(feat.device)
        return self.loss_by_cams(self.forward(feat), labels, image,
                                 input_size)

    def loss_by_cams(self, cams: Tensor, labels: Tensor,
                     image: Optional[Tensor] = None,
                     input_size: Optional[Sequence[int]] = None
                     ) -> Dict[str, Tensor]:
        """The losses of raw CAMs ``(N, C_fg, h, w)`` against ``(N, C_fg)``
        image labels (see :meth:`loss`); ``input_size`` ``(H, W)`` is needed
        with ``pool_at_input_size``."""
        if self.pool_at_input_size:
            if input_size is None:
                raise ValueError('CAMHead(pool_at_input_size=True) needs the '
                                 'input size')
            scores = gap_of_upsampled(cams, input_size)
        else:
            scores = self.pool(cams)
        losses = {loss_key(self.loss_cls): self.loss_cls(scores, labels)}
        for loss in self.cam_losses:
            losses[loss.loss_name] = loss(cams, labels, image)
        return losses
