"""PMM's multi-crop CAM inference (Li et al., ICCV 2021, §3.5 / §4.1)."""
from __future__ import annotations

from typing import Dict, List, Optional, Tuple

import torch
import torch.nn.functional as F
from mmseg.models.utils import resize
from mmseg.registry import MODELS
from torch import Tensor

from mmwsss.structures import multi_crop_windows
from .cam_classifier import CAMClassifier


@MODELS.register_module()
class MultiCropCAMClassifier(CAMClassifier):
    """A :class:`CAMClassifier` whose CAMs are averaged over crops.

    Training is the CAM classifier's (the crops of PMM's training come from
    :class:`~mmwsss.datasets.transforms.MultiCropRetag` in the pipeline).
    Inference cuts every scale of the image into crops
    (:meth:`multi_crop_cams`).

    ``test_cfg`` adds to the CAM classifier's: ``mode`` (``'multi_crop'``,
    default, or ``'whole'``: the CAM classifier's multi-scale inference,
    for comparisons), ``crop_size`` (448), ``stride`` (300),
    ``resize_crops`` (True) and ``crop_batch`` (crops per forward pass,
    16). ``scales`` and ``flip`` apply to both modes.
    """

    default_test_cfg = dict(mode='multi_crop', crop_size=448, stride=300,
                            resize_crops=True, crop_batch=16)

    def _check_test_cfg(self) -> None:
        super()._check_test_cfg()
        if self.test_cfg['mode'] not in ('whole', 'multi_crop'):
            raise ValueError('test_cfg.mode must be whole or multi_crop, got '
                             f'{self.test_cfg["mode"]!r}')

    def infer_cams(self, inputs: Tensor) -> Tuple[Tensor, Tensor]:
        """:meth:`multi_crop_cams`, or with ``test_cfg.mode='whole'`` the
        CAM classifier's :meth:`CAMClassifier.infer_cams`."""
        if self.test_cfg['mode'] == 'whole':
            return super().infer_cams(inputs)
        return self.multi_crop_cams(inputs)

    def multi_crop_cams(self, inputs: Tensor) -> Tuple[Tensor, Tensor]:
        """PMM's multi-crop CAMs (Li et al., ICCV 2021, §3.5 / §4.1).

        At each of ``test_cfg.scales`` the input is resized and cut into
        ``crop_size`` windows every ``stride`` pixels
        (:func:`~mmwsss.structures.multi_crop_windows`); with
        ``resize_crops`` (the authors' code) every crop is resized to
        ``crop_size x crop_size`` before the network. Each crop's ReLU'd CAM
        (and its flip's, with ``flip``) is resized onto the crop's footprint
        in the original image, and the maps of all crops of all scales are
        averaged per pixel (sum / count). The class scores are the maximum
        over crops: a class is present when some crop sees it.

        Returns:
            tuple: ``(N, C_fg, H, W)`` CAMs and ``(N, C_fg)`` scores.
        """
        n, _, h, w = inputs.shape
        cfg = self.test_cfg
        crop = int(cfg['crop_size'])
        total = inputs.new_zeros((n, self.num_classes - 1, h, w))
        count = inputs.new_zeros((1, 1, h, w))
        score = None
        per_scale = multi_crop_windows(h, w, cfg['scales'], crop,
                                       int(cfg['stride']), with_scaled=True)
        for scale, windows in zip(cfg['scales'], per_scale):
            sh, sw = max(int(h * scale), 1), max(int(w * scale), 1)
            x = resize(inputs, size=(sh, sw), mode='bilinear',
                       align_corners=self.align_corners)
            patches = []
            for _, (sy1, sy2, sx1, sx2) in windows:
                patch = x[:, :, sy1:sy2, sx1:sx2]
                if cfg['resize_crops'] and patch.shape[2:] != (crop, crop):
                    patch = resize(patch, size=(crop, crop), mode='bilinear',
                                   align_corners=self.align_corners)
                patches.append(patch)
                if cfg['flip']:
                    patches.append(patch.flip(-1))
            raws = self._forward_patches(patches, int(cfg['crop_batch']))
            views = 2 if cfg['flip'] else 1
            for i, (y1, y2, x1, x2) in enumerate(w for w, _ in windows):
                for v in range(views):
                    raw = raws[i * views + v]
                    cam = F.relu(raw.flip(-1) if v == 1 else raw)
                    total[:, :, y1:y2, x1:x2] += resize(
                        cam, size=(y2 - y1, x2 - x1), mode='bilinear',
                        align_corners=self.align_corners)
                    count[:, :, y1:y2, x1:x2] += 1
                    s = self.class_scores(raw)
                    score = s if score is None else torch.maximum(score, s)
        return total / count.clamp(min=1), score

    def _forward_patches(self, patches: List[Tensor],
                         crop_batch: int) -> List[Tensor]:
        """Raw CAMs of ``(N, 3, h, w)`` patches; patches of one size are run
        together, at most ``crop_batch`` images per forward pass."""
        out: List[Optional[Tensor]] = [None] * len(patches)
        groups: Dict[tuple, List[int]] = {}
        for i, p in enumerate(patches):
            groups.setdefault(tuple(p.shape), []).append(i)
        for idx in groups.values():
            n = patches[idx[0]].shape[0]
            per = max(1, crop_batch // n)
            for j in range(0, len(idx), per):
                chunk = idx[j:j + per]
                raw = self._forward(torch.cat([patches[i] for i in chunk]))
                for i, part in zip(chunk, raw.split(n)):
                    out[i] = part
        return out
