"""CAM files: one compressed ``.npz`` per image.

Fields:
    ``cams``  ``(K, H, W)`` float16, the normalised CAMs of the K classes kept
              (present in the image labels, or predicted), at image size;
    ``keys``  ``(K,)`` int16, their foreground indices (class id - 1);
    ``scores`` ``(C_fg,)`` float16, the class probabilities.

Only present classes are stored, so a VOC train_aug set takes ~1 GB instead
of ~20 GB. Files are written atomically (see :mod:`mmwsss.utils.io`).
"""
from __future__ import annotations

import io
import os.path as osp
from typing import Dict, Optional

import numpy as np

from .io import atomic_write_bytes


def save_cam_file(path: str, cams: np.ndarray, keys: np.ndarray,
                  scores: np.ndarray) -> None:
    cams = np.asarray(cams)
    keys = np.asarray(keys).reshape(-1)
    if cams.ndim != 3 or cams.shape[0] != keys.shape[0]:
        raise ValueError(f'{path}: cams {cams.shape} and keys {keys.shape} '
                         'do not match')
    if not np.isfinite(cams).all():
        raise ValueError(f'{path}: CAMs contain NaN or inf')
    buf = io.BytesIO()
    np.savez_compressed(
        buf, cams=cams.astype(np.float16), keys=keys.astype(np.int16),
        scores=np.asarray(scores, np.float16))
    atomic_write_bytes(path, buf.getvalue())


def load_cam_file(path: str,
                  num_fg: Optional[int] = None) -> Dict[str, np.ndarray]:
    """Load a CAM file; a missing, unreadable or inconsistent file raises an
    error naming it.

    The class keys must be distinct, one per map, and (with ``num_fg``, the
    dataset's foreground classes) in ``[0, num_fg)``: a key out of range
    would otherwise become an invalid label id.
    """
    if not osp.isfile(path):
        raise FileNotFoundError(f'CAM file not found: {path}')
    try:
        with np.load(path) as f:
            rec = dict(cams=f['cams'].astype(np.float32),
                       keys=f['keys'].astype(np.int64),
                       scores=f['scores'].astype(np.float32))
    except Exception as e:
        raise OSError(f'cannot read CAM file {path}: {e}') from e
    keys, cams = rec['keys'], rec['cams']
    if cams.ndim != 3 or keys.ndim != 1 or len(keys) != len(cams):
        raise ValueError(f'{path}: {len(keys)} class keys for CAMs of shape '
                         f'{cams.shape} (expected (K, H, W) and K keys)')
    if len(set(keys.tolist())) != len(keys) or (keys < 0).any() or (
            num_fg is not None and (keys >= num_fg).any()):
        raise ValueError(f'{path}: class keys {keys.tolist()} must be '
                         'distinct foreground indices in [0, '
                         f'{num_fg if num_fg is not None else "C_fg"})')
    return rec


def dense_cams(record: Dict[str, np.ndarray], num_fg: int) -> np.ndarray:
    """``(num_fg, H, W)`` float32 with zeros for the classes not stored."""
    cams = record['cams']
    out = np.zeros((num_fg, ) + cams.shape[1:], np.float32)
    out[record['keys']] = cams
    return out
