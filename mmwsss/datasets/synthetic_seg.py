"""The embedded default for the final (fully supervised) stage."""
from __future__ import annotations

from mmseg.datasets import BaseSegDataset
from mmseg.registry import DATASETS

from .synthetic import SYNTHETIC_CLASSES, SYNTHETIC_PALETTE


@DATASETS.register_module()
class SyntheticSegDataset(BaseSegDataset):
    """The synthetic dataset as a plain mmseg segmentation dataset: images
    and a label-PNG folder (GT masks or any pseudo-label folder), no
    image-level labels.

    Only the class metadata is added to mmseg's :class:`BaseSegDataset`.
    mmseg's analysis tools (``browse_dataset.py``,
    ``confusion_matrix.py``) read the class attribute ``METAINFO``, which
    :class:`BaseSegDataset` leaves empty.
    """
    METAINFO = dict(
        classes=SYNTHETIC_CLASSES,
        palette=[list(c) for c in SYNTHETIC_PALETTE])

    def __init__(self, **kwargs) -> None:
        kwargs.setdefault(
            'data_prefix',
            dict(img_path='JPEGImages', seg_map_path='SegmentationClass'))
        super().__init__(**kwargs)  # .jpg images, .png labels (defaults)
