"""The one multi-scale + flip inference path of mmwsss.

Every test-time augmentation of the library goes through
:func:`multi_scale_flip`: the CAMs of :class:`~mmwsss.models.CAMClassifier`
(``infer_cams``), the masks of :class:`~mmwsss.models.SingleStageSegmentor`
(``infer_masks``) and the probabilities of any mmseg segmentor used for
pseudo-masks (:func:`~mmwsss.apis.predict_probs`). Like mmseg's
``SegTTAModel`` it maps every view back onto the input grid (resize +
un-flip); how the views are combined (sum, mean, softmax first) is the
caller's rule and stays with the caller.
"""
from __future__ import annotations

from typing import Callable, List, Optional, Sequence, Tuple, Union

import torch
from mmseg.models.utils import resize
from torch import Tensor

ForwardOut = Union[Tensor, Tuple[Tensor, Optional[Tensor]]]
View = Tuple[Tensor, Optional[Tensor]]


def _split(out: ForwardOut) -> View:
    if isinstance(out, Tensor):
        return out, None
    dense, vector = out
    return dense, vector


def _to_input_grid(dense: Tensor, size, flipped: bool, unflip_first: bool,
                   align_corners: bool) -> Tensor:
    if flipped and unflip_first:
        dense = dense.flip(-1)
    dense = resize(dense, size=size, mode='bilinear',
                   align_corners=align_corners)
    if flipped and not unflip_first:
        dense = dense.flip(-1)
    return dense


def multi_scale_flip(forward: Callable[[Tensor], ForwardOut],
                     inputs: Tensor,
                     scales: Sequence[float] = (1.0, ),
                     flip: bool = False,
                     align_corners: bool = False,
                     batch_flip: bool = True,
                     unflip_first: bool = False) -> List[List[View]]:
    """Run ``forward`` on every scale (and horizontal flip) of ``inputs``.

    Each scale ``s`` resizes ``inputs`` bilinearly by ``s`` (``s == 1`` is
    the input itself). ``forward(x)`` returns a dense map ``(N, C, h, w)``
    or a pair ``(dense, vector)`` (e.g. per-image class scores ``(N, K)``).
    Every dense map is resized to the input size ``H x W`` and the flipped
    view is flipped back; vectors are returned as they are.

    Args:
        forward: The per-view network call.
        inputs: ``(N, 3, H, W)`` pre-processed images.
        scales: Resize factors.
        flip: Add the horizontally flipped view of every scale.
        align_corners: Of the bilinear resizes.
        batch_flip: Run a scale and its flip as one ``2N`` batch (the
            segmentors' ``_forward``) or as two calls (needed by mmseg's
            ``inference``, whose meta information is per image).
        unflip_first: Flip back before resizing (the order of mmseg's
            ``postprocess_result``) instead of after (the order of the CAM
            and single-stage inference). The two orders agree up to float
            rounding (~5e-7); each caller keeps the order its figures were
            measured with.

    Returns:
        list: Per scale, the views ``[(dense, vector)]`` (original first,
        then the flipped-back one), dense maps at ``H x W``.
    """
    size = inputs.shape[2:]
    n = inputs.shape[0]
    out: List[List[View]] = []
    for scale in scales:
        x = inputs if scale == 1.0 else resize(
            inputs, scale_factor=scale, mode='bilinear',
            align_corners=align_corners)
        if flip and batch_flip:
            dense, vector = _split(forward(torch.cat([x, x.flip(-1)])))
            dense = resize(dense, size=size, mode='bilinear',
                           align_corners=align_corners) \
                if not unflip_first else dense
            views = []
            for k, flipped in enumerate((False, True)):
                d = dense[k * n:(k + 1) * n]
                if unflip_first:
                    d = _to_input_grid(d, size, flipped, True, align_corners)
                elif flipped:
                    d = d.flip(-1)
                v = None if vector is None else vector[k * n:(k + 1) * n]
                views.append((d, v))
        else:
            views = []
            for flipped in ((False, True) if flip else (False, )):
                dense, vector = _split(forward(x.flip(-1) if flipped else x))
                views.append((_to_input_grid(dense, size, flipped,
                                             unflip_first, align_corners),
                              vector))
        out.append(views)
    return out
