"""A CAM classifier as an mmseg segmentor."""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import torch
import torch.nn.functional as F
from mmseg.models.segmentors import BaseSegmentor
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmseg.utils import OptConfigType, OptMultiConfig, OptSampleList
from torch import Tensor

from ..heads.cam_head import stack_img_labels
from ..utils.cam_ops import (aggregate_cams, cams_to_seg_logits,
                             normalize_cams, restrict_cams)


@MODELS.register_module()
class CAMClassifier(BaseSegmentor):
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
            ``score_thr``, default 0.5) or ``None`` (all classes).
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
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(
            data_preprocessor=data_preprocessor, init_cfg=init_cfg)
        if pretrained is not None:
            backbone = dict(backbone)
            backbone['init_cfg'] = dict(
                type='Pretrained', checkpoint=pretrained)
        self.backbone = MODELS.build(backbone)
        self.neck = MODELS.build(neck) if neck is not None else None
        self.cam_head = MODELS.build(cam_head)
        self.feature_index = feature_index
        self.train_cfg = train_cfg or {}
        self.test_cfg = dict(
            bg_threshold=0.25, restrict='gt', score_thr=0.5, scales=(1.0, ),
            flip=False, aggregate='sum')
        self.test_cfg.update(test_cfg or {})
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
        return self.cam_head.loss(self.extract_feat(inputs), data_samples)

    def class_scores(self, raw_cams: Tensor) -> Tensor:
        """``sigmoid(pool(M))``: per-class probabilities ``(N, C_fg)``."""
        return torch.sigmoid(self.cam_head.pool(raw_cams))

    def classes_to_keep(self, scores: Tensor,
                        data_samples: OptSampleList) -> Optional[Tensor]:
        """The ``(N, C_fg)`` 0/1 mask of classes whose CAMs are kept."""
        mode = self.test_cfg['restrict']
        if mode is None:
            return None
        if mode == 'gt' and data_samples is not None and all(
                'gt_img_labels' in s for s in data_samples):
            return stack_img_labels(data_samples,
                                    self.num_classes - 1).to(scores.device)
        return (scores > self.test_cfg['score_thr']).to(scores.dtype)

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

    def _seg_logits_and_scores(self, inputs: Tensor,
                               data_samples: OptSampleList):
        cams, scores = self.infer_cams(inputs)
        cams = normalize_cams(cams)
        keep = self.classes_to_keep(scores, data_samples)
        if keep is not None:
            cams = restrict_cams(cams, keep)
        return cams_to_seg_logits(cams, self.test_cfg['bg_threshold']), scores

    def encode_decode(self, inputs: Tensor,
                      batch_img_metas: List[dict],
                      data_samples: OptSampleList = None) -> Tensor:
        """Normalised CAMs with the background channel, at input size."""
        return self._seg_logits_and_scores(inputs, data_samples)[0]

    def predict(self, inputs: Tensor,
                data_samples: OptSampleList = None) -> List[SegDataSample]:
        seg_logits, scores = self._seg_logits_and_scores(inputs, data_samples)
        if data_samples is None:
            shape = inputs.shape[2:]
            data_samples = [
                SegDataSample(metainfo=dict(
                    ori_shape=shape, img_shape=shape, pad_shape=shape,
                    padding_size=[0, 0, 0, 0]))
                for _ in range(inputs.shape[0])
            ]
        results = self.postprocess_result(seg_logits, data_samples)
        for sample, score in zip(results, scores):
            sample.set_data(dict(pred_img_scores=score))
        return results
