"""The three kinds of refiner, by what they map.

- :class:`ScoreRefiner`: ``(img HxWx3 uint8, scores (K, H, W)) -> (K, H,
  W)`` class scores, background first. E.g. DenseCRF, PAMR,
  AffinityRandomWalk.
- :class:`CAMTransform`: ``(cams (K, H, W)) -> (K, H, W)`` normalised
  foreground CAMs, before a background is added. E.g. CVS.
- :class:`LabelGenerator`: ``(img, cams (K, H, W), keys (K,)) -> (H, W)``
  uint8 label map (class ids), replaces the threshold rule. E.g. PPMG,
  PSAAffinityLabels, IRNAffinityLabels.

:func:`~mmwsss.apis.pseudo_label_from_cams` runs them in this order:
CAM transforms, background score, score refiners, argmax; or a label
generator alone. Its ``refiners``, ``cam_transforms`` and ``generator``
arguments check the kind (:func:`check_kind`), so a refiner put in the
wrong slot fails with a message naming the slot. Every refiner is built
from mmseg's ``MODELS`` registry.
"""
from __future__ import annotations

from abc import ABCMeta, abstractmethod

import numpy as np


class ScoreRefiner(metaclass=ABCMeta):
    """``(img, scores) -> scores``: refine class scores with the image."""

    kind = 'score refiner'

    @abstractmethod
    def __call__(self, img: np.ndarray, scores: np.ndarray) -> np.ndarray:
        """``img``: ``HxWx3`` uint8 RGB; ``scores``: ``(K, H, W)``."""


class CAMTransform(metaclass=ABCMeta):
    """``(cams) -> cams``: reshape normalised foreground CAMs."""

    kind = 'CAM transform'

    @abstractmethod
    def __call__(self, cams: np.ndarray) -> np.ndarray:
        """``cams``: ``(K, H, W)`` in [0, 1]."""


class LabelGenerator(metaclass=ABCMeta):
    """``(img, cams, keys) -> labels``: a whole CAM-to-label rule."""

    kind = 'label generator'

    @abstractmethod
    def __call__(self, img: np.ndarray, cams: np.ndarray,
                 keys: np.ndarray) -> np.ndarray:
        """``keys``: ``(K,)`` foreground indices (class id - 1) of the
        maps; returns ``(H, W)`` uint8 class ids."""


def check_kind(obj, kind: type, field: str):
    """Return ``obj`` if it is a ``kind``; else raise a TypeError naming
    ``field``, what ``obj`` is and where it belongs."""
    if isinstance(obj, kind):
        return obj
    what = getattr(obj, 'kind', None)
    hint = f' (a {what})' if what else ''
    raise TypeError(f'{field}: {type(obj).__name__}{hint} is not a '
                    f'{kind.kind}; refiners take score refiners (DenseCRF, '
                    'PAMR, AffinityRandomWalk), cam_transforms take CAM '
                    'transforms (CVS), generator takes a label generator '
                    '(PPMG, PSAAffinityLabels, IRNAffinityLabels)')
