"""Image-level classification mAP."""
from __future__ import annotations

from typing import Dict, List, Optional, Sequence

import numpy as np
from mmengine.evaluator import BaseMetric
from mmengine.logging import MMLogger, print_log
from mmseg.registry import METRICS

from ..functional import mean_average_precision


@METRICS.register_module()
class MultiLabelMAPMetric(BaseMetric):
    """Mean average precision of the image-level class scores.

    Reads ``pred_img_scores`` (set by :class:`~mmwsss.models.CAMClassifier`)
    and ``gt_img_labels`` of every sample; AP per class as in
    :func:`~mmwsss.evaluation.functional.average_precision`, averaged over
    the classes with at least one positive image.
    """
    default_prefix: Optional[str] = 'cls'

    def __init__(self, collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)

    def process(self, data_batch: dict, data_samples: Sequence[dict]) -> None:
        for sample in data_samples:
            if 'pred_img_scores' not in sample or \
                    'gt_img_labels' not in sample:
                raise KeyError(
                    'MultiLabelMAPMetric needs pred_img_scores and '
                    'gt_img_labels in each sample '
                    f'({sample.get("img_path")})')
            self.results.append(
                (sample['pred_img_scores'].float().cpu().numpy(),
                 sample['gt_img_labels'].float().cpu().numpy()))

    def compute_metrics(self, results: List) -> Dict[str, float]:
        scores = np.stack([r[0] for r in results])
        labels = np.stack([r[1] for r in results])
        m_ap, aps = mean_average_precision(scores, labels)
        classes = self.dataset_meta.get('classes') if self.dataset_meta \
            else None
        names = list(classes[1:]) if classes else [
            str(i) for i in range(len(aps))
        ]
        print_log(
            'per-class AP: ' + ', '.join(
                f'{n}={a * 100:.1f}' for n, a in zip(names, aps)),
            logger=MMLogger.get_current_instance())
        return dict(mAP=round(m_ap * 100, 2))
