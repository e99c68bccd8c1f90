"""Contour F and J&F beside mIoU (HFPL, Jonnarth et al., WACV 2024)."""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmseg.registry import METRICS

from ..boundary_f import (boundary_counts, boundary_f_from_counts,
                          boundary_tolerance)
from ..functional import confusion_areas, iou_from_areas


@METRICS.register_module()
class BoundaryFMetric(BaseMetric):
    """J (mIoU over C+1 classes), contour F and J&F = (J + F) / 2.

    F is the DAVIS boundary F-measure: 1-px boundaries per class, matched
    within ``ceil(0.008 x image diagonal)`` pixels, counts accumulated over
    the split per class, F averaged over the foreground classes that occur
    (:mod:`mmwsss.evaluation.boundary_f`). GT void pixels count as
    background as in HFPL's evaluation (``void='remove'``: DAVIS's void
    handling). Works on ``pred_sem_seg`` of any
    model, or on a pseudo-label folder through ``tools/test.py``-style
    evaluation.
    """
    default_prefix: Optional[str] = 'contour'

    def __init__(self, ignore_index: int = 255, tolerance_ratio: float = 0.008,
                 void: str = 'background',
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        self.ignore_index = ignore_index
        self.tolerance_ratio = tolerance_ratio
        self.void = void

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        num_classes = len(self.dataset_meta['classes'])
        for s in data_samples:
            pred = s['pred_sem_seg']['data'].squeeze(0)
            gt = s['gt_sem_seg']['data'].squeeze(0).to(pred.device)
            areas = confusion_areas(pred, gt, num_classes,
                                    self.ignore_index).cpu().numpy()
            p, g = pred.cpu().numpy(), gt.cpu().numpy()
            tol = boundary_tolerance(g.shape, self.tolerance_ratio)
            counts = boundary_counts(p, g, num_classes, self.ignore_index,
                                     tol, self.void)
            self.results.append((areas, counts))

    def compute_metrics(self, results: List) -> Dict[str, float]:
        areas = np.sum([r[0] for r in results], axis=0)
        counts = np.sum([r[1] for r in results], axis=0)
        j = float(np.nanmean(iou_from_areas(areas, 'nan')['IoU'])) * 100
        f = boundary_f_from_counts(counts)['F'] * 100
        return dict(J=round(j, 2), F=round(f, 2), JF=round((j + f) / 2, 2))


__all__ = ['BoundaryFMetric']
