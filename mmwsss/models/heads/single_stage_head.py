"""Decoder of the single-stage model (Araslanov & Roth, CVPR 2020, §3.4)."""
from __future__ import annotations

from typing import List

import torch
import torch.nn as nn
from mmcv.cnn import ConvModule
from mmseg.models.decode_heads.aspp_head import ASPPHead
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from torch import Tensor

from ..utils.gci import GCI
from ..utils.stochastic_gate import StochasticGate


@MODELS.register_module()
class SingleStageHead(ASPPHead):
    """DeepLabv3+-style decoder with Stochastic Gate and Global Cue
    Injection; outputs foreground logits ``(N, C_fg, H/4, W/4)``.

    ASPP (mmseg's, with image pooling) on the deep features; a skip from the
    stride-4 features (1x1 conv to ``c1_channels``), concatenated and fused
    by a 3x3 conv; GCI turns the stride-4 features into "shallow" features
    modulated by the fused deep ones, and SG mixes the two (eq. 9-11); a
    3-layer decoder (3x3, dropout 0.5, 3x3, dropout ``dropout_ratio``, 1x1)
    gives one logit per foreground class (the background logit is the
    constant of eq. 3, added by the segmentor).

    Args:
        c1_in_channels: Channels of the stride-4 features
            (``inputs[c1_index]``).
        c1_channels: Skip channels (48).
        psi: SG rate (0.3); ``use_sg=False`` removes SG and GCI (the
            ablation "without SG").
        num_classes: Classes including the background.
    """

    def __init__(self,
                 c1_in_channels: int,
                 c1_channels: int = 48,
                 c1_index: int = 0,
                 psi: float = 0.3,
                 use_sg: bool = True,
                 **kwargs) -> None:
        super().__init__(**kwargs)
        self.c1_index = c1_index
        self.use_sg = use_sg
        cfg = dict(conv_cfg=self.conv_cfg, norm_cfg=self.norm_cfg,
                   act_cfg=self.act_cfg)
        self.skip = ConvModule(c1_in_channels, c1_channels, 1, **cfg)
        self.fuse = ConvModule(self.channels + c1_channels, self.channels, 3,
                               padding=1, **cfg)
        if use_sg:
            self.gci = GCI(c1_in_channels, self.channels, self.channels,
                           norm_cfg=self.norm_cfg or dict(type='BN'))
            self.sg = StochasticGate(psi)
        self.decoder = nn.Sequential(
            ConvModule(self.channels, self.channels, 3, padding=1, **cfg),
            nn.Dropout(0.5),
            ConvModule(self.channels, self.channels, 3, padding=1, **cfg))
        # one logit per foreground class
        self.conv_seg = nn.Conv2d(self.channels, self.num_classes - 1, 1)

    def forward(self, inputs: List[Tensor]) -> Tensor:
        deep = self._forward_feature(inputs)                 # ASPP
        c1 = inputs[self.c1_index]
        skip = self.skip(c1)
        deep = resize(deep, size=skip.shape[2:], mode='bilinear',
                      align_corners=self.align_corners)
        x = self.fuse(torch.cat([deep, skip], dim=1))
        if self.use_sg:
            x = self.sg(x, self.gci(c1, x))
        return self.cls_seg(self.decoder(x))
