"""mIoU with per-class precision and recall, under a stated convention."""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger, print_log
from mmseg.registry import METRICS

from ..functional import confusion_areas, iou_from_areas


@METRICS.register_module()
class IoUPRMetric(BaseMetric):
    """mIoU, mPrecision and mRecall of ``pred_sem_seg`` over C+1 classes.

    Areas are accumulated over the whole split (``ignore_index`` left out).
    Per-class IoU, precision and recall are logged as a table (as in the
    pixel-level self-supervision paper's Table 2).

    Args:
        absent: ``'nan'`` (mmseg's convention: a class absent from both
            prediction and ground truth is left out of the mean) or ``'zero'``
            (psa/IRN reference code: it counts as 0).
    """
    default_prefix: Optional[str] = 'seg'

    def __init__(self, absent: str = 'nan', ignore_index: int = 255,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if absent not in ('nan', 'zero'):
            raise ValueError(f"absent must be 'nan' or 'zero', got {absent!r}")
        self.absent = absent
        self.ignore_index = ignore_index

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        num_classes = len(self.dataset_meta['classes'])
        for s in data_samples:
            pred = s['pred_sem_seg']['data'].squeeze(0)
            gt = s['gt_sem_seg']['data'].squeeze(0).to(pred.device)
            self.results.append(
                confusion_areas(pred, gt, num_classes,
                                self.ignore_index).cpu())

    def compute_metrics(self, results: List) -> Dict[str, float]:
        areas = torch.stack(results).sum(0).numpy()
        m = iou_from_areas(areas, self.absent)
        classes = self.dataset_meta['classes']
        rows = ['class      IoU   Prec  Recall'] + [
            f'{c[:10]:<10} {m["IoU"][i] * 100:5.1f} '
            f'{m["Precision"][i] * 100:5.1f} {m["Recall"][i] * 100:5.1f}'
            for i, c in enumerate(classes)
        ]
        print_log('\n' + '\n'.join(rows) + f'\n(absent classes: '
                  f'{self.absent})', logger=MMLogger.get_current_instance())
        return dict(
            mIoU=round(float(np.nanmean(m['IoU'])) * 100, 2),
            mPrecision=round(float(np.nanmean(m['Precision'])) * 100, 2),
            mRecall=round(float(np.nanmean(m['Recall'])) * 100, 2))
