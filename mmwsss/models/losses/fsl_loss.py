"""HFPL's feature-similarity loss (FSL) as a registered CAM loss."""
from __future__ import annotations

from typing import Optional

import torch.nn as nn
import torch.nn.functional as F
from mmseg.registry import MODELS
from torch import Tensor

from mmwsss.functional.hfpl_ops import feature_similarity_loss, gating_input


@MODELS.register_module()
class FSLLoss(nn.Module):
    """FSL (Jonnarth et al., WACV 2024, eq. 9-13, §4.3) on raw CAMs.

    The gating input is the max-normalised CAM of the present classes plus
    ``1 - max`` as background (:func:`~mmwsss.functional.hfpl_ops.
    gating_input`); the image (RGB in [0, 1], given by the classifier) is
    resized to the CAM grid. Only pairs within ``radius`` are summed
    (default ``ceil(4.5 sigma)``: relative error <= 1e-4 against the dense
    formula on real photos, tested), and the gradient is written in
    closed form (:func:`~mmwsss.functional.hfpl_ops.
    feature_similarity_loss`).

    The spatial weight is the normalised Gaussian density (as in the
    authors' code), so the loss is on the scale of ``1/2 |r_i - r_j|^2``.

    Args:
        sigma: Spatial Gaussian in CAM pixels (5 on HFPL's 56 x 56 grid, i.e.
            9 % of the side; scale it with the grid, see configs/hfpl).
        mu: 2.5.
        pool: Average-pool the CAMs by this factor first (e.g. 2 for
            stride-4 logits, to reach HFPL's stride-8 grid); ``sigma`` is
            then in pooled pixels.
        align_corners: How the image is resized to the CAM grid: True
            (default) as HFPL's training script (bilinear,
            ``align_corners=True``); False samples pixel centres (the
            former mmwsss default; tens of percent different on textured
            images).
        loss_weight: HFPL scales FSL by 0.1 for SIPE/MCTformer-like
            setups and 0.2 on COCO.
    """

    def __init__(self, sigma: float = 5.0, mu: float = 2.5,
                 radius: Optional[int] = None, pool: int = 1,
                 align_corners: bool = True,
                 loss_weight: float = 1.0,
                 loss_name: str = 'loss_fsl') -> None:
        super().__init__()
        if pool < 1:
            raise ValueError(f'FSLLoss.pool must be >= 1, got {pool}')
        self.pool = pool
        self.sigma = sigma
        self.mu = mu
        self.radius = radius
        self.align_corners = align_corners
        self.loss_weight = loss_weight
        self._loss_name = loss_name

    def forward(self, cams: Tensor, labels: Tensor,
                image: Optional[Tensor] = None) -> Tensor:
        if image is None:
            raise ValueError('FSLLoss needs the image (RGB in [0, 1]); use '
                             'it through CAMClassifier/CAMHead.cam_losses')
        if self.pool > 1:
            cams = F.avg_pool2d(cams, self.pool, ceil_mode=True)
        img = F.interpolate(image, size=cams.shape[2:], mode='bilinear',
                            align_corners=self.align_corners).clamp(0, 1)
        r = gating_input(cams, labels)
        return self.loss_weight * feature_similarity_loss(
            r, img, self.sigma, self.mu, self.radius)

    @property
    def loss_name(self) -> str:
        return self._loss_name
