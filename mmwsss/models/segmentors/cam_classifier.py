"""A CAM classifier as an mmseg segmentor."""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.models.segmentors import BaseSegmentor
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmseg.utils import OptConfigType, OptMultiConfig, OptSampleList
from torch import Tensor

from mmwsss.functional.cam_ops import (aggregate_cams, cams_to_seg_logits,
                                       normalize_cams, restrict_cams)
from mmwsss.structures import (check_restrict, classes_to_keep,
                               stack_img_labels)
from ..utils.bn_stats import frozen_bn_stats
from ..utils.tta import multi_scale_flip
from .scored_predict import ScoredPredictMixin, build_backbone, raw_images


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
            ``scales``, ``flip``, ``aggregate`` (see :meth:`infer_cams`).
            PMM's multi-crop inference is
            :class:`~mmwsss.models.MultiCropCAMClassifier`.
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
            flip=False, aggregate='sum')
        self.test_cfg.update(self.default_test_cfg)
        self.test_cfg.update(test_cfg or {})
        self._check_test_cfg()
        self.align_corners = False

    #: ``test_cfg`` keys (and defaults) a subclass adds
    default_test_cfg: dict = {}

    def _check_test_cfg(self) -> None:
        check_restrict(self.test_cfg['restrict'])

    @property
    def num_classes(self) -> int:
        """Classes including the background."""
        return self.cam_head.num_classes

    def extract_feat(self, inputs: Tensor) -> Tensor:
        """The backbone (+ neck) output ``feature_index``."""
        feats = super().extract_feat(inputs)
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
        losses = self.cam_head.loss_by_cams(cams, labels, image,
                                            inputs.shape[2:])
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

    def class_logits(self, inputs: Tensor) -> Tensor:
        """``pool(M)`` of normalised inputs: class logits ``(N, C_fg)``
        (what :class:`~mmwsss.engine.hooks.MILeHook`'s teacher gives)."""
        return self.cam_head.pool(self._forward(inputs))

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
        :func:`~mmwsss.functional.aggregate_cams`).

        Returns:
            tuple: ``(cams, scores)``: ``(N, C_fg, H, W)`` aggregated
            non-negative CAMs and ``(N, C_fg)`` class probabilities averaged
            over the augmentations.
        """
        cfg = self.test_cfg
        per_scale = multi_scale_flip(self._view_cams_and_scores, inputs,
                                     cfg['scales'], cfg['flip'],
                                     self.align_corners)
        maps, scores = [], []
        for views in per_scale:
            if len(views) == 2:
                (cam, score), (cam_f, score_f) = views
                cam, score = cam + cam_f, (score + score_f) / 2
            else:
                cam, score = views[0]
            maps.append(cam)
            scores.append(score)
        return (aggregate_cams(maps, cfg['aggregate']),
                torch.stack(scores).mean(0))

    def _view_cams_and_scores(self, inputs: Tensor) -> Tuple[Tensor, Tensor]:
        """CAMs and class probabilities of one view (scale / flip) for
        :meth:`infer_cams`."""
        return self._cams_and_scores(self._forward(inputs))

    def _cams_and_scores(self, raw: Tensor) -> Tuple[Tensor, Tensor]:
        """ReLU'd CAMs and class probabilities of raw CAMs."""
        return F.relu(raw), self.class_scores(raw)

    def _seg_logits_and_scores(self, inputs: Tensor,
                               data_samples: OptSampleList):
        cams, scores = self.infer_cams(inputs)
        cams = normalize_cams(cams)
        keep = self.classes_to_keep(scores, data_samples)
        if keep is not None:
            cams = restrict_cams(cams, keep)
        return cams_to_seg_logits(cams, self.test_cfg['bg_threshold']), scores
