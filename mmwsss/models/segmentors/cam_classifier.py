"""A CAM classifier as an mmseg segmentor."""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.models.segmentors import BaseSegmentor
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmseg.utils import OptConfigType, OptMultiConfig, OptSampleList
from torch import Tensor

from ..heads.cam_head import stack_img_labels
from ..utils.bn_stats import frozen_bn_stats
from ..utils.cam_ops import (aggregate_cams, cams_to_seg_logits,
                             normalize_cams, restrict_cams)
from ..utils.multi_crop import multi_crop_windows
from .scored_predict import (ScoredPredictMixin, build_backbone,
                             classes_to_keep, raw_images)


@MODELS.register_module()
class CAMClassifier(ScoredPredictMixin, BaseSegmentor):
    """Backbone (+ neck) + CAM head, trained on image-level labels only.

    Training (:meth:`loss`) reads ``gt_img_labels`` and nothing else of the
    data samples: pixel masks never reach the loss.

    Prediction (:meth:`predict`) returns per-class max-normalised CAMs as
    mmseg ``seg_logits`` with a constant background channel
    ``test_cfg.bg_threshold`` first (``[t, M'_1..M'_C]``), so argmax gives the
    thresholded CAM mask and mmseg's ``tools/test.py``, ``IoUMetric``, TTA
    and visualiser work unchanged. The class scores ``sigmoid(s)`` are set as
    ``pred_img_scores``.

    Args:
        backbone: An mmseg or mmpretrain (``type='mmpretrain.ResNet'``)
            backbone config.
        cam_head: A CAM head config (e.g. :class:`CAMHead`).
        neck: Optional neck.
        feature_index: Which backbone/neck output feeds the head.
        test_cfg: ``bg_threshold`` (default 0.25); ``restrict`` the CAMs to
            ``'gt'`` (the image labels, when the samples carry them, else
            like ``'pred'``), ``'pred'`` (classes with score >
            ``score_thr``, default 0.5) or ``None`` (all classes);
            ``mode='multi_crop'`` with ``crop_size``, ``stride``,
            ``resize_crops`` and ``crop_batch`` (crops per forward pass) for
            PMM's multi-crop inference (see :meth:`multi_crop_cams`).
        consistency_losses: Losses that run the classifier on another view
            of the batch and compare it with the whole-image CAMs, e.g.
            :class:`~mmwsss.models.losses.PuzzleConsistencyLoss`
            (Puzzle-CAM / Consistency-CAM). Each is called as
            ``loss(forward_fn, inputs, cams, labels, pool)`` and returns a
            dict of losses.
    """

    def __init__(self,
                 backbone: dict,
                 cam_head: dict,
                 neck: OptConfigType = None,
                 feature_index: int = -1,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 data_preprocessor: OptConfigType = None,
                 pretrained: Optional[str] = None,
                 consistency_losses: Optional[List[dict]] = None,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        self.backbone = build_backbone(backbone, pretrained)
        self.neck = MODELS.build(neck) if neck is not None else None
        self.cam_head = MODELS.build(cam_head)
        self.consistency_losses = nn.ModuleList(
            [MODELS.build(c) for c in (consistency_losses or [])])
        self.feature_index = feature_index
        self.train_cfg = train_cfg or {}
        self.test_cfg = dict(
            bg_threshold=0.25, restrict='gt', score_thr=0.5, scales=(1.0, ),
            flip=False, aggregate='sum', mode='whole', crop_size=448,
            stride=300, resize_crops=True, crop_batch=16)
        self.test_cfg.update(test_cfg or {})
        if self.test_cfg['mode'] not in ('whole', 'multi_crop'):
            raise ValueError('test_cfg.mode must be whole or multi_crop, got '
                             f'{self.test_cfg["mode"]!r}')
        if self.test_cfg['restrict'] not in ('gt', 'pred', None):
            raise ValueError('test_cfg.restrict must be gt, pred or None, '
                             f'got {self.test_cfg["restrict"]!r}')
        self.align_corners = False

    @property
    def num_classes(self) -> int:
        """Classes including the background."""
        return self.cam_head.num_classes

    def extract_feat(self, inputs: Tensor) -> Tensor:
        feats = self.backbone(inputs)
        if self.neck is not None:
            feats = self.neck(feats)
        if isinstance(feats, (list, tuple)):
            feats = feats[self.feature_index]
        return feats

    def _forward(self, inputs: Tensor,
                 data_samples: OptSampleList = None) -> Tensor:
        """Raw CAMs ``(N, C_fg, h, w)`` at feature resolution."""
        return self.cam_head(self.extract_feat(inputs))

    def loss(self, inputs: Tensor,
             data_samples: List[SegDataSample]) -> Dict[str, Tensor]:
        image = None
        if len(getattr(self.cam_head, 'cam_losses', [])):
            image = (raw_images(inputs, self.data_preprocessor) /
                     255.0).clamp(0, 1)
        labels = stack_img_labels(data_samples, self.num_classes - 1).to(
            inputs.device)
        cams = self._forward(inputs)
        losses = self.cam_head.loss_by_cams(cams, labels, image)
        for loss in self.consistency_losses:
            forward = self._forward
            if not getattr(loss, 'update_bn_stats', True):
                forward = self._forward_frozen_bn
            for name, value in loss(forward, inputs, cams, labels,
                                    self.cam_head.pool).items():
                if name in losses:
                    raise KeyError(f'two losses are named {name!r}; give '
                                   'the consistency losses different '
                                   'prefixes')
                losses[name] = value
        return losses

    def _forward_frozen_bn(self, inputs: Tensor) -> Tensor:
        """:meth:`_forward` leaving the BatchNorm running statistics as they
        are (for extra training views, see ``update_bn_stats`` of
        :class:`~mmwsss.models.losses.PuzzleConsistencyLoss`)."""
        with frozen_bn_stats(self):
            return self._forward(inputs)

    def class_scores(self, raw_cams: Tensor) -> Tensor:
        """``sigmoid(pool(M))``: per-class probabilities ``(N, C_fg)``."""
        return torch.sigmoid(self.cam_head.pool(raw_cams))

    def classes_to_keep(self, scores: Tensor,
                        data_samples: OptSampleList) -> Optional[Tensor]:
        """The ``(N, C_fg)`` 0/1 mask of classes whose CAMs are kept."""
        return classes_to_keep(self.test_cfg['restrict'], scores,
                               data_samples, self.num_classes - 1,
                               self.test_cfg['score_thr'])

    def infer_cams(self, inputs: Tensor) -> Tuple[Tensor, Tensor]:
        """Multi-scale + flip CAMs at input size, before normalisation.

        Follows ``test_cfg``: ``scales`` (default ``(1.0,)``; the literature
        uses 0.5/1.0/1.5/2.0), ``flip`` (add horizontally flipped copies),
        ``aggregate`` (``'sum'`` or ``'mean'`` of the ReLU'd maps, see
        :func:`~mmwsss.models.utils.aggregate_cams`).

        Returns:
            tuple: ``(cams, scores)``: ``(N, C_fg, H, W)`` aggregated
            non-negative CAMs and ``(N, C_fg)`` class probabilities averaged
            over the augmentations.
        """
        if self.test_cfg['mode'] == 'multi_crop':
            return self.multi_crop_cams(inputs)
        size = inputs.shape[2:]
        maps, scores = [], []
        for scale in self.test_cfg['scales']:
            x = inputs if scale == 1.0 else resize(
                inputs, scale_factor=scale, mode='bilinear',
                align_corners=self.align_corners)
            batch = torch.cat([x, x.flip(-1)]) if self.test_cfg['flip'] \
                else x
            raw = self._forward(batch)
            score = self.class_scores(raw)
            cam = resize(F.relu(raw), size=size, mode='bilinear',
                         align_corners=self.align_corners)
            if self.test_cfg['flip']:
                n = inputs.shape[0]
                cam = cam[:n] + cam[n:].flip(-1)
                score = (score[:n] + score[n:]) / 2
            maps.append(cam)
            scores.append(score)
        return (aggregate_cams(maps, self.test_cfg['aggregate']),
                torch.stack(scores).mean(0))

    def multi_crop_cams(self, inputs: Tensor) -> Tuple[Tensor, Tensor]:
        """PMM's multi-crop CAMs (Li et al., ICCV 2021, §3.5 / §4.1).

        At each of ``test_cfg.scales`` the input is resized and cut into
        ``crop_size`` windows every ``stride`` pixels
        (:func:`~mmwsss.models.utils.multi_crop_windows`); with
        ``resize_crops`` (the authors' code) every crop is resized to
        ``crop_size x crop_size`` before the network. Each crop's ReLU'd CAM
        (and its flip's, with ``flip``) is resized onto the crop's footprint
        in the original image, and the maps of all crops of all scales are
        averaged per pixel (sum / count). The class scores are the maximum
        over crops: a class is present when some crop sees it.

        Returns:
            tuple: ``(N, C_fg, H, W)`` CAMs and ``(N, C_fg)`` scores.
        """
        n, _, h, w = inputs.shape
        cfg = self.test_cfg
        crop = int(cfg['crop_size'])
        total = inputs.new_zeros((n, self.num_classes - 1, h, w))
        count = inputs.new_zeros((1, 1, h, w))
        score = None
        per_scale = multi_crop_windows(h, w, cfg['scales'], crop,
                                       int(cfg['stride']), with_scaled=True)
        for scale, windows in zip(cfg['scales'], per_scale):
            sh, sw = max(int(h * scale), 1), max(int(w * scale), 1)
            x = resize(inputs, size=(sh, sw), mode='bilinear',
                       align_corners=self.align_corners)
            patches = []
            for _, (sy1, sy2, sx1, sx2) in windows:
                patch = x[:, :, sy1:sy2, sx1:sx2]
                if cfg['resize_crops'] and patch.shape[2:] != (crop, crop):
                    patch = resize(patch, size=(crop, crop), mode='bilinear',
                                   align_corners=self.align_corners)
                patches.append(patch)
                if cfg['flip']:
                    patches.append(patch.flip(-1))
            raws = self._forward_patches(patches, int(cfg['crop_batch']))
            views = 2 if cfg['flip'] else 1
            for i, (y1, y2, x1, x2) in enumerate(w for w, _ in windows):
                for v in range(views):
                    raw = raws[i * views + v]
                    cam = F.relu(raw.flip(-1) if v == 1 else raw)
                    total[:, :, y1:y2, x1:x2] += resize(
                        cam, size=(y2 - y1, x2 - x1), mode='bilinear',
                        align_corners=self.align_corners)
                    count[:, :, y1:y2, x1:x2] += 1
                    s = self.class_scores(raw)
                    score = s if score is None else torch.maximum(score, s)
        return total / count.clamp(min=1), score

    def _forward_patches(self, patches: List[Tensor],
                         crop_batch: int) -> List[Tensor]:
        """Raw CAMs of ``(N, 3, h, w)`` patches; patches of one size are run
        together, at most ``crop_batch`` images per forward pass."""
        out: List[Optional[Tensor]] = [None] * len(patches)
        groups: Dict[tuple, List[int]] = {}
        for i, p in enumerate(patches):
            groups.setdefault(tuple(p.shape), []).append(i)
        for idx in groups.values():
            n = patches[idx[0]].shape[0]
            per = max(1, crop_batch // n)
            for j in range(0, len(idx), per):
                chunk = idx[j:j + per]
                raw = self._forward(torch.cat([patches[i] for i in chunk]))
                for i, part in zip(chunk, raw.split(n)):
                    out[i] = part
        return out

    def _seg_logits_and_scores(self, inputs: Tensor,
                               data_samples: OptSampleList):
        cams, scores = self.infer_cams(inputs)
        cams = normalize_cams(cams)
        keep = self.classes_to_keep(scores, data_samples)
        if keep is not None:
            cams = restrict_cams(cams, keep)
        return cams_to_seg_logits(cams, self.test_cfg['bg_threshold']), scores
