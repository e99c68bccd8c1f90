"""Global Cue Injection (GCI), Araslanov & Roth, CVPR 2020, §3.4 eq. 11."""
from __future__ import annotations

import torch.nn as nn
import torch.nn.functional as F
from mmcv.cnn import ConvModule
from torch import Tensor


class GCI(nn.Module):
    """Modulate shallow features with global cues of the deep features.

    ``gamma, beta`` = split of the global max-pool of
    ``relu(bn(conv1x1(deep)))`` (``2 x channels``); the shallow features go
    through ``bn(conv1x1(.))`` without affine parameters, then
    ``relu(x * (1 + gamma) + beta)`` (AdaIN-style), then a 1x1 conv + BN +
    ReLU.

    Args:
        shallow_channels: Channels of the shallow (stride-4) features.
        deep_channels: Channels of the deep features.
        channels: Output channels.
    """

    def __init__(self, shallow_channels: int, deep_channels: int,
                 channels: int, norm_cfg: dict = dict(type='BN')) -> None:
        super().__init__()
        self.channels = channels
        self.fc_deep = ConvModule(deep_channels, 2 * channels, 1,
                                  bias=False, norm_cfg=norm_cfg)
        norm = dict(norm_cfg, affine=False) if norm_cfg['type'] in (
            'BN', 'SyncBN', 'BN2d') else norm_cfg
        self.fc_skip = ConvModule(shallow_channels, channels, 1, bias=False,
                                  norm_cfg=norm, act_cfg=None)
        self.fc_out = ConvModule(channels, channels, 1, bias=False,
                                 norm_cfg=norm_cfg)

    def forward(self, shallow: Tensor, deep: Tensor) -> Tensor:
        attrs = self.fc_deep(deep).flatten(2).max(-1)[0]     # (N, 2C)
        gamma, beta = attrs.split(self.channels, dim=1)
        x = self.fc_skip(shallow)
        x = F.relu(x * (1 + gamma[..., None, None]) + beta[..., None, None])
        return self.fc_out(x)
