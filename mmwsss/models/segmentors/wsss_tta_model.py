"""Test-time augmentation for the mmwsss segmentors (``--tta``)."""
from __future__ import annotations

from typing import List

import torch
from mmengine.structures import PixelData
from mmseg.models.segmentors import SegTTAModel
from mmseg.registry import MODELS
from mmseg.utils import SampleList


@MODELS.register_module()
class WSSSTTAModel(SegTTAModel):
    """mmseg's :class:`SegTTAModel` for segmentors whose ``seg_logits`` are
    scores in [0, 1] (the CAM classifier's ``[t, M'_1..M'_C]``, the
    single-stage model's masks) and that also predict image-level scores.

    mmseg's version soft-maxes each view's ``seg_logits`` before averaging
    and returns the *last* view's sample for everything else, so a CAM
    metric would read one view's CAMs and the mAP one view's scores. Here,
    per image, the views' ``seg_logits`` are averaged as they are (for CAMs:
    the mean normalised CAM against the constant background threshold),
    ``pred_sem_seg`` is their argmax and ``pred_img_scores`` is the mean over
    the views. Every view is already mapped back to the original image by
    the segmentor's ``postprocess_result`` (flip undone, resized).
    """

    def merge_preds(self, data_samples_list: List[SampleList]) -> SampleList:
        merged = []
        for views in data_samples_list:
            logits = torch.stack([v.seg_logits.data for v in views]).mean(0)
            sample = views[0].clone()
            sample.seg_logits = PixelData(data=logits)
            sample.pred_sem_seg = PixelData(data=logits.argmax(0,
                                                               keepdim=True))
            if 'pred_img_scores' in views[0]:
                sample.pred_img_scores = torch.stack(
                    [v.pred_img_scores for v in views]).mean(0)
            merged.append(sample)
        return merged
