"""Image-level classification mAP: mmpretrain's ``AveragePrecision``."""
from __future__ import annotations

from typing import Optional, Sequence

from mmpretrain.evaluation import AveragePrecision
from mmseg.registry import METRICS


@METRICS.register_module()
class MultiLabelMAPMetric(AveragePrecision):
    """mmpretrain's :class:`~mmpretrain.evaluation.AveragePrecision` (macro
    mAP in %, AP per class as the area under the stepwise precision-recall
    curve) on the image-level scores of an mmseg data sample.

    Kept only to read mmwsss's field names: ``pred_img_scores`` (set by the
    mmwsss segmentors) and ``gt_img_labels`` (set by ``PackWSSSInputs``)
    instead of mmpretrain's ``pred_score`` / ``gt_score``. As in mmpretrain,
    a class without a positive image scores AP 0.
    """
    default_prefix: Optional[str] = 'cls'

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        renamed = []
        for sample in data_samples:
            if 'pred_img_scores' not in sample or \
                    'gt_img_labels' not in sample:
                raise KeyError(
                    'MultiLabelMAPMetric needs pred_img_scores and '
                    'gt_img_labels in each sample '
                    f'({sample.get("img_path")})')
            renamed.append(
                dict(pred_score=sample['pred_img_scores'].float().cpu(),
                     gt_score=sample['gt_img_labels'].float().cpu()))
        super().process(data_batch, renamed)
