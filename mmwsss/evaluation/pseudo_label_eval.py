"""Evaluate folders of pseudo-labels or CAM files against ground truth."""
from __future__ import annotations

import io
from typing import Callable, Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.utils import ProgressBar

from mmwsss.utils.cam_io import dense_cams, load_cam_file
from mmwsss.utils.io import atomic_write_bytes, read_label_png
from .boundary_f import boundary_counts
from .functional import (cam_threshold_label, confusion_areas, iou_from_areas,
                         threshold_sweep_areas)


def _scan(pairs: Sequence[tuple], load: Callable[[str], np.ndarray],
          visit: Callable[[np.ndarray, np.ndarray, str], None],
          show_progress: bool) -> None:
    """The one evaluation loop: for each ``(path, gt_path)``, ``load(path)``
    (``(..., H, W)``: a label map or CAMs), read the ground truth, check
    the sizes (an error names both files) and ``visit(pred, gt, path)``."""
    bar = ProgressBar(len(pairs)) if show_progress else None
    for path, gt_path in pairs:
        pred = load(path)
        gt = read_label_png(gt_path)
        if pred.shape[-2:] != gt.shape:
            raise ValueError(f'{path} {pred.shape[-2:]} and {gt_path} '
                             f'{gt.shape} differ in size')
        visit(pred, gt, path)
        if bar:
            bar.update()


def check_label_values(labels: np.ndarray, num_classes: int, path: str,
                       ignore_index: int = 255) -> None:
    """Raise a ValueError naming ``path`` if a label is neither a class id
    (< ``num_classes``) nor ``ignore_index``."""
    out_of_range = (labels >= num_classes) & (labels != ignore_index)
    bad = np.unique(labels[out_of_range])
    if bad.size:
        raise ValueError(f'{path}: label values {bad[:8].tolist()} are not '
                         f'class ids (0-{num_classes - 1}) nor ignore '
                         f'({ignore_index})')


def _load_cams(num_fg: int) -> Callable[[str], np.ndarray]:
    return lambda path: dense_cams(load_cam_file(path, num_fg), num_fg)


def eval_label_dir(pairs: Sequence[tuple], num_classes: int,
                   ignore_index: int = 255,
                   show_progress: bool = True,
                   contours: Optional[np.ndarray] = None) -> np.ndarray:
    """Summed ``(4, C)`` areas of predicted PNGs vs ground-truth PNGs.

    Args:
        pairs: ``(pred_path, gt_path)``; a missing prediction is an error
            naming the file.
        contours: A ``(4, C)`` int64 array to which the boundary counts
            (:func:`~mmwsss.evaluation.boundary_f.boundary_counts`, for
            contour F) are added, if given.
    """
    areas = np.zeros((4, num_classes), np.int64)

    def visit(pred, gt, path):
        check_label_values(pred, num_classes, path, ignore_index)
        areas[...] += confusion_areas(
            torch.from_numpy(pred.astype(np.int64)),
            torch.from_numpy(gt.astype(np.int64)), num_classes,
            ignore_index).numpy()
        if contours is not None:
            contours[...] += boundary_counts(pred, gt, num_classes,
                                             ignore_index)

    _scan(pairs, read_label_png, visit, show_progress)
    return areas


def cam_dir_boundary_counts(pairs: Sequence[tuple], num_classes: int,
                            threshold: float, ignore_index: int = 255,
                            show_progress: bool = True) -> np.ndarray:
    """Summed ``(4, C)`` boundary counts of CAM files thresholded at
    ``threshold`` (the rule of :func:`eval_cam_dir`), for contour F."""
    out = np.zeros((4, num_classes), np.int64)

    def visit(cams, gt, path):
        pred = cam_threshold_label(torch.from_numpy(cams), threshold).numpy()
        out[...] += boundary_counts(pred, gt, num_classes, ignore_index)

    _scan(pairs, _load_cams(num_classes - 1), visit, show_progress)
    return out


def eval_cam_dir(pairs: Sequence[tuple], num_classes: int,
                 thresholds: Sequence[float], ignore_index: int = 255,
                 show_progress: bool = True) -> np.ndarray:
    """Summed ``(T, 4, C)`` areas of CAM files thresholded at each ``t``."""
    areas = np.zeros((len(thresholds), 4, num_classes), np.int64)

    def visit(cams, gt, path):
        areas[...] += threshold_sweep_areas(
            torch.from_numpy(cams), torch.from_numpy(gt.astype(np.int64)),
            thresholds, num_classes, ignore_index).numpy()

    _scan(pairs, _load_cams(num_classes - 1), visit, show_progress)
    return areas


def sweep_summary(areas: np.ndarray, thresholds: Sequence[float],
                  absent: str = 'nan') -> Dict:
    mious = [float(np.nanmean(iou_from_areas(a, absent)['IoU']) * 100)
             for a in areas]
    best = int(np.nanargmax(mious))
    return dict(thresholds=list(map(float, thresholds)), mIoU=mious,
                best_threshold=float(thresholds[best]), best_mIoU=mious[best],
                best_index=best)


def plot_sweep(summary: Dict, path: str, title: str = '') -> None:
    """Save the mIoU-vs-threshold curve as a PNG (atomically)."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    fig, ax = plt.subplots(figsize=(5, 3.2), dpi=100)
    ax.plot(summary['thresholds'], summary['mIoU'], marker='o', ms=3)
    ax.axvline(summary['best_threshold'], color='grey', ls='--', lw=1)
    ax.set_xlabel('background threshold')
    ax.set_ylabel('mIoU (%)')
    ax.set_title(title or f'best {summary["best_mIoU"]:.1f} at '
                 f't={summary["best_threshold"]:.2f}')
    ax.grid(alpha=0.3)
    fig.tight_layout()
    buf = io.BytesIO()
    fig.savefig(buf, format='png')
    plt.close(fig)
    atomic_write_bytes(path, buf.getvalue())


def format_table(classes: Sequence[str], per_class: Dict[str, List]) -> str:
    """A markdown table of per-class IoU / precision / recall (in %), and
    contour F when ``per_class`` has ``F_per_class``."""
    def fmt(v):
        return '-' if v is None else f'{v:.1f}'
    has_f = 'F_per_class' in per_class
    lines = ['| class | IoU | precision | recall |' + (' F |' if has_f else ''),
             '|---|---|---|---|' + ('---|' if has_f else '')]
    for i, name in enumerate(classes):
        row = (f'| {name} | {fmt(per_class["IoU"][i])} | '
               f'{fmt(per_class["Precision"][i])} | '
               f'{fmt(per_class["Recall"][i])} |')
        if has_f:
            row += f' {fmt(per_class["F_per_class"][i])} |'
        lines.append(row)
    return '\n'.join(lines)
