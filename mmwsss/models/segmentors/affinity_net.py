"""AffinityNet (PSA: Ahn & Kwak, CVPR 2018) as an mmseg model."""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.models.segmentors import BaseSegmentor
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmseg.utils import OptConfigType, OptMultiConfig, OptSampleList
from torch import Tensor

from mmwsss.functional.affinity_ops import (affinity_labels,
                                            affinity_loss, dense_affinity,
                                            feature_affinities)
from .scored_predict import build_backbone


@MODELS.register_module()
class AffinityNet(BaseSegmentor):
    """Predicts the affinity of nearby pixel pairs; trained on affinity
    labels derived from CAMs (no ground truth).

    Features of several backbone stages, each through a 1x1 convolution
    and ELU (PSA: 64, 128, 256 channels), resized to the grid of the first
    and concatenated, then a 1x1 convolution and ELU (PSA's ``f9``, 448
    channels) give the embedding ``f``; the affinity of pixels ``i, j``
    closer than ``radius`` (5) is ``exp(-mean_c |f_i - f_j|)``
    (:func:`~mmwsss.functional.affinity_ops.feature_affinities`).

    Training (:meth:`loss`) reads the samples' ``gt_sem_seg`` - the fused
    confident labels made from CAMs
    (:func:`~mmwsss.functional.affinity_ops.fuse_confident_labels`, a
    folder of PNGs written by the pipeline, 255 ignored) - downsampled to
    the embedding grid (nearest), and minimises PSA's
    ``bg / 4 + fg / 4 + neg / 2`` (``loss_aff_bg``, ``loss_aff_fg``,
    ``loss_aff_neg``, already weighted).

    It has no segmentation output of its own: :meth:`affinity` gives the
    dense affinity matrix that the random-walk refiner
    (:class:`~mmwsss.models.refiners.AffinityRandomWalk`) propagates CAMs
    with.

    Args:
        backbone: Backbone config with ``out_indices`` for ``in_channels``.
        in_channels: Channels of the used backbone outputs.
        embed_channels: Their 1x1 projections.
        out_channels: The embedding.
        radius: Pair radius on the embedding grid (5).
    """

    def __init__(self,
                 backbone: dict,
                 in_channels: Sequence[int],
                 embed_channels: Sequence[int] = (64, 128, 256),
                 out_channels: int = 448,
                 radius: int = 5,
                 neck: OptConfigType = None,
                 data_preprocessor: OptConfigType = None,
                 pretrained: Optional[str] = None,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        if len(in_channels) != len(embed_channels):
            raise ValueError('in_channels and embed_channels must have one '
                             'entry per backbone output')
        self.backbone = build_backbone(backbone, pretrained)
        self.neck = MODELS.build(neck) if neck is not None else None
        self.proj = nn.ModuleList(
            nn.Conv2d(c_in, c_out, 1, bias=False)
            for c_in, c_out in zip(in_channels, embed_channels))
        self.embed = nn.Conv2d(sum(embed_channels), out_channels, 1,
                               bias=False)
        for conv in [*self.proj, self.embed]:
            nn.init.kaiming_normal_(conv.weight)
        self.radius = radius
        self.train_cfg = train_cfg or {}
        self.test_cfg = test_cfg or {}

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """The embedding ``(N, out_channels, h, w)`` on the grid of the
        first used backbone output."""
        feats = self.backbone(inputs)
        if self.neck is not None:
            feats = self.neck(feats)
        if not isinstance(feats, (list, tuple)):
            feats = [feats]
        if len(feats) != len(self.proj):
            raise ValueError(f'AffinityNet: the backbone gives {len(feats)} '
                             f'outputs for {len(self.proj)} projections')
        size = feats[0].shape[2:]
        parts = []
        for f, proj in zip(feats, self.proj):
            p = F.elu(proj(f))
            if p.shape[2:] != size:
                p = F.interpolate(p, size=size, mode='bilinear',
                                  align_corners=False)
            parts.append(p)
        return F.elu(self.embed(torch.cat(parts, 1)))

    def _forward(self, inputs: Tensor,
                 data_samples: OptSampleList = None) -> Tensor:
        return self.extract_feat(inputs)

    def loss(self, inputs: Tensor,
             data_samples: List[SegDataSample]) -> Dict[str, Tensor]:
        feat = self.extract_feat(inputs)
        labels = torch.stack([s.gt_sem_seg.data[0] for s in data_samples])
        labels = F.interpolate(labels[:, None].float(), size=feat.shape[2:],
                               mode='nearest')[:, 0].long()
        bg, fg, neg = affinity_labels(labels, self.radius)
        aff = feature_affinities(feat, self.radius)
        l_bg, l_fg, l_neg = affinity_loss(aff, bg, fg, neg)
        return dict(loss_aff_bg=l_bg / 4, loss_aff_fg=l_fg / 4,
                    loss_aff_neg=l_neg / 2)

    @torch.no_grad()
    def affinity(self, inputs: Tensor) -> Tensor:
        """The dense ``(N, hw, hw)`` affinity matrix of the embedding grid
        (1 on the diagonal, 0 beyond the radius)."""
        return self.affinity_of(self.extract_feat(inputs))

    @torch.no_grad()
    def affinity_of(self, feat: Tensor) -> Tensor:
        """:meth:`affinity` of an embedding ``(N, C, h, w)``."""
        h, w = feat.shape[2:]
        return dense_affinity(feature_affinities(feat, self.radius), h, w,
                              self.radius)

    def encode_decode(self, inputs: Tensor, batch_img_metas: List[dict]):
        raise NotImplementedError(
            'AffinityNet predicts pair affinities, not masks; refine CAMs '
            "with dict(type='AffinityRandomWalk', config=..., "
            'checkpoint=...) in tools/make_pseudo_labels.py')

    def predict(self, inputs: Tensor, data_samples: OptSampleList = None):
        return self.encode_decode(inputs, [])
