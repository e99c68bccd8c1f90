"""The math of single-stage WSSS (Araslanov & Roth, CVPR 2020) on tensors.

Scores (§3.1, eq. 3-5): normalised Global Weighted Pooling (nGWP) of the
segmentation logits under their own softmax masks, plus a focal mask
penalty. Pseudo ground truth and its loss (§3.3, eq. 21-23): thresholds on
the (PAMR-refined) masks and a class-balanced cross-entropy.
"""
from __future__ import annotations

from typing import Tuple

import torch
import torch.nn.functional as F
from torch import Tensor

# The paper's constants: the defaults of the functions below and of
# SingleStageSegmentor's train_cfg (configs state only what differs).
NGWP_EPS = 1.0        # eq. 4, nGWP denominator
FOCAL_P = 3.0         # eq. 5, focal mask penalty exponent
FOCAL_LAMBDA = 0.01   # eq. 5, its weight
BG_LOGIT = 1.0        # eq. 3, constant background logit
BG_CUTOFF = 0.7       # §3.3, pseudo-GT: background cut-off x peak
FG_CUTOFF = 0.6       # §3.3, foreground cut-off x peak
CUTOFF_FLOOR = 0.2    # §3.3, floor of the cut-offs


def masks_with_background(logits: Tensor, bg_logit: float = BG_LOGIT) -> Tuple[
        Tensor, Tensor]:
    """Prepend the constant background logit and take the softmax (eq. 3).

    Args:
        logits: ``(N, C_fg, h, w)`` foreground logits ``y``.

    Returns:
        tuple: ``(y, m)``, both ``(N, C_fg + 1, h, w)``: the logits with the
        background channel first, and their softmax over classes.
    """
    bg = torch.full_like(logits[:, :1], float(bg_logit))
    y = torch.cat([bg, logits], 1)
    return y, F.softmax(y, dim=1)


def ngwp(y: Tensor, m: Tensor, eps: float = NGWP_EPS) -> Tensor:
    """nGWP score per class (eq. 4): ``sum_x m y / (eps + sum_x m)``.

    With ``eps = 1`` a class whose mask vanishes (``sum m -> 0``) gets the
    score ``sum m y -> 0`` instead of the plain average ``y`` (supplement
    B.1): a class cannot be "present" without a mask.

    Returns:
        Tensor: ``(N, C)`` scores of all channels ``y`` has.
    """
    return (m * y).flatten(2).sum(-1) / (eps + m.flatten(2).sum(-1))


def focal_mask_penalty(m: Tensor, p: float = FOCAL_P,
                       lam: float = FOCAL_LAMBDA) -> Tensor:
    """Focal mask penalty (eq. 5): ``(1 - mbar)^p * log(lam + mbar)`` with
    ``mbar`` the mean mask of a class. Large negative for a tiny mask,
    vanishing for a mask covering the image.

    Returns:
        Tensor: ``(N, C)``.
    """
    mbar = m.flatten(2).mean(-1)
    return (1 - mbar).pow(p) * torch.log(lam + mbar)


def single_stage_scores(logits: Tensor, eps: float = NGWP_EPS,
                        p: float = FOCAL_P, lam: float = FOCAL_LAMBDA,
                        bg_logit: float = BG_LOGIT
                        ) -> Tuple[Tensor, Tensor]:
    """Foreground class scores ``nGWP + focal penalty`` and the masks.

    Returns:
        tuple: ``(scores (N, C_fg), masks (N, C_fg + 1, h, w))``; feed the
        scores to a multi-label soft-margin loss.
    """
    y, m = masks_with_background(logits, bg_logit)
    scores = ngwp(y, m, eps) + focal_mask_penalty(m, p, lam)
    return scores[:, 1:], m


