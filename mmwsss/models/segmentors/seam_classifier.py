"""SEAM as a CAM classifier (the baseline of HFPL's headline results)."""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from torch import Tensor

from mmwsss.functional.seam_ops import (adaptive_min_pooling_loss,
                                        bg_aware_max_norm,
                                        equivariant_cross_reg,
                                        equivariant_reg, pcm, seam_max_norm)
from mmwsss.structures import stack_img_labels
from .cam_classifier import CAMClassifier
from .scored_predict import raw_images


def _resize(x: Tensor, size) -> Tensor:
    """SEAM's resizing everywhere: bilinear, ``align_corners=True``."""
    if tuple(x.shape[2:]) == tuple(size):
        return x
    return F.interpolate(x, size=tuple(size), mode='bilinear',
                         align_corners=True)


@MODELS.register_module()
class SEAMClassifier(CAMClassifier):
    """SEAM (Wang et al., CVPR 2020): a CAM classifier with a pixel
    correlation module (PCM) and equivariance losses between the image and
    a rescaled copy.

    Per view (the image and its ``scale_factor`` copy, 0.3): raw CAMs ``M``
    from the CAM head; the PCM (eq. 6,
    :func:`~mmwsss.functional.seam_ops.pcm`) refines the bg-aware
    max-normalised CAM (:func:`~mmwsss.functional.seam_ops.
    bg_aware_max_norm`, no gradient) with the cosine affinities of
    projected, detached backbone features (``pcm_indices``) concatenated
    with the input resized to the CAM grid; both maps are upsampled to the
    view's size. Losses, composed as the authors' ``train_SEAM.py`` (and
    HFPL's ``train_cam_voc.py``):

    * ``loss_cls``: the mean of the two views' classification losses - the
      head's (its ``loss_cls``, GAP of the upsampled CAM with
      ``pool_at_input_size``) on the image, the multi-label soft margin of
      the upsampled CAM's GAP on the copy;
    * the head's ``cam_losses`` on the image's raw CAMs (HFPL's ISL and
      FSL); those named in ``halved_losses`` (ISL, which HFPL mixes into
      the first view's classification term) are halved with it;
    * ``loss_rvmin``: the mean over the views of the adaptive min-pooling
      loss of the PCM output's foreground (present classes);
    * ``loss_er`` (eq. 3): ``|M1 - M2|`` of the min-max normalised
      foreground CAMs of the present classes, the image's resized to the
      copy's grid;
    * ``loss_ecr`` (eq. 5): both cross terms between a view's PCM output
      and the other view's CAM (with background ``1 - max``, one-hot at its
      maximum, detached), on the hardest ``ecr_topk`` (20 %) of the values.

    Inference uses the PCM output (``test_cfg.use_pcm``, default True, as
    SEAM's ``infer_SEAM.py``); class scores are the head's.

    Args:
        backbone: A backbone with ``out_indices`` covering ``pcm_indices``
            and ``feature_index`` (e.g. ``(1, 2, 3)``).
        cam_head: A :class:`~mmwsss.models.CAMHead` config.
        pcm_in_channels: Channels of the backbone outputs in
            ``pcm_indices``.
        pcm_indices: Backbone outputs (positions in its output tuple) whose
            detached features feed the PCM (SEAM: ResNet-38's conv4, conv5
            - ResNet stages 2 and 3).
        pcm_channels: Their projections (64, 128: SEAM's ``f8_3``,
            ``f8_4``, 1x1, no bias, ReLU).
        pcm_out_channels: The affinity embedding (192: SEAM's ``f9`` on
            the projections plus the 3 image channels).
        scale_factor: The rescaled view (0.3).
        ecr_topk: Fraction of ECR values averaged (0.2).
        halved_losses: Names of the head's ``cam_losses`` averaged with
            the second view like the classification loss.
    """

    default_test_cfg = dict(use_pcm=True)

    def __init__(self,
                 backbone: dict,
                 cam_head: dict,
                 pcm_in_channels: Sequence[int],
                 pcm_indices: Sequence[int] = (0, 1),
                 pcm_channels: Sequence[int] = (64, 128),
                 pcm_out_channels: int = 192,
                 scale_factor: float = 0.3,
                 ecr_topk: float = 0.2,
                 halved_losses: Sequence[str] = ('loss_isl', ),
                 **kwargs) -> None:
        if kwargs.get('consistency_losses'):
            raise ValueError('SEAMClassifier has its own equivariance '
                             'losses; consistency_losses are not supported')
        super().__init__(backbone, cam_head, **kwargs)
        if len(pcm_in_channels) != len(pcm_indices) or \
                len(pcm_channels) != len(pcm_indices):
            raise ValueError('pcm_in_channels, pcm_indices and pcm_channels '
                             'must have one entry per PCM feature')
        if not 0 < scale_factor < 1:
            raise ValueError(f'scale_factor must be in (0, 1), got '
                             f'{scale_factor}')
        self.pcm_indices = tuple(pcm_indices)
        self.pcm_proj = nn.ModuleList(
            nn.Conv2d(c_in, c_out, 1, bias=False)
            for c_in, c_out in zip(pcm_in_channels, pcm_channels))
        self.pcm_embed = nn.Conv2d(3 + sum(pcm_channels), pcm_out_channels,
                                   1, bias=False)
        for conv in self.pcm_proj:
            nn.init.kaiming_normal_(conv.weight)
        nn.init.xavier_uniform_(self.pcm_embed.weight, gain=4)
        self.scale_factor = scale_factor
        self.ecr_topk = ecr_topk
        self.halved_losses = tuple(halved_losses)

    def _features(self, inputs: Tensor) -> Sequence[Tensor]:
        feats = self.backbone(inputs)
        if self.neck is not None:
            feats = self.neck(feats)
        if not isinstance(feats, (list, tuple)):
            raise ValueError('SEAMClassifier needs a backbone with several '
                             'outputs (out_indices)')
        return feats

    def forward_views(self, inputs: Tensor) -> Tuple[Tensor, Tensor]:
        """Raw foreground CAMs ``(N, C_fg, h, w)`` and the PCM output
        ``(N, C_fg + 1, h, w)`` (background first) at CAM resolution."""
        feats = self._features(inputs)
        logits = self.cam_head(feats[self.feature_index])
        h, w = logits.shape[2:]
        norm = bg_aware_max_norm(logits)
        parts = [_resize(inputs, (h, w))]
        for idx, proj in zip(self.pcm_indices, self.pcm_proj):
            parts.append(_resize(F.relu(proj(feats[idx].detach())), (h, w)))
        cam_rv = pcm(norm, self.pcm_embed(torch.cat(parts, 1)))
        return logits, cam_rv

    def _view_cams_and_scores(self, inputs: Tensor) -> Tuple[Tensor, Tensor]:
        logits, cam_rv = self.forward_views(inputs)
        cams = cam_rv[:, 1:] if self.test_cfg['use_pcm'] else logits
        return F.relu(cams), self.class_scores(logits)

    def loss(self, inputs: Tensor,
             data_samples: List[SegDataSample]) -> Dict[str, Tensor]:
        labels = stack_img_labels(data_samples, self.num_classes - 1).to(
            inputs.device)
        image: Optional[Tensor] = None
        if len(getattr(self.cam_head, 'cam_losses', [])):
            image = (raw_images(inputs, self.data_preprocessor) /
                     255.0).clamp(0, 1)
        size1 = inputs.shape[2:]
        small = F.interpolate(inputs, scale_factor=self.scale_factor,
                              mode='bilinear', align_corners=True)
        size2 = small.shape[2:]
        logits1, rv1 = self.forward_views(inputs)
        logits2, rv2 = self.forward_views(small)
        cam1, rv1 = _resize(logits1, size1), _resize(rv1, size1)
        cam2, rv2 = _resize(logits2, size2), _resize(rv2, size2)
        fg = labels[..., None, None]
        keep = torch.cat([torch.ones_like(fg[:, :1]), fg], 1)

        head = self.cam_head.loss_by_cams(logits1, labels, image, size1)
        losses = {}
        cls2 = F.multilabel_soft_margin_loss(cam2.mean(dim=(2, 3)), labels)
        losses['loss_cls'] = 0.5 * (head.pop('loss_cls') + cls2)
        for name, value in head.items():
            losses[name] = 0.5 * value if name in self.halved_losses \
                else value
        losses['loss_rvmin'] = 0.5 * (
            adaptive_min_pooling_loss((rv1 * keep)[:, 1:]) +
            adaptive_min_pooling_loss((rv2 * keep)[:, 1:]))

        n1 = _resize(seam_max_norm(cam1), size2) * fg
        nrv1 = _resize(seam_max_norm(rv1), size2) * keep
        n2 = seam_max_norm(cam2) * fg
        nrv2 = seam_max_norm(rv2) * keep
        full1 = torch.cat([1 - n1.max(1, keepdim=True)[0], n1], 1)
        full2 = torch.cat([1 - n2.max(1, keepdim=True)[0], n2], 1)
        losses['loss_er'] = equivariant_reg(full1, full2)
        losses['loss_ecr'] = (
            equivariant_cross_reg(full2, nrv1, self.ecr_topk) +
            equivariant_cross_reg(full1, nrv2, self.ecr_topk))
        return losses
