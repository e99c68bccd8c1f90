"""The image-level classification loss of the CAM methods."""
from __future__ import annotations


def multilabel_cls_loss(**kwargs) -> dict:
    """Config of the CAM papers' classification loss: the multi-label soft
    margin ``-1/C sum_c [y_c log sigma(s_c) + (1 - y_c) log sigma(-s_c)]``,
    averaged over the images, i.e. binary cross-entropy with logits averaged
    over images and classes - mmpretrain's ``CrossEntropyLoss`` with
    ``use_sigmoid=True`` (any one-class case included). The loss reports as
    ``loss_cls``; ``kwargs`` (e.g. ``loss_weight``) are added to the config.
    """
    return dict(type='mmpretrain.CrossEntropyLoss', use_sigmoid=True,
                **kwargs)


def loss_key(loss, default: str = 'loss_cls') -> str:
    """The key of ``loss`` in a loss dict: its ``loss_name`` (mmseg losses)
    or ``default`` (mmpretrain losses have none)."""
    return getattr(loss, 'loss_name', default)
