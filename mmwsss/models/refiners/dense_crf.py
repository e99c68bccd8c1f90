"""Fully connected CRF (Krähenbühl & Koltun, NeurIPS 2011) on class scores."""
from __future__ import annotations

import copy
from typing import Dict, Optional

import numpy as np
from mmseg.registry import MODELS

from .base import ScoreRefiner

#: Settings used in the literature.
CRF_PRESETS: Dict[str, dict] = {
    # psa (Ahn & Kwak 2018), SEAM, IRN: crf_inference()
    'psa': dict(iterations=10, gaussian=dict(sxy=3, compat=3),
                bilateral=dict(sxy=80, srgb=13, compat=10)),
    # PMM (Li et al. 2021), per-class CRF in PPMG
    'pmm': dict(iterations=10, gaussian=dict(sxy=3, compat=10),
                bilateral=dict(sxy=80, srgb=13, compat=10)),
    # DeepLab v2 post-processing on VOC
    'deeplab': dict(iterations=10, gaussian=dict(sxy=1, compat=3),
                    bilateral=dict(sxy=67, srgb=3, compat=4)),
    # IRN (Ahn et al. 2019): crf_inference_label() for affinity labels
    'irn': dict(iterations=10, gaussian=dict(sxy=3, compat=3),
                bilateral=dict(sxy=50, srgb=5, compat=10)),
}


def dense_crf(img: np.ndarray,
              probs: np.ndarray,
              iterations: int = 10,
              gaussian: Optional[dict] = None,
              bilateral: Optional[dict] = None,
              scale_factor: float = 1.0,
              eps: float = 1e-5) -> np.ndarray:
    """Mean-field inference of a dense CRF with unary ``-log p``.

    Energy ``E(x) = sum_i -log p_i(x_i) + sum_{i<j} mu(x_i, x_j) k(f_i, f_j)``
    with a Gaussian (smoothness, ``sxy``) and a bilateral (appearance,
    ``sxy``/``srgb``) kernel, each weighted by its ``compat``.

    Args:
        img: ``HxWx3`` uint8 RGB.
        probs: ``(K, H, W)`` class scores; normalised over K here and clipped
            to ``[eps, 1]`` so that no unary is infinite.
        scale_factor: Divides the spatial ``sxy`` (for down-scaled images).

    Returns:
        np.ndarray: ``(K, H, W)`` float32 marginals (sum to 1 over K).
    """
    import pydensecrf.densecrf as dcrf
    gaussian = dict(sxy=3, compat=3) if gaussian is None else gaussian
    bilateral = dict(sxy=80, srgb=13, compat=10) if bilateral is None \
        else bilateral
    k, h, w = probs.shape
    if img.shape[:2] != (h, w):
        raise ValueError(f'image {img.shape[:2]} and scores {(h, w)} differ '
                         'in size')
    p = np.clip(np.nan_to_num(probs.astype(np.float32), nan=0.0), eps, 1.0)
    p = p / p.sum(0, keepdims=True)
    d = dcrf.DenseCRF2D(w, h, k)
    d.setUnaryEnergy(np.ascontiguousarray(-np.log(p).reshape(k, -1)))
    d.addPairwiseGaussian(
        sxy=gaussian['sxy'] / scale_factor, compat=gaussian['compat'])
    d.addPairwiseBilateral(
        sxy=bilateral['sxy'] / scale_factor, srgb=bilateral['srgb'],
        rgbim=np.ascontiguousarray(img.astype(np.uint8)),
        compat=bilateral['compat'])
    q = d.inference(iterations)
    return np.asarray(q, np.float32).reshape(k, h, w)


def dense_crf_labels(img: np.ndarray,
                     labels: np.ndarray,
                     n_labels: int,
                     gt_prob: float = 0.7,
                     **crf) -> np.ndarray:
    """Dense CRF on a hard labelling (IRN's ``crf_inference_label``): the
    unary of a pixel is ``-log gt_prob`` for its label and ``-log((1 -
    gt_prob) / (n_labels - 1))`` for every other (pydensecrf's
    ``unary_from_labels``); returns the refined ``(H, W)`` int64 labels in
    ``[0, n_labels)``. ``crf``: see :func:`dense_crf`."""
    labels = np.asarray(labels)
    if labels.min(initial=0) < 0 or labels.max(initial=0) >= n_labels:
        raise ValueError(f'labels must be in [0, {n_labels})')
    if n_labels == 1:
        return np.zeros(labels.shape, np.int64)
    if not 0 < gt_prob < 1:
        raise ValueError(f'gt_prob must be in (0, 1), got {gt_prob}')
    probs = np.full((n_labels, *labels.shape), (1 - gt_prob) / (n_labels - 1),
                    np.float32)
    np.put_along_axis(probs, labels[None].astype(np.int64), gt_prob, 0)
    return dense_crf(img, probs, **crf).argmax(0)


@MODELS.register_module()
class DenseCRF(ScoreRefiner):
    """A registered dense-CRF refiner: ``refiner(img, probs) -> probs``.

    Args:
        preset: One of :data:`CRF_PRESETS` (``'psa'``, ``'pmm'``,
            ``'deeplab'``); explicit arguments override it.
        iterations, gaussian, bilateral, scale_factor: See
            :func:`dense_crf`.
    """

    def __init__(self,
                 preset: Optional[str] = 'psa',
                 iterations: Optional[int] = None,
                 gaussian: Optional[dict] = None,
                 bilateral: Optional[dict] = None,
                 scale_factor: float = 1.0) -> None:
        if preset is not None and preset not in CRF_PRESETS:
            raise KeyError(f'unknown CRF preset {preset!r}; choose from '
                           f'{sorted(CRF_PRESETS)}')
        cfg = copy.deepcopy(CRF_PRESETS[preset]) if preset else dict(
            iterations=10, gaussian=dict(sxy=3, compat=3),
            bilateral=dict(sxy=80, srgb=13, compat=10))
        if iterations is not None:
            cfg['iterations'] = iterations
        if gaussian is not None:
            cfg['gaussian'].update(gaussian)
        if bilateral is not None:
            cfg['bilateral'].update(bilateral)
        self.cfg = cfg
        self.scale_factor = scale_factor

    def __call__(self, img: np.ndarray, probs: np.ndarray) -> np.ndarray:
        return dense_crf(img, probs, scale_factor=self.scale_factor,
                         **self.cfg)

    def __repr__(self) -> str:
        return f'DenseCRF({self.cfg})'
