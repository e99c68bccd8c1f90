"""IRN's affinity training labels from CAMs (Ahn, Cho & Kwak, CVPR 2019)."""
from __future__ import annotations

from typing import Union

import numpy as np
import torch
from mmseg.registry import MODELS

from mmwsss.functional.affinity_ops import fuse_confident_labels
from .base import LabelGenerator
from .dense_crf import dense_crf_labels
from .psa_affinity_labels import crf_from


@MODELS.register_module()
class IRNAffinityLabels(LabelGenerator):
    """Confident regions by two constant background scores (IRN's
    ``cam_to_ir_label.py``), the simpler rule beside
    :class:`PSAAffinityLabels`.

    The CAMs get a constant background ``fg_threshold`` (0.30: a large
    background) and, separately, ``bg_threshold`` (0.05: a small one);
    each argmax labelling is refined by a dense CRF on the hard labels
    (:func:`~mmwsss.models.refiners.dense_crf.dense_crf_labels`, IRN's
    ``crf_inference_label``: ``gt_prob`` 0.7, preset ``'irn'``). The label
    is a class where the first says foreground, background where both say
    background, and 255 (ignored) otherwise.

    Args:
        fg_threshold: IRN's ``conf_fg_thres``.
        bg_threshold: IRN's ``conf_bg_thres``.
        gt_prob: Confidence of the hard labels in the CRF's unary.
        crf: A dense-CRF preset name or ``dict(preset=..., **overrides)``.
    """

    def __init__(self, fg_threshold: float = 0.30, bg_threshold: float = 0.05,
                 gt_prob: float = 0.7, crf: Union[str, dict] = 'irn') -> None:
        if not 0 <= bg_threshold < fg_threshold:
            raise ValueError('need 0 <= bg_threshold < fg_threshold, got '
                             f'{bg_threshold}, {fg_threshold}')
        self.fg_threshold = fg_threshold
        self.bg_threshold = bg_threshold
        self.gt_prob = gt_prob
        self.crf = crf_from(crf)

    def _labels(self, img: np.ndarray, cams: np.ndarray,
                threshold: float) -> np.ndarray:
        scores = np.concatenate(
            [np.full((1, *cams.shape[1:]), threshold, np.float32), cams])
        return dense_crf_labels(img, scores.argmax(0), len(scores),
                                self.gt_prob,
                                scale_factor=self.crf.scale_factor,
                                **self.crf.cfg)

    def __call__(self, img: np.ndarray, cams: np.ndarray,
                 keys: np.ndarray) -> np.ndarray:
        ids = np.concatenate([[0], np.asarray(keys) + 1]).astype(np.int64)
        fg = ids[self._labels(img, cams, self.fg_threshold)]
        bg = ids[self._labels(img, cams, self.bg_threshold)]
        fused = fuse_confident_labels(torch.from_numpy(fg),
                                      torch.from_numpy(bg), bg_both=True)
        return fused.numpy().astype(np.uint8)

    def __repr__(self) -> str:
        return (f'IRNAffinityLabels(fg_threshold={self.fg_threshold}, '
                f'bg_threshold={self.bg_threshold}, gt_prob={self.gt_prob}, '
                f'crf={self.crf!r})')
