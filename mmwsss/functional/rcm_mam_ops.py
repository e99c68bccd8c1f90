"""Pixel-level self-supervision for WSSS (RCM + MAM) on tensors.

"Exploring Pixel-level Self-supervision for Weakly Supervised Semantic
Segmentation" (arXiv 2112.05351, §3): a MainNet F and an EMA SupportNet G
see the image at several scales. The regional contrastive module (RCM, eq.
1-5) pulls F's pixel features towards the prototype of their region in G's
CAMs; the multi-scale attentive module (MAM, eq. 6-8) pulls F's CAM at each
scale towards a dissimilarity-weighted mix of G's CAMs at every scale.

The paper has no public code; every choice it leaves open is named in the
docstring where it is made (and in ``configs/rcm_mam/README.md``).
"""
from __future__ import annotations

from typing import Sequence, Tuple

import torch
import torch.nn.functional as F
from torch import Tensor


def max_normalise(cams: Tensor, eps: float = 1e-5) -> Tensor:
    """``A^k <- relu(A^k) / max relu(A^k)`` per image and class (§3.2):
    ``(N, C, h, w)`` in ``[0, 1]``; an all-zero map stays 0."""
    cams = F.relu(cams)
    peak = cams.flatten(2).amax(2)[..., None, None]
    return cams / (peak + eps)


def msinf_cams(views: Sequence[Tensor]) -> Tensor:
    """G's multi-scale CAM: the max-normalised views (already at the 1.0
    view's size) summed and max-normalised again - the usual
    sum-then-normalise of multi-scale inference (the paper does not say)."""
    return max_normalise(torch.stack(list(views)).sum(0))


def region_masks(cams: Tensor, labels: Tensor,
                 threshold: float = 0.2) -> Tensor:
    """RCM's class regions (eq. 1-2): ``(N, C + 1, h, w)`` bool, the
    background first.

    A pixel belongs to foreground class ``k`` when ``k`` is the argmax over
    the classes present in the image label and its normalised CAM exceeds
    ``threshold`` (0.20); to the background when no class claims it. The
    masks partition the pixels; absent classes have empty masks.

    Args:
        cams: ``(N, C, h, w)`` normalised CAMs (G's msinf-CAMs).
        labels: ``(N, C)`` 0/1 image labels.
    """
    present = labels.bool()[..., None, None]
    masked = cams.masked_fill(~present, float('-inf'))
    value, idx = masked.max(1)
    fg = value > threshold                       # False where no class
    classes = torch.where(fg, idx + 1, torch.zeros_like(idx))
    c = cams.shape[1]
    return F.one_hot(classes, c + 1).permute(0, 3, 1, 2).bool()


def batch_prototypes(feat: Tensor, masks: Tensor,
                     eps: float = 1e-12) -> Tuple[Tensor, Tensor]:
    """Class prototypes of a mini-batch (eq. 3): per image, the masked
    **mean** of the features (the text's "averaging"; eq. 3 prints a sum),
    averaged over the images whose mask of the class is non-empty, then
    L2-normalised.

    Args:
        feat: ``(N, D, h, w)`` features (G's, at the 1.0 scale).
        masks: ``(N, K, h, w)`` bool region masks (:func:`region_masks`).

    Returns:
        ``(prototypes (K, D), present (K,) bool)``; rows of classes absent
        from the batch are 0.
    """
    m = masks.to(feat.dtype)
    area = m.sum((2, 3))                                     # (N, K)
    sums = torch.einsum('nkhw,ndhw->nkd', m, feat)           # (N, K, D)
    means = sums / area.clamp(min=1)[..., None]
    has = area > 0                                           # (N, K)
    count = has.sum(0)                                       # (K,)
    proto = (means * has[..., None]).sum(0) / count.clamp(min=1)[:, None]
    return F.normalize(proto, dim=1, eps=eps), count > 0


def update_memory(memory: Tensor, seen: Tensor, protos: Tensor,
                  present: Tensor) -> Tuple[Tensor, Tensor]:
    """The prototypes used by the loss: this batch's where the class is
    present, else the latest non-empty one (``memory``); ``seen`` marks
    classes that had a prototype at least once (the others are left out
    of the contrast). Returns the new ``(memory, seen)``."""
    p = present[:, None]
    return torch.where(p, protos, memory), seen | present


