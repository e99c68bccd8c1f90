"""Coefficient-of-Variation Smoothing (CVS), PMM (Li et al., ICCV 2021) §3.3.

A CAM is sharply peaked on the most discriminative part. CVS raises every
confident value of class ``k`` to the power ``1 - CoV_k`` (eq. 6), where the
coefficient of variation of the confident values (eq. 5) measures how peaked
the map is: a flat map (CoV ~ 0) is left as it is, a peaked one is lifted
more.
"""
from __future__ import annotations

import numpy as np
from mmseg.registry import MODELS

from .base import CAMTransform


def coefficient_of_variation(cam: np.ndarray, t: float = 0.05,
                             s: float = 0.3, eps: float = 1e-8) -> float:
    """``CoV_k = s * std(V) / mean(V)`` over ``V = {cam > t}`` (eq. 5).

    ``std`` is the population standard deviation (``ddof=0``, as the
    authors' code). A map with no value above ``t`` has ``CoV = 0``.

    Args:
        cam: One normalised CAM (any shape), values in ``[0, 1]``.
        t: Confidence threshold (paper: 0.05).
        s: Scale (paper: 0.3).
    """
    v = np.asarray(cam, np.float64)
    v = v[v > t]
    if v.size == 0:
        return 0.0
    return float(s * v.std() / (v.mean() + eps))


def cov_smoothing(cams: np.ndarray, t: float = 0.05,
                  s: float = 0.3) -> np.ndarray:
    """CVS of each map of ``cams`` (``(K, H, W)``), eq. 6.

    ``cvs_k(x) = cam_k(x) ** (1 - CoV_k)`` where ``cam_k(x) >= t`` and ``0``
    below ``t``.

    Returns:
        np.ndarray: ``(K, H, W)`` float32.
    """
    cams = np.clip(np.nan_to_num(np.asarray(cams, np.float32)), 0, None)
    out = np.zeros_like(cams)
    for k, cam in enumerate(cams):
        cov = coefficient_of_variation(cam, t, s)
        keep = cam >= t
        out[k][keep] = np.power(cam[keep], 1.0 - cov)
    return out


@MODELS.register_module()
class CVS(CAMTransform):
    """A registered CAM transform: ``cvs(cams) -> cams`` (see
    :func:`cov_smoothing`).

    Usable wherever :func:`~mmwsss.apis.pseudo_label_from_cams` takes
    ``cam_transforms`` (e.g. CVS before the usual dense CRF), and inside
    :class:`~mmwsss.models.PPMG`.

    Args:
        t: Values below ``t`` are zeroed and not counted in ``CoV``.
        s: Scale of the coefficient of variation.
    """

    def __init__(self, t: float = 0.05, s: float = 0.3) -> None:
        self.t = t
        self.s = s

    def __call__(self, cams: np.ndarray) -> np.ndarray:
        return cov_smoothing(cams, self.t, self.s)

    def __repr__(self) -> str:
        return f'CVS(t={self.t}, s={self.s})'
