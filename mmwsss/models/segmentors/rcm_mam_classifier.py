"""MainNet + EMA SupportNet with RCM and MAM (pixel-level self-supervision
for WSSS, arXiv 2112.05351) as a CAM classifier."""
from __future__ import annotations

import copy
from typing import Dict, Iterator, List, Optional, Sequence, Tuple

import torch
import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from torch import Tensor

from mmwsss.functional.rcm_mam_ops import max_normalise, msinf_cams
from mmwsss.structures import stack_img_labels
from mmwsss.utils.runtime_info import current_iter
from .cam_classifier import CAMClassifier
from .scored_predict import raw_images


def _resize(x: Tensor, size) -> Tensor:
    if tuple(x.shape[2:]) == tuple(size):
        return x
    return F.interpolate(x, size=tuple(size), mode='bilinear',
                         align_corners=False)


@MODELS.register_module()
class RCMMAMClassifier(CAMClassifier):
    """Two structurally identical networks, MainNet F (trained) and
    SupportNet G (an exponential moving average of F, no gradients, always
    in eval mode): backbone -> 1x1 conv (no bias) + ReLU giving the
    features X (``feat_channels``, 256) -> the CAM head's 1x1 conv giving
    the CAMs A.

    Training (:meth:`loss`): the image at ``scales`` (0.5, 1.0, 2.0;
    bilinear) goes through both nets; every A and X is resized to the 1.0
    view's feature grid and every CAM max-normalised
    (:func:`~mmwsss.functional.rcm_mam_ops.max_normalise`). Losses:

    * the head's on F's 1.0 view (``loss_cls``: multi-label BCE of GAP(A);
      with the head's ``cam_losses``, e.g. HFPL's ISL / FSL, too);
    * ``loss_rcm`` (:class:`~mmwsss.models.losses.RCMLoss`): regions from
      G's multi-scale CAM (:func:`~mmwsss.functional.rcm_mam_ops.
      msinf_cams`), prototypes from G's 1.0-scale features, F's 1.0-scale
      features contrasted against them;
    * ``loss_mam`` (:class:`~mmwsss.models.losses.MAMLoss`): F's CAM at
      every scale against G's dissimilarity-weighted CAMs; 0 until
      ``train_cfg.mam_start_iter`` (the paper: epoch 6 of 20), read from
      the message hub like every scheduled behaviour of mmwsss, so a
      resumed run switches at the same iteration.

    G starts as a copy of F: the first :meth:`loss` call copies F into G
    (``support_ready`` buffer, saved in checkpoints) and
    :class:`~mmwsss.engine.SupportEMAHook` then updates G after every
    optimiser step (:meth:`ema_update`).

    Inference (:meth:`infer_cams`, tools/gen_cams.py, tools/test.py) uses F,
    or G with ``test_cfg.use_support=True``; multi-scale + flip through
    ``test_cfg`` as for every CAM classifier.

    Args:
        backbone, cam_head: As :class:`CAMClassifier`; the head's
            ``in_channels`` must be ``feat_channels``.
        in_channels: Channels of the backbone output that feeds the
            projection.
        feat_channels: ``D`` of the features X (256).
        scales: The training views (0.5, 1.0, 2.0); 1.0 must be one.
        rcm: An :class:`~mmwsss.models.losses.RCMLoss` config, or None.
        mam: A :class:`~mmwsss.models.losses.MAMLoss` config, or None.
        train_cfg: ``mam_start_iter`` (0).
    """

    default_test_cfg = dict(use_support=False)

    def __init__(self,
                 backbone: dict,
                 cam_head: dict,
                 in_channels: int,
                 feat_channels: int = 256,
                 scales: Sequence[float] = (0.5, 1.0, 2.0),
                 rcm: Optional[dict] = None,
                 mam: Optional[dict] = None,
                 **kwargs) -> None:
        if kwargs.get('consistency_losses'):
            raise ValueError('RCMMAMClassifier: consistency_losses are not '
                             'supported')
        super().__init__(backbone, cam_head, **kwargs)
        if 1.0 not in tuple(scales):
            raise ValueError(f'scales must contain 1.0, got {scales}')
        if self.cam_head.in_channels != feat_channels:
            raise ValueError(f'cam_head.in_channels '
                             f'({self.cam_head.in_channels}) must be '
                             f'feat_channels ({feat_channels})')
        self.scales = tuple(float(s) for s in scales)
        self.proj = nn.Sequential(
            nn.Conv2d(in_channels, feat_channels, 1, bias=False),
            nn.ReLU(inplace=True))
        nn.init.kaiming_normal_(self.proj[0].weight)
        self.rcm = MODELS.build(rcm) if rcm is not None else None
        if mam is not None and 'main_scale' not in mam:
            mam = dict(mam, main_scale=self.scales.index(1.0))
        self.mam = MODELS.build(mam) if mam is not None else None
        # G: the same structure, no gradients (a copy of F before the
        # first step, then its moving average)
        self.support = copy.deepcopy(nn.ModuleDict(self._main_parts()))
        for p in self.support.parameters():
            p.requires_grad_(False)
        self.register_buffer('support_ready',
                             torch.zeros((), dtype=torch.bool))

    # ------------------------------------------------------------------ nets
    def _main_parts(self) -> Dict[str, nn.Module]:
        parts = dict(backbone=self.backbone, proj=self.proj,
                     cam_head=self.cam_head)
        if self.neck is not None:
            parts['neck'] = self.neck
        return parts

    def _pairs(self) -> Iterator[Tuple[str, nn.Module, nn.Module]]:
        for name, main in self._main_parts().items():
            yield name, main, self.support[name]

    def _net(self, inputs: Tensor, parts) -> Tuple[Tensor, Tensor]:
        feats = parts['backbone'](inputs)
        if 'neck' in parts:
            feats = parts['neck'](feats)
        if isinstance(feats, (list, tuple)):
            feats = feats[self.feature_index]
        x = parts['proj'](feats)
        return x, parts['cam_head'](x)

    def forward_main(self, inputs: Tensor) -> Tuple[Tensor, Tensor]:
        """F: features X ``(N, D, h, w)`` and raw CAMs A ``(N, C_fg, h,
        w)``."""
        return self._net(inputs, self._main_parts())

    @torch.no_grad()
    def forward_support(self, inputs: Tensor) -> Tuple[Tensor, Tensor]:
        """G (eval mode, no gradients): ``(X, A)``."""
        return self._net(inputs, self.support)

    def _forward(self, inputs: Tensor,
                 data_samples=None) -> Tensor:
        if self.test_cfg.get('use_support'):
            return self.forward_support(inputs)[1]
        return self.forward_main(inputs)[1]

    def train(self, mode: bool = True):
        super().train(mode)
        self.support.eval()
        return self

    # ------------------------------------------------------------------- EMA
    @torch.no_grad()
    def copy_main_to_support(self) -> None:
        """G <- F (parameters and buffers)."""
        self.ema_update(1.0)
        self.support_ready.fill_(True)

    @torch.no_grad()
    def ema_update(self, momentum: float) -> None:
        """``G <- (1 - momentum) G + momentum F`` for every parameter and
        floating-point buffer (BatchNorm statistics); integer buffers are
        copied. momentum 0.003 is the paper's alpha = 0.997."""
        for name, main, support in self._pairs():
            for (n1, p1), (n2, p2) in zip(main.named_parameters(),
                                          support.named_parameters()):
                if n1 != n2 or p1.shape != p2.shape:
                    raise RuntimeError(f'SupportNet {name}.{n2} does not '
                                       f'match MainNet {name}.{n1}')
                p2.mul_(1 - momentum).add_(p1.detach(), alpha=momentum)
            for (n1, b1), (n2, b2) in zip(main.named_buffers(),
                                          support.named_buffers()):
                if b2.is_floating_point():
                    b2.mul_(1 - momentum).add_(b1, alpha=momentum)
                else:
                    b2.copy_(b1)

    # ------------------------------------------------------------------ loss
    def mam_enabled(self) -> bool:
        """``lambda_3 > 0``: from ``train_cfg.mam_start_iter`` on (always
        outside a Runner)."""
        start = self.train_cfg.get('mam_start_iter', 0)
        it = current_iter()
        return it is None or it >= start

    def loss(self, inputs: Tensor,
             data_samples: List[SegDataSample]) -> Dict[str, Tensor]:
        if not bool(self.support_ready):
            self.copy_main_to_support()
        labels = stack_img_labels(data_samples, self.num_classes - 1).to(
            inputs.device)
        image = None
        if len(getattr(self.cam_head, 'cam_losses', [])):
            image = (raw_images(inputs, self.data_preprocessor) /
                     255.0).clamp(0, 1)
        main_i = self.scales.index(1.0)
        views = [inputs if s == 1.0 else F.interpolate(
            inputs, scale_factor=s, mode='bilinear', align_corners=False)
            for s in self.scales]
        # F needs the other scales only for MAM (not SMM); G all of them
        # (its multi-scale CAM gives the regions and SMM's target)
        all_f = self.mam is not None and self.mam.uses_all_main_scales
        feats_f = [self.forward_main(x) if i == main_i or all_f else None
                   for i, x in enumerate(views)]
        feats_g = [self.forward_support(x) for x in views]
        grid = feats_f[main_i][1].shape[2:]
        losses = self.cam_head.loss_by_cams(feats_f[main_i][1], labels,
                                            image, inputs.shape[2:])
        cams_g = [max_normalise(_resize(a, grid)) for _, a in feats_g]
        ms_g = msinf_cams(cams_g)
        if self.rcm is not None:
            losses[self.rcm.loss_name] = self.rcm(
                feats_f[main_i][0], feats_g[main_i][0], ms_g, labels)
        if self.mam is not None:
            cams_f = [None if f is None else max_normalise(
                _resize(f[1], grid)) for f in feats_f]
            mam = self.mam(cams_f, cams_g, ms_g, labels)
            losses[self.mam.loss_name] = mam if self.mam_enabled() \
                else mam * 0
        return losses
