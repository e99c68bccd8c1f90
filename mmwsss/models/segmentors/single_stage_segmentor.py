"""Single-stage WSSS (Araslanov & Roth, CVPR 2020) as an mmseg segmentor."""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmengine.logging import print_log
from mmseg.models.segmentors import BaseSegmentor
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmseg.utils import OptConfigType, OptMultiConfig, OptSampleList
from torch import Tensor

from mmwsss.functional.single_stage_ops import (
    BG_CUTOFF, CUTOFF_FLOOR, FG_CUTOFF, FOCAL_LAMBDA, FOCAL_P, NGWP_EPS,
    balanced_mask_ce, pseudo_gt_from_masks, single_stage_scores)
from mmwsss.structures import (check_restrict, classes_to_keep,
                               stack_img_labels)
from mmwsss.utils.runtime_info import current_iter
from ..losses.cls_loss import loss_key, multilabel_cls_loss
from ..refiners.pamr import PAMR_DILATIONS, PAMR_ITERS, pamr
from ..utils.tta import multi_scale_flip
from .scored_predict import ScoredPredictMixin, build_backbone, raw_images


@MODELS.register_module()
class SingleStageSegmentor(ScoredPredictMixin, BaseSegmentor):
    """One network, one training cycle, image-level labels only.

    Training (:meth:`loss`), per batch:

    1. foreground logits ``y`` at stride 4 (:class:`SingleStageHead`), the
       constant background logit, softmax masks ``m`` (eq. 3);
    2. class scores nGWP + focal mask penalty (eq. 4-5) and a multi-label
       soft-margin loss against the image labels;
    3. unless in the classification-only warm-up (the first
       ``train_cfg.warmup_iters`` iterations, read from mmengine's message
       hub, see :mod:`mmwsss.utils.runtime_info`): PAMR on the detached
       masks with the de-normalised image resized to the mask size,
       upsampled to the input size, absent classes zeroed; pseudo-GT by the 0.7/0.6 cut-offs
       floored at 0.2; class-balanced CE of the logits (eq. 21-23);
    4. each of ``cam_losses`` (e.g. HFPL's :class:`~mmwsss.models.ISLLoss`,
       :class:`~mmwsss.models.FSLLoss`) on the foreground logits ``y`` as
       independent binomial CAMs, with the de-normalised RGB image (also
       during the warm-up).

    Only ``gt_img_labels`` of the data samples is read: pixel masks never
    reach the losses.

    Inference (:meth:`predict`), in the order of the authors'
    ``infer_val.py``: classes kept by ``restrict``: ``'pred'`` (image-level
    confidence: the **maximum** of ``sigmoid(score)`` over the scales and
    flips above ``score_thr``, 0.1; ``presence='mean'`` averages instead)
    or ``'gt'`` (the image labels: for pseudo-labels of the training
    split); masks averaged over ``test_cfg.scales`` (and flips) with the
    dropped classes zeroed (at every scale in the reference - the same
    thing, the mean being linear), optional PAMR, background probability
    raised to ``bg_power`` (3), then the optional dense CRF on those masks,
    so no mass of a dropped class is redistributed. ``seg_logits`` are the
    resulting masks, so mmseg's test tools, metrics and ``--out``
    (pseudo-label PNGs for the native mmseg stage) work.

    Args:
        backbone, neck, decode_head: mmseg configs; the head is a
            :class:`SingleStageHead` (``in_index`` deep, ``c1_index``
            stride 4).
        loss_cls: Classification loss on the scores.
        cam_losses: Losses called as ``loss(y, labels, image)`` on the
            foreground logits ``(N, C_fg, h, w)`` (stride 4) with the image
            as RGB in [0, 1] (:class:`~mmwsss.models.CAMHead` convention).
        pretrained: Backbone weights (mmseg's ``EncoderDecoder`` argument;
            ``mmseg.apis.init_model`` and mmseg's benchmark tool set it).
        train_cfg: ``focal_p`` (3), ``focal_lambda`` (0.01), ``eps`` (1),
            ``bg_cutoff`` (0.7), ``fg_cutoff`` (0.6), ``cutoff_floor``
            (0.2), ``pamr_iters`` (10), ``pamr_dilations``
            (1, 2, 4, 8, 12, 24), ``seg_loss_weight`` (1),
            ``warmup_iters`` (0: classification-only iterations; the
            paper's 5 of 20 epochs are a quarter of the schedule).
        test_cfg: ``scales`` ((1.0,)), ``flip`` (False), ``bg_power`` (3),
            ``restrict`` ('pred'), ``score_thr`` (0.1), ``presence``
            ('max' over the views, the reference; or 'mean'), ``use_pamr``
            (False), ``crf`` (None, or e.g. ``dict(type='DenseCRF',
            preset='deeplab')``: applied last, to the masks of the kept
            classes after the background power).
    """

    def __init__(self,
                 backbone: dict,
                 decode_head: dict,
                 neck: OptConfigType = None,
                 loss_cls: OptConfigType = None,
                 cam_losses: Optional[List[dict]] = None,
                 train_cfg: OptConfigType = None,
                 test_cfg: OptConfigType = None,
                 data_preprocessor: OptConfigType = None,
                 pretrained: Optional[str] = None,
                 init_cfg: OptMultiConfig = None) -> None:
        super().__init__(data_preprocessor=data_preprocessor,
                         init_cfg=init_cfg)
        self.backbone = build_backbone(backbone, pretrained)
        self.neck = MODELS.build(neck) if neck is not None else None
        self.decode_head = MODELS.build(decode_head)
        self.loss_cls = MODELS.build(loss_cls or multilabel_cls_loss())
        self.cam_losses = nn.ModuleList(
            [MODELS.build(c) for c in (cam_losses or [])])
        self.align_corners = False
        self.train_cfg = dict(
            focal_p=FOCAL_P, focal_lambda=FOCAL_LAMBDA, eps=NGWP_EPS,
            bg_cutoff=BG_CUTOFF, fg_cutoff=FG_CUTOFF,
            cutoff_floor=CUTOFF_FLOOR, pamr_iters=PAMR_ITERS,
            pamr_dilations=PAMR_DILATIONS, seg_loss_weight=1.0,
            warmup_iters=0)
        self.train_cfg.update(train_cfg or {})
        self.test_cfg = dict(scales=(1.0, ), flip=False, bg_power=3.0,
                             restrict='pred', score_thr=0.1, presence='max',
                             use_pamr=False, crf=None)
        self.test_cfg.update(test_cfg or {})
        check_restrict(self.test_cfg['restrict'])
        if self.test_cfg['presence'] not in ('max', 'mean'):
            raise ValueError("test_cfg.presence must be 'max' (the "
                             "reference) or 'mean', got "
                             f"{self.test_cfg['presence']!r}")
        if self.train_cfg['warmup_iters'] < 0:
            raise ValueError('train_cfg.warmup_iters must be >= 0, got '
                             f'{self.train_cfg["warmup_iters"]}')
        self._seg_loss_override: Optional[bool] = None

    @property
    def seg_loss_enabled(self) -> bool:
        """Whether :meth:`loss` adds the segmentation loss now: after
        ``train_cfg.warmup_iters`` iterations of the running Runner (always
        outside a Runner), unless set by hand (``model.seg_loss_enabled =
        False``; ``None`` returns to the schedule)."""
        if self._seg_loss_override is not None:
            return self._seg_loss_override
        it = current_iter()
        return it is None or it >= self.train_cfg['warmup_iters']

    @seg_loss_enabled.setter
    def seg_loss_enabled(self, value: Optional[bool]) -> None:
        self._seg_loss_override = value

    @property
    def num_classes(self) -> int:
        return self.decode_head.num_classes

    def _forward(self, inputs: Tensor,
                 data_samples: OptSampleList = None) -> Tensor:
        """Foreground logits ``(N, C_fg, h, w)`` at stride 4."""
        return self.decode_head(self.extract_feat(inputs))

    def _scores(self, logits: Tensor) -> Tuple[Tensor, Tensor]:
        cfg = self.train_cfg
        return single_stage_scores(logits, eps=cfg['eps'],
                                   p=cfg['focal_p'], lam=cfg['focal_lambda'])

    def loss(self, inputs: Tensor,
             data_samples: List[SegDataSample]) -> Dict[str, Tensor]:
        logits = self._forward(inputs)
        scores, masks = self._scores(logits)
        labels = stack_img_labels(data_samples,
                                  self.num_classes - 1).to(logits.device)
        losses = {loss_key(self.loss_cls): self.loss_cls(scores, labels)}
        if len(self.cam_losses):
            rgb = (raw_images(inputs, self.data_preprocessor) /
                   255.0).clamp(0, 1)
            for loss in self.cam_losses:
                losses[loss.loss_name] = loss(logits, labels, rgb)
        if not self.seg_loss_enabled:
            losses['loss_seg'] = logits.sum() * 0
            return losses
        if current_iter() == self.train_cfg['warmup_iters'] > 0:
            print_log(f'iteration {current_iter() + 1}: segmentation loss '
                      f'enabled after {self.train_cfg["warmup_iters"]} '
                      'classification-only iterations', logger='current')
        cfg = self.train_cfg
        with torch.no_grad():
            image = resize(raw_images(inputs, self.data_preprocessor),
                           size=masks.shape[2:],
                           mode='bilinear', align_corners=True)
            # background + each image's labelled classes: PAMR is per
            # channel, so refining only these equals refining all 21 and
            # zeroing the absent ones afterwards (the reference's order)
            keep = torch.cat([torch.ones_like(labels[:, :1]), labels], 1)
            refined = pamr(image, masks.detach(), cfg['pamr_iters'],
                           cfg['pamr_dilations'], keep=keep)
            refined = F.interpolate(refined, size=inputs.shape[2:],
                                    mode='bilinear', align_corners=True)
            pseudo = pseudo_gt_from_masks(
                refined, cfg['bg_cutoff'], cfg['fg_cutoff'],
                cfg['cutoff_floor'])
        bg = torch.ones_like(logits[:, :1])
        seg_logits = torch.cat([bg, logits], 1)
        losses['loss_seg'] = cfg['seg_loss_weight'] * balanced_mask_ce(
            seg_logits, pseudo, labels)
        return losses

    @torch.no_grad()
    def infer_masks(self, inputs: Tensor) -> Tuple[Tensor, Tensor]:
        """Masks ``(N, C, H, W)`` (background first, at input size) averaged
        over the scales and flips, and class probabilities ``(N, C_fg)``
        over the same views: their maximum (``test_cfg.presence='max'``,
        the authors' rule) or mean."""
        def forward(x: Tensor) -> Tuple[Tensor, Tensor]:
            scores, m = self._scores(self._forward(x))
            return m, torch.sigmoid(scores)

        masks, probs = [], []
        for views in multi_scale_flip(forward, inputs,
                                      self.test_cfg['scales'],
                                      self.test_cfg['flip'],
                                      self.align_corners):
            masks.append(sum(m for m, _ in views) / len(views))
            probs.extend(p for _, p in views)
        probs = torch.stack(probs)
        probs = probs.amax(0) if self.test_cfg['presence'] == 'max' \
            else probs.mean(0)
        return torch.stack(masks).mean(0), probs

    def _crf(self, inputs: Tensor, masks: Tensor, crf: dict) -> Tensor:
        """Dense CRF (:class:`~mmwsss.models.DenseCRF` config) per image on
        the de-normalised input, on CPU/numpy."""
        refiner = MODELS.build(crf)
        images = raw_images(inputs,
                            self.data_preprocessor).clamp(0, 255).byte()
        out = []
        for img, m in zip(images, masks):
            q = refiner(img.permute(1, 2, 0).cpu().numpy(),
                        m.float().cpu().numpy())
            out.append(torch.from_numpy(q).to(masks))
        return torch.stack(out)

    def _seg_logits_and_scores(
            self, inputs: Tensor,
            data_samples: OptSampleList) -> Tuple[Tensor, Tensor]:
        cfg = self.test_cfg
        masks, probs = self.infer_masks(inputs)
        # the reference order: drop the classes first, then PAMR/CRF
        keep = classes_to_keep(cfg['restrict'], probs, data_samples,
                               self.num_classes - 1, cfg['score_thr'])
        if keep is not None:
            keep = torch.cat([torch.ones_like(keep[:, :1]), keep], 1)
            masks = masks * keep[..., None, None]
        if cfg['use_pamr']:
            masks = pamr(raw_images(inputs, self.data_preprocessor), masks,
                         self.train_cfg['pamr_iters'],
                         self.train_cfg['pamr_dilations'])
        masks = masks.clone()
        masks[:, 0] = masks[:, 0].pow(cfg['bg_power'])
        if cfg.get('crf'):
            masks = self._crf(inputs, masks, cfg['crf'])
        return masks, probs