def pseudo_gt_from_masks(masks: Tensor, bg_cutoff: float = BG_CUTOFF,
                         fg_cutoff: float = FG_CUTOFF,
                         floor: float = CUTOFF_FLOOR,
                         ignore_index: int = 255) -> Tensor:
    """Pseudo ground truth from masks (§3.3, eq. 21-22).

    ``masks`` (``(N, C_fg + 1, H, W)``, background first) must already have
    the image's absent classes zeroed. A pixel belongs to class ``c`` when
    its mask exceeds ``max(cutoff * max_x mask_c, floor)`` (cutoff 0.7 for
    the background, 0.6 for the foreground); pixels claimed by no class or
    by more than one are ``ignore_index``.

    Returns:
        Tensor: ``(N, H, W)`` int64 labels.
    """
    n, c = masks.shape[:2]
    flat = masks.flatten(2)
    peak = flat.max(-1, keepdim=True)[0]
    cut = torch.full_like(peak, fg_cutoff)
    cut[:, :1] = bg_cutoff
    thr = (peak * cut).clamp(min=floor)
    claimed = flat > thr                                   # (N, C, HW)
    count = claimed.sum(1, dtype=torch.uint8) if c < 256 else claimed.sum(1)
    # argmax of the 1-byte map (no float copy); only pixels claimed by
    # exactly one class keep it
    label = claimed.view(torch.uint8).argmax(1)
    label[count != 1] = ignore_index
    return label.view(n, *masks.shape[2:])


def balanced_ce_weights(label: Tensor, num_classes: int,
                        ignore_index: int = 255) -> Tuple[Tensor, Tensor]:
    """Per-pixel class-balancing weights (eq. 23) of a pseudo-GT.

    For image ``n`` with ``N_c`` pixels of class ``c`` and ``N_tot`` valid
    pixels, a pixel of class ``c`` weighs ``(N_tot - N_c) / (1 + N_tot)``
    (ignored pixels 0): rare classes weigh more. The counts come from one
    ``bincount`` over (image, class) ids and each pixel looks its weight up
    from its label: the cost grows with the pixels, not pixels x classes
    (:func:`balanced_ce_weights_onehot` is the literal one-hot form).

    Returns:
        tuple: ``(weights (N, H, W), counts (N, C))``.
    """
    n = label.shape[0]
    flat = label.reshape(n, -1)
    valid = flat != ignore_index
    cls = flat.clamp(max=num_classes - 1)
    ids = cls + torch.arange(n, device=label.device)[:, None] * num_classes
    counts = torch.bincount(ids[valid], minlength=n * num_classes).view(
        n, num_classes).float()                             # (N, C)
    total = counts.sum(1, keepdim=True)
    cls_w = (total - counts) / (1 + total)                  # (N, C)
    w = cls_w.gather(1, cls) * valid
    return w.view(label.shape), counts


def balanced_ce_weights_onehot(label: Tensor, num_classes: int,
                               ignore_index: int = 255
                               ) -> Tuple[Tensor, Tensor]:
    """Eq. 23 written with a one-hot ``(N, HW, C)`` tensor: the reference
    form :func:`balanced_ce_weights` is tested and benchmarked against."""
    n = label.shape[0]
    flat = label.reshape(n, -1)
    valid = flat != ignore_index
    onehot = F.one_hot(flat.clamp(max=num_classes - 1), num_classes)
    onehot = onehot * valid.unsqueeze(-1)
    counts = onehot.sum(1).float()                          # (N, C)
    total = counts.sum(1, keepdim=True)
    cls_w = (total - counts) / (1 + total)                  # (N, C)
    w = (onehot.float() * cls_w.unsqueeze(1)).sum(-1)
    return w.view_as(label), counts


def balanced_mask_ce(seg_logits: Tensor, label: Tensor, img_labels: Tensor,
                     ignore_index: int = 255) -> Tensor:
    """Class-balanced cross-entropy on the pseudo-GT (§3.3).

    ``seg_logits`` (``(N, C_fg + 1, h, w)``, background first, resized to
    the label size bilinearly). The per-pixel CE is weighted by
    :func:`balanced_ce_weights` and averaged over all pixels of an image;
    an image whose pseudo-GT lacks any of its labelled classes (or the
    background) contributes 0. Returns the batch mean.

    Args:
        img_labels: ``(N, C_fg)`` multi-hot image labels.
    """
    if seg_logits.shape[-2:] != label.shape[-2:]:
        seg_logits = F.interpolate(seg_logits, size=label.shape[-2:],
                                   mode='bilinear', align_corners=True)
    c = seg_logits.shape[1]
    weights, counts = balanced_ce_weights(label, c, ignore_index)
    ce = F.cross_entropy(seg_logits, label, ignore_index=ignore_index,
                         reduction='none')
    per_image = (weights * ce).flatten(1).mean(-1)
    expected = img_labels.float().sum(-1) + 1               # + background
    found = (counts > 0).float().sum(-1)
    keep = (expected == found).to(per_image.dtype)
    return (keep * per_image).mean()
