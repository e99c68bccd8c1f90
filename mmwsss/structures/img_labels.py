"""Image-level labels of data samples: the one place that reads
``gt_img_labels`` into a batch and decides which classes an inference
keeps."""
from __future__ import annotations

from typing import List, Optional

import torch
from mmseg.structures import SegDataSample
from mmseg.utils import OptSampleList
from torch import Tensor


def stack_img_labels(data_samples: List[SegDataSample],
                     num_fg: int) -> Tensor:
    """Stack ``gt_img_labels`` of a batch into ``(N, num_fg)``.

    Raises a ValueError naming both numbers when the labels' length differs
    from the model's number of foreground classes.
    """
    labels = []
    for s in data_samples:
        if 'gt_img_labels' not in s:
            raise KeyError(
                'a data sample has no gt_img_labels; pack samples with '
                'PackWSSSInputs from a mmwsss dataset '
                f'(img_path={s.metainfo.get("img_path")})')
        labels.append(s.gt_img_labels)
    labels = torch.stack(labels)
    if labels.shape[1] != num_fg:
        raise ValueError(
            f'the dataset gives {labels.shape[1] + 1} classes '
            f'({labels.shape[1]} foreground) but the model has '
            f'num_classes={num_fg + 1} ({num_fg} foreground)')
    return labels


RESTRICT_MODES = ('gt', 'pred', None)


def check_restrict(mode: Optional[str]) -> None:
    """Raise a ValueError naming ``test_cfg.restrict`` unless ``mode`` is
    one of :data:`RESTRICT_MODES`."""
    if mode not in RESTRICT_MODES:
        raise ValueError('test_cfg.restrict must be gt, pred or None, '
                         f'got {mode!r}')


def classes_to_keep(mode: Optional[str], scores: Tensor,
                    data_samples: OptSampleList, num_fg: int,
                    score_thr: float) -> Optional[Tensor]:
    """The ``(N, C_fg)`` 0/1 mask of the classes an inference keeps.

    ``'gt'``: the image labels when every sample carries them (else as
    ``'pred'``); ``'pred'``: ``scores > score_thr``; ``None``: all (returns
    None).
    """
    if mode is None:
        return None
    if mode == 'gt' and data_samples is not None and all(
            'gt_img_labels' in s for s in data_samples):
        return stack_img_labels(data_samples, num_fg).to(scores.device)
    return (scores > score_thr).to(scores.dtype)