def rcm_loss(feat: Tensor, masks: Tensor, protos: Tensor, valid: Tensor,
             temperature: float = 0.5, mode: str = 'infonce') -> Tensor:
    """RCM's contrastive loss (eq. 4-5) of F's pixel features against the
    prototypes.

    Each pixel ``x`` (L2-normalised) has the class of its region; with
    ``s_k = exp(x . p_k / T)`` over the valid prototypes (the N + 1 of the
    paper, minus classes never seen), ``mode='infonce'`` (default, the
    InfoNCE the paper cites) is ``-log(s_pos / sum_k s_k)`` - a per-pixel
    cross-entropy over prototypes, averaged over the pixels;
    ``mode='ratio'`` follows eq. 5 as printed (no log): ``1 - s_pos /
    sum_k s_k``, averaged (the ``1 -`` makes it a loss to minimise).

    Args:
        feat: ``(N, D, h, w)`` F's features.
        masks: ``(N, K, h, w)`` region masks (a partition).
        protos: ``(K, D)`` L2-normalised prototypes.
        valid: ``(K,)`` bool, prototypes that exist.
    """
    if mode not in ('infonce', 'ratio'):
        raise ValueError(f"mode must be 'infonce' or 'ratio', got {mode!r}")
    x = F.normalize(feat, dim=1)
    logits = torch.einsum('ndhw,kd->nkhw', x, protos) / temperature
    logits = logits.masked_fill(~valid[None, :, None, None], float('-inf'))
    target = masks.float().argmax(1)                         # (N, h, w)
    logp = F.log_softmax(logits, 1).gather(1, target[:, None])[:, 0]
    if mode == 'infonce':
        return -logp.mean()
    return (1 - logp.exp()).mean()


def cosine_dissimilarity(cams_f: Tensor, cams_g: Tensor,
                         eps: float = 1e-8) -> Tensor:
    """MAM's ``xi_{i:j} = 2 - cos(A^F_i, A^G_j)`` (eq. 6) per image and
    class, the maps flattened over pixels.

    Args:
        cams_f, cams_g: ``(S, N, C, h, w)`` the S scales' CAMs.

    Returns:
        ``(N, C, S, S)``: row ``i`` (F's scale), column ``j`` (G's).
    """
    f = F.normalize(cams_f.flatten(3), dim=3, eps=eps)       # (S, N, C, P)
    g = F.normalize(cams_g.flatten(3), dim=3, eps=eps)
    cos = torch.einsum('inck,jnck->ncij', f, g)
    return 2 - cos


def attentive_targets(cams_g: Tensor, xi: Tensor) -> Tensor:
    """MAM's targets (eq. 7): ``Â^G_i = (1/S) sum_j xi_{i:j} A^G_j``,
    literally - no re-normalisation, so a target may exceed 1 (xi is in
    [1, 2]); ``cams_g (S, N, C, h, w)``, ``xi (N, C, S, S)`` -> ``(S, N, C,
    h, w)``."""
    s = cams_g.shape[0]
    return torch.einsum('ncij,jnchw->inchw', xi, cams_g) / s


def mam_loss(cams_f: Tensor, targets: Tensor, labels: Tensor) -> Tensor:
    """``L_MAM = sum_k sum_i ||Â^G_i - A^F_i||_1`` (eq. 8) over the present
    classes ``k`` and scales ``i``, each L1 a mean over pixels; the mean
    over the images. ``targets`` are detached here (no gradient into G or
    through xi).

    Args:
        cams_f: ``(S, N, C, h, w)`` F's normalised CAMs.
        targets: ``(S, N, C, h, w)`` (:func:`attentive_targets`, or G's
            msinf-CAM repeated: the SMM / MMM ablations).
        labels: ``(N, C)`` 0/1 image labels.
    """
    l1 = (targets.detach() - cams_f).abs().mean((3, 4))      # (S, N, C)
    return (l1 * labels[None].to(l1.dtype)).sum((0, 2)).mean()
