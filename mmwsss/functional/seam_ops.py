"""SEAM (Wang, Zhang, Kan, Shan, Chen; CVPR 2020) on tensors.

Self-supervised equivariant attention: a pixel correlation module (PCM,
§3.3, eq. 6) refines the CAM with feature affinities; equivariant
regularisation (ER, eq. 2-3) ties the CAMs of an image and of its
rescaled copy; equivariant cross regularisation (ECR, eq. 4-5) ties each
view's PCM output to the other view's CAM. Channel 0 is the background
wherever a map has ``C + 1`` channels (as in the authors' code). Every
constant below is the authors' (``train_SEAM.py``, ``resnet38_SEAM.py``).
"""
from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor


def seam_max_norm(cams: Tensor, eps: float = 1e-5) -> Tensor:
    """Per-map min-max normalisation of ReLU'd maps (SEAM's
    ``visualization.max_norm``): ``relu(p - min - eps) / (max - min + eps)``
    with ``p = relu(cams)``; maps become ``[0, 1)``, a constant map 0."""
    p = F.relu(cams)
    flat = p.flatten(2)
    hi = flat.max(-1)[0][..., None, None]
    lo = flat.min(-1)[0][..., None, None]
    return F.relu(p - lo - eps) / (hi - lo + eps)


def bg_aware_max_norm(cams: Tensor, eps: float = 1e-5) -> Tensor:
    """The PCM's input (no gradient): foreground CAMs max-normalised
    (``relu(relu(M) - eps) / (max relu(M) + eps)``), a background channel
    ``1 - max_c``, and at every pixel only the strongest foreground class
    kept (the others set to 0).

    Args:
        cams: ``(N, C_fg, h, w)`` raw foreground CAMs.

    Returns:
        Tensor: ``(N, C_fg + 1, h, w)``, background first.
    """
    with torch.no_grad():
        d = F.relu(cams.detach())
        peak = d.flatten(2).max(-1)[0][..., None, None] + eps
        fg = F.relu(d - eps) / peak
        top = fg.max(1, keepdim=True)[0]
        bg = 1 - top
        fg = torch.where(fg < top, torch.zeros_like(fg), fg)
        return torch.cat([bg, fg], 1)


def pcm(cam: Tensor, feat: Tensor, eps: float = 1e-5) -> Tensor:
    """Pixel correlation module (eq. 6): every pixel's CAM becomes the
    affinity-weighted mean of all pixels' CAMs,
    ``y_j = sum_i cam_i a_ij / sum_i a_ij`` with ``a_ij = relu(f_i . f_j)``
    of the L2-normalised features ``f`` (the cosine similarity).

    Args:
        cam: ``(N, K, h', w')``; resized to the feature grid (bilinear,
            ``align_corners=True``).
        feat: ``(N, D, h, w)`` (already projected, SEAM's ``f9``).

    Returns:
        Tensor: ``(N, K, h, w)``.
    """
    n, _, h, w = feat.shape
    cam = F.interpolate(cam, (h, w), mode='bilinear', align_corners=True)
    cam = cam.flatten(2)                                    # (N, K, hw)
    f = feat.flatten(2)
    f = f / (f.norm(dim=1, keepdim=True) + eps)
    aff = F.relu(torch.bmm(f.transpose(1, 2), f))           # (N, hw, hw)
    aff = aff / (aff.sum(1, keepdim=True) + eps)
    return torch.bmm(cam, aff).view(n, -1, h, w)


def max_onehot(x: Tensor) -> Tensor:
    """Keep, at every pixel, only the foreground channel(s) equal to the
    foreground maximum; the background channel 0 is left as it is."""
    fg = x[:, 1:]
    top = fg.max(1, keepdim=True)[0]
    fg = torch.where(fg != top, torch.zeros_like(fg), fg)
    return torch.cat([x[:, :1], fg], 1)


def equivariant_reg(cam_a: Tensor, cam_b: Tensor) -> Tensor:
    """ER (eq. 3): mean absolute difference of the foreground channels of
    two CAMs on the same grid (``(N, C + 1, h, w)``, background first)."""
    return (cam_a[:, 1:] - cam_b[:, 1:]).abs().mean()


def equivariant_cross_reg(cam_other: Tensor, cam_rv: Tensor,
                          topk: float = 0.2) -> Tensor:
    """ECR (eq. 5) one way, as the authors implement it: ``|max_onehot(
    other view's CAM, detached) - this view's PCM output|``, then per image
    the mean of its largest ``int(topk * (C + 1) * h * w)`` values (online
    hard example mining over all channels), averaged over the batch."""
    n, c, h, w = cam_rv.shape
    err = (max_onehot(cam_other.detach()) - cam_rv).abs().view(n, -1)
    k = max(int(c * h * w * topk), 1)
    return err.topk(k, dim=-1)[0].mean()


def adaptive_min_pooling_loss(cams: Tensor) -> Tensor:
    """SEAM's ``adaptive_min_pooling_loss``: per image the ``h*w // 4``
    smallest values of the channel-wise maximum, ReLU'd, summed and divided
    by ``k N`` (pushes the weakest quarter of the map towards 0)."""
    n, _, h, w = cams.shape
    k = max(h * w // 4, 1)
    top = cams.max(1)[0].view(n, -1)
    low = top.topk(k, dim=-1, largest=False)[0]
    return F.relu(low).sum() / (k * n)
