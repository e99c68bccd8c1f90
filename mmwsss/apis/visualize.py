"""Images people look at: CAM overlays and label palettes."""
from __future__ import annotations

from typing import Optional, Sequence

import cv2
import numpy as np


def colorize_mask(mask: np.ndarray, palette: Sequence[Sequence[int]]
                  ) -> np.ndarray:
    """``HxW`` label ids -> ``HxWx3`` RGB (255 = ignore drawn white)."""
    lut = np.zeros((256, 3), np.uint8)
    pal = np.asarray(palette, np.uint8).reshape(-1, 3)
    lut[:len(pal)] = pal
    lut[255] = (255, 255, 255)
    return lut[mask.astype(np.uint8)]


def heatmap_overlay(rgb: np.ndarray, cam: np.ndarray,
                    alpha: float = 0.5) -> np.ndarray:
    """Blend a ``[0, 1]`` map, jet-coloured, over an RGB image."""
    cam = np.clip(np.nan_to_num(cam), 0, 1)
    heat = cv2.applyColorMap((cam * 255).astype(np.uint8), cv2.COLORMAP_JET)
    heat = cv2.cvtColor(heat, cv2.COLOR_BGR2RGB)
    return (rgb.astype(np.float32) * (1 - alpha) +
            heat.astype(np.float32) * alpha).astype(np.uint8)


def _caption(img: np.ndarray, text: str) -> np.ndarray:
    h, w = img.shape[:2]
    bar = np.full((14, w, 3), 255, np.uint8)
    cv2.putText(bar, text[:max(1, w // 6)], (2, 11), cv2.FONT_HERSHEY_SIMPLEX,
                0.35, (0, 0, 0), 1, cv2.LINE_AA)
    return np.concatenate([bar, img], 0)


def cam_overlay_panel(rgb: np.ndarray,
                      cams: np.ndarray,
                      class_names: Sequence[str],
                      palette: Sequence[Sequence[int]],
                      pred: Optional[np.ndarray] = None,
                      gt: Optional[np.ndarray] = None,
                      classes: Optional[Sequence[int]] = None) -> np.ndarray:
    """One row: image | GT | CAM overlay per class | predicted mask.

    Args:
        rgb: ``HxWx3`` uint8.
        cams: ``(C_fg, H, W)`` normalised CAMs.
        class_names: All class names, background first.
        classes: Foreground indices (0-based) to draw; default those whose
            CAM is non-zero.
    """
    if classes is None:
        classes = [c for c in range(cams.shape[0]) if cams[c].max() > 0]
    tiles = [_caption(rgb, 'image')]
    if gt is not None:
        tiles.append(_caption(colorize_mask(gt, palette), 'ground truth'))
    for c in classes:
        tiles.append(
            _caption(heatmap_overlay(rgb, cams[c]), class_names[c + 1]))
    if pred is not None:
        tiles.append(_caption(colorize_mask(pred, palette), 'CAM mask'))
    gap = np.full((tiles[0].shape[0], 2, 3), 255, np.uint8)
    row = []
    for t in tiles:
        row += [t, gap]
    return np.concatenate(row[:-1], 1)
