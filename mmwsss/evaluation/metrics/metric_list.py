"""Several metrics as one evaluator entry (what mmseg's tools accept)."""
from __future__ import annotations

import inspect
from typing import Dict, List, Optional, Sequence

from mmengine.evaluator import BaseMetric
from mmseg.registry import METRICS


@METRICS.register_module()
class MetricList(BaseMetric):
    """Runs the ``members`` metrics as one metric and merges their results.

    mmengine accepts a list of metrics as an evaluator, but mmseg's official
    ``tools/test.py --out DIR`` sets ``test_evaluator['output_dir']`` (and
    ``keep_results``) on a single dict. mmwsss configs that report more than
    one metric (image-level mAP + CAM mIoU, mIoU + contour F) therefore use
    ``dict(type='MetricList', members=[...])``.

    ``output_dir`` (prediction PNGs, as mmseg's ``IoUMetric`` writes them:
    ``<image stem>.png`` of ``pred_sem_seg``) goes to the first child whose
    constructor takes one; when none does (e.g. CAM metrics), an ``IoUMetric``
    with ``format_only=True`` is added only to write the files.

    Args:
        members: Metric configs (registered in mmseg's ``METRICS``).
        output_dir: Where to write the predicted masks (optional).
        keep_results: Accepted for mmseg's ``test.py``; ignored, as mmseg's
            ``IoUMetric`` ignores it.
    """

    def __init__(self,
                 members: Sequence[dict],
                 output_dir: Optional[str] = None,
                 keep_results: bool = False,
                 collect_device: str = 'cpu',
                 prefix: Optional[str] = None) -> None:
        super().__init__(collect_device=collect_device, prefix=prefix)
        if not members:
            raise ValueError('MetricList needs at least one member metric')
        configs = [dict(m) for m in members]
        if output_dir is not None:
            writer = next((c for c in configs if 'output_dir' in inspect
                           .signature(METRICS.get(c['type'])).parameters),
                          None)
            if writer is None:
                configs.append(dict(type='IoUMetric', format_only=True))
                writer = configs[-1]
            writer['output_dir'] = output_dir
        self.metrics: List[BaseMetric] = [METRICS.build(c) for c in configs]

    @property
    def dataset_meta(self) -> Optional[dict]:
        return self._dataset_meta

    @dataset_meta.setter
    def dataset_meta(self, dataset_meta: dict) -> None:
        self._dataset_meta = dataset_meta
        for metric in self.metrics:
            metric.dataset_meta = dataset_meta

    def process(self, data_batch, data_samples: Sequence[dict]) -> None:
        for metric in self.metrics:
            metric.process(data_batch, data_samples)

    def compute_metrics(self, results: list) -> dict:
        raise NotImplementedError('MetricList.evaluate merges its metrics')

    def evaluate(self, size: int) -> Dict[str, float]:
        merged: Dict[str, float] = {}
        for metric in self.metrics:
            if getattr(metric, 'format_only', False):
                metric.results.clear()  # only wrote files
                continue
            for name, value in metric.evaluate(size).items():
                if name in merged:
                    raise ValueError(
                        f'two metrics of the MetricList report {name!r}; '
                        'give them different prefixes')
                merged[name] = value
        return merged
