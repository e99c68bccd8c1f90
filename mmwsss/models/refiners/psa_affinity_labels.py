"""PSA's affinity training labels from CAMs (Ahn & Kwak, CVPR 2018, §3.3)."""
from __future__ import annotations

from typing import Union

import numpy as np
import torch
from mmseg.registry import MODELS

from mmwsss.functional.affinity_ops import fuse_confident_labels
from mmwsss.functional.cam_ops import background_from_cams
from .base import LabelGenerator
from .dense_crf import DenseCRF


def crf_from(crf: Union[str, dict, None]) -> DenseCRF:
    """A :class:`DenseCRF` from a preset name or ``dict(preset=..., ...)``."""
    if isinstance(crf, str) or crf is None:
        return DenseCRF(preset=crf)
    return DenseCRF(**crf)


@MODELS.register_module()
class PSAAffinityLabels(LabelGenerator):
    """Confident regions for AffinityNet training (PSA's ``infer_cls.py
    --out_la_crf/--out_ha_crf`` and ``ExtractAffinityLabelInRadius``).

    The CAMs get a background ``(1 - max_c M_c)^alpha`` twice: with
    ``alpha_low`` (4: a large background) and ``alpha_high`` (32: a small
    one); each is refined by a dense CRF (PSA's ``crf_inference``, preset
    ``'psa'``) and argmaxed. The label is a class where the low-alpha
    labelling says foreground, background where the high-alpha labelling
    says background, and 255 (ignored by the affinity loss) in between
    (:func:`~mmwsss.functional.affinity_ops.fuse_confident_labels`).
    ``tools/make_pseudo_labels.py`` writes them with ``pseudo_label_cfg =
    dict(generator=dict(type='PSAAffinityLabels'))``.

    Args:
        alpha_low: Background power of the foreground-confident labelling.
        alpha_high: Background power of the background-confident one.
        crf: A dense-CRF preset name or ``dict(preset=..., **overrides)``
            (:class:`DenseCRF`).
    """

    def __init__(self, alpha_low: float = 4.0, alpha_high: float = 32.0,
                 crf: Union[str, dict] = 'psa') -> None:
        if not 0 < alpha_low < alpha_high:
            raise ValueError('need 0 < alpha_low < alpha_high, got '
                             f'{alpha_low}, {alpha_high}')
        self.alpha_low = alpha_low
        self.alpha_high = alpha_high
        self.crf = crf_from(crf)

    def _labels(self, img: np.ndarray, cams: np.ndarray,
                alpha: float) -> np.ndarray:
        bg = background_from_cams(cams, alpha)          # (1, H, W)
        scores = np.concatenate([bg, cams]).astype(np.float32)
        return self.crf(img, scores).argmax(0)

    def __call__(self, img: np.ndarray, cams: np.ndarray,
                 keys: np.ndarray) -> np.ndarray:
        ids = np.concatenate([[0], np.asarray(keys) + 1]).astype(np.int64)
        low = ids[self._labels(img, cams, self.alpha_low)]
        high = ids[self._labels(img, cams, self.alpha_high)]
        fused = fuse_confident_labels(torch.from_numpy(low),
                                      torch.from_numpy(high))
        return fused.numpy().astype(np.uint8)

    def __repr__(self) -> str:
        return (f'PSAAffinityLabels(alpha_low={self.alpha_low}, alpha_high='
                f'{self.alpha_high}, crf={self.crf!r})')
