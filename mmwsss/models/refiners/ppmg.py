"""Proportional Pseudo-mask Generation (PPMG), PMM (Li et al., ICCV 2021).

§3.4, eq. 7-9 and Algorithm 1. Instead of one CRF over all classes, each
present class gets its own two-label dense CRF, so a weak class is not
swallowed by a strong neighbour. Overlaps are settled by *importance*: a
class's CAM divided by the size of its CRF foreground, so a small object is
not overrun by a large one.
"""
from __future__ import annotations

import copy
from typing import Optional, Sequence

import numpy as np
from mmseg.registry import MODELS

from .base import LabelGenerator
from .cvs import cov_smoothing
from .dense_crf import CRF_PRESETS, dense_crf


def ppmg_label(img: np.ndarray,
               cams: np.ndarray,
               keys: Sequence[int],
               alpha: float = 11.0,
               cvs: Optional[dict] = None,
               crf: Optional[dict] = None,
               fg_threshold: float = 0.5,
               label_offset: int = 1) -> np.ndarray:
    """PPMG pseudo-label of one image (Algorithm 1).

    For each stored class ``k`` with normalised CAM ``cam_k``:

    1. ``cvs_k`` = CVS of ``cam_k`` (eq. 6; skipped when ``cvs`` is None);
    2. a two-label dense CRF on ``[(1 - cvs_k)^alpha, cvs_k]`` (eq. 7);
       ``fg_k = Q_k > fg_threshold``;
    3. importance ``imp_k = cam_k / (1 + sum_x cam_k * fg_k)`` (eq. 8) with
       the raw normalised CAM.

    Background is the set of pixels no class claims. The label is the argmax
    over ``[bg, fg_1 * imp_1, ..., fg_K * imp_K]`` (eq. 9); every pixel gets
    a label (no 255). A pixel claimed only by classes whose CAM is exactly 0
    there has all-zero scores and, as in the authors' code, the argmax falls
    to background.

    Args:
        img: ``HxWx3`` uint8 RGB.
        cams: ``(K, H, W)`` normalised CAMs of the image's classes.
        keys: ``(K,)`` class indices of the maps; the written label is
            ``key + label_offset`` (our CAM files store foreground indices,
            so the default offset 1 gives VOC ids).
        alpha: Background power (paper: 11).
        cvs: ``dict(t=0.05, s=0.3)`` or None to use the raw CAM.
        crf: Dense-CRF settings (``iterations``, ``gaussian``,
            ``bilateral``, ``scale_factor``); default the PMM preset
            (gaussian sxy 3 compat 10, bilateral sxy 80 srgb 13 compat 10,
            10 iterations).
        fg_threshold: CRF foreground probability cut (0.5).

    Returns:
        np.ndarray: ``HxW`` uint8 label ids (0 = background).
    """
    keys = np.asarray(keys, np.int64).reshape(-1)
    cams = np.clip(np.nan_to_num(np.asarray(cams, np.float32)), 0, 1)
    h, w = img.shape[:2]
    if cams.shape[0] == 0:
        return np.zeros((h, w), np.uint8)
    if cams.shape[1:] != (h, w):
        raise ValueError(f'CAMs {cams.shape[1:]} and image {(h, w)} differ '
                         'in size')
    if keys.size != cams.shape[0]:
        raise ValueError(f'{keys.size} keys for {cams.shape[0]} CAMs')
    crf = copy.deepcopy(CRF_PRESETS['pmm'] if crf is None else crf)
    smooth = cams if cvs is None else cov_smoothing(cams, **cvs)
    unclaimed = np.ones((h, w), bool)
    scores = np.zeros((cams.shape[0] + 1, h, w), np.float32)
    for k in range(cams.shape[0]):
        bg = np.power(1.0 - smooth[k], alpha)
        q = dense_crf(img, np.stack([bg, smooth[k]]), **crf)[1]
        fg = q > fg_threshold
        importance = cams[k] / (1.0 + float((cams[k] * fg).sum()))
        scores[k + 1] = fg * importance
        unclaimed &= ~fg
    scores[0] = unclaimed
    ids = np.concatenate([[0], keys + label_offset])
    if ids.max() > 255 or ids[1:].min() < 1:
        raise ValueError(f'label ids {ids[1:].tolist()} (keys + offset '
                         f'{label_offset}) must lie in 1..255')
    return ids.astype(np.uint8)[scores.argmax(0)]


@MODELS.register_module()
class PPMG(LabelGenerator):
    """Registered PPMG pseudo-label generator:
    ``ppmg(img, cams, keys) -> label ids``.

    Pass it to :func:`~mmwsss.apis.make_pseudo_labels` as
    ``generator=dict(type='PPMG', ...)`` (``tools/make_pseudo_labels.py
    --generator ppmg``). See :func:`ppmg_label` for the arguments; ``crf``
    may name a preset (``'pmm'``, ``'psa'``, ``'deeplab'``) or give the
    settings, and a dict with ``preset`` plus overrides is accepted too.
    """

    def __init__(self,
                 alpha: float = 11.0,
                 cvs: Optional[dict] = dict(t=0.05, s=0.3),
                 crf='pmm',
                 fg_threshold: float = 0.5,
                 label_offset: int = 1) -> None:
        if isinstance(crf, str):
            crf = dict(preset=crf)
        crf = dict(crf)
        preset = crf.pop('preset', 'pmm')
        if preset not in CRF_PRESETS:
            raise KeyError(f'unknown CRF preset {preset!r}; choose from '
                           f'{sorted(CRF_PRESETS)}')
        settings = copy.deepcopy(CRF_PRESETS[preset])
        for key, value in crf.items():
            if isinstance(value, dict):
                settings[key] = {**settings.get(key, {}), **value}
            else:
                settings[key] = value
        self.alpha = alpha
        self.cvs = dict(cvs) if cvs is not None else None
        self.crf = settings
        self.fg_threshold = fg_threshold
        self.label_offset = label_offset

    def __call__(self, img: np.ndarray, cams: np.ndarray,
                 keys: Sequence[int]) -> np.ndarray:
        return ppmg_label(img, cams, keys, alpha=self.alpha, cvs=self.cvs,
                          crf=self.crf, fg_threshold=self.fg_threshold,
                          label_offset=self.label_offset)

    def __repr__(self) -> str:
        return (f'PPMG(alpha={self.alpha}, cvs={self.cvs}, crf={self.crf}, '
                f'fg_threshold={self.fg_threshold})')
