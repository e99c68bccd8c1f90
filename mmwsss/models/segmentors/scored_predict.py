"""What the mmwsss segmentors share at inference: masks + image scores."""
from __future__ import annotations

from typing import List, Optional

from mmseg.registry import MODELS
from mmseg.structures import SegDataSample
from mmseg.utils import OptSampleList
from torch import Tensor


def build_backbone(backbone: dict, pretrained: Optional[str] = None):
    """Build ``backbone``; ``pretrained`` (mmseg's ``EncoderDecoder``
    argument, set to None by ``mmseg.apis.init_model``) becomes its
    ``init_cfg``."""
    if pretrained is not None:
        backbone = dict(backbone)
        backbone['init_cfg'] = dict(type='Pretrained', checkpoint=pretrained)
    return MODELS.build(backbone)


def raw_images(inputs: Tensor, data_preprocessor) -> Tensor:
    """Undo the data preprocessor's normalisation: RGB in 0-255 (inputs are
    returned as they are when the preprocessor does not normalise)."""
    mean = getattr(data_preprocessor, 'mean', None)
    std = getattr(data_preprocessor, 'std', None)
    if mean is None or std is None:
        return inputs
    return inputs * std + mean


class ScoredPredictMixin:
    """``encode_decode`` and ``predict`` for a segmentor whose
    ``_seg_logits_and_scores(inputs, data_samples)`` returns ``seg_logits``
    and per-image class scores; the scores go to ``pred_img_scores`` (read
    by :class:`~mmwsss.evaluation.MultiLabelMAPMetric`)."""

    @property
    def out_channels(self) -> int:
        """Channels of ``seg_logits`` (background included), as mmseg's
        ``EncoderDecoder.out_channels``; read by mmseg's TTA models."""
        return self.num_classes

    def extract_feat(self, inputs: Tensor):
        """Backbone, then the neck if the model has one."""
        feats = self.backbone(inputs)
        if self.neck is not None:
            feats = self.neck(feats)
        return feats

    def encode_decode(self, inputs: Tensor, batch_img_metas: List[dict],
                      data_samples: OptSampleList = None) -> Tensor:
        return self._seg_logits_and_scores(inputs, data_samples)[0]

    def predict(self, inputs: Tensor,
                data_samples: OptSampleList = None) -> List[SegDataSample]:
        seg_logits, scores = self._seg_logits_and_scores(inputs, data_samples)
        if data_samples is None:
            shape = inputs.shape[2:]
            data_samples = [
                SegDataSample(metainfo=dict(
                    ori_shape=shape, img_shape=shape, pad_shape=shape,
                    padding_size=[0, 0, 0, 0]))
                for _ in range(inputs.shape[0])
            ]
        results = self.postprocess_result(seg_logits, data_samples)
        for sample, score in zip(results, scores):
            sample.set_data(dict(pred_img_scores=score))
        return results


__all__ = ['build_backbone', 'ScoredPredictMixin', 'raw_images']
