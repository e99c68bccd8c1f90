"""CAM quality: mIoU at the best background threshold of a sweep."""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger, print_log
from mmseg.registry import METRICS

from ..functional import iou_from_areas, threshold_sweep_areas
from ..pseudo_label_eval import plot_sweep


@METRICS.register_module()
class CAMIoUMetric(BaseMetric):
    """mIoU of thresholded CAMs, swept over background thresholds.

    Takes the foreground channels of ``seg_logits`` (normalised CAMs, as
    :class:`~mmwsss.models.CAMClassifier` predicts them; the background
    channel is ignored) and, for each threshold ``t``, labels a pixel with
    its best class if that CAM exceeds ``t``, else background. Areas are
    accumulated over the whole split (ignore 255) and the mIoU over the
    ``C + 1`` classes is reported at the best threshold.

    Args:
        thresholds: Background thresholds to try; default 0.05, 0.10, ...,
            0.95.
        absent: Score of a class absent from both prediction and ground
            truth: ``'nan'`` (mmseg's NaN-skip) or ``'zero'`` (psa/IRN).
        ignore_index: Ignored label.
        plot_path: If given, the mIoU-vs-threshold curve is saved there
            (PNG) at every evaluation.
    """
    default_prefix: Optional[str] = 'cam'

    def __init__(self,
                 thresholds: Optional[Sequence[float]] = None,
                 absent: str = 'nan',
                 ignore_index: int = 255,
                 plot_path: Optional[str] = None,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if thresholds is None:
            thresholds = np.round(np.arange(0.05, 0.96, 0.05), 2).tolist()
        self.thresholds = [float(t) for t in thresholds]
        if absent not in ('nan', 'zero'):
            raise ValueError(f"absent must be 'nan' or 'zero', got {absent!r}")
        self.absent = absent
        self.ignore_index = ignore_index
        self.plot_path = plot_path

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        num_classes = len(self.dataset_meta['classes'])
        for sample in data_samples:
            cams = sample['seg_logits']['data'][1:].float()
            gt = sample['gt_sem_seg']['data'].squeeze(0).to(cams.device)
            if cams.shape[0] != num_classes - 1:
                raise ValueError(
                    f'the prediction has {cams.shape[0] + 1} classes, the '
                    f'dataset {num_classes}')
            self.results.append(
                threshold_sweep_areas(cams, gt, self.thresholds, num_classes,
                                      self.ignore_index).cpu())

    def compute_metrics(self, results: List) -> Dict[str, float]:
        areas = torch.stack(results).sum(0).numpy()  # (T, 4, C)
        mious = []
        for t_areas in areas:
            iou = iou_from_areas(t_areas, self.absent)['IoU']
            mious.append(float(np.nanmean(iou)))
        best = int(np.nanargmax(mious))
        at_best = iou_from_areas(areas[best], self.absent)
        if self.plot_path:
            plot_sweep(dict(thresholds=self.thresholds,
                            mIoU=[m * 100 for m in mious],
                            best_threshold=self.thresholds[best],
                            best_mIoU=mious[best] * 100), self.plot_path)
        print_log(
            'CAM mIoU by background threshold: ' + ', '.join(
                f'{t:.2f}:{m * 100:.1f}'
                for t, m in zip(self.thresholds, mious)),
            logger=MMLogger.get_current_instance())
        return dict(
            mIoU=round(mious[best] * 100, 2),
            mPrecision=round(float(np.nanmean(at_best['Precision'])) * 100,
                             2),
            mRecall=round(float(np.nanmean(at_best['Recall'])) * 100, 2),
            best_bg_threshold=self.thresholds[best])
