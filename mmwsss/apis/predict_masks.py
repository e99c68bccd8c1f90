"""A trained segmentation model -> new pseudo-masks for its training split.

Used by the cyclic pseudo-mask update of PMM (Li et al., ICCV 2021, §3.5):
:class:`~mmwsss.engine.CyclicPseudoMaskHook` inside a run, and
``tools/predict_pseudo_labels.py`` between runs.
"""
from __future__ import annotations

import os.path as osp
from typing import Dict, List, Optional, Sequence

import numpy as np
import torch
from mmcv.transforms import Compose
from mmengine.dist import all_gather_object, is_distributed
from mmengine.utils import ProgressBar
from mmseg.registry import MODELS
from torch import Tensor

from mmwsss.models.utils.tta import multi_scale_flip
from mmwsss.utils.dist import rank0_decides
from mmwsss.utils.fingerprint import files_fingerprint, model_fingerprint
from mmwsss.utils.image_check import read_image
from mmwsss.utils.io import (check_run_settings, is_complete,
                             mark_run_complete, normalise_settings,
                             read_run_record, save_png)


@torch.no_grad()
def predict_probs(model, inputs: Tensor, scales: Sequence[float] = (1.0, ),
                  flip: bool = True) -> Tensor:
    """Softmax probabilities averaged over scales and flips.

    ``inputs`` are pre-processed ``(N, 3, H, W)``; each scale resizes them
    (bilinear), runs ``model.inference`` (the model's own whole/slide
    ``test_cfg``), and the probabilities are resized back to ``H x W``.

    Returns:
        Tensor: ``(N, C, H, W)`` probabilities (sum 1 over C).
    """
    def forward(view: Tensor) -> Tensor:
        shape = tuple(view.shape[2:])
        metas = [dict(img_shape=shape, ori_shape=shape, pad_shape=shape,
                      padding_size=[0, 0, 0, 0])
                 for _ in range(view.shape[0])]
        return model.inference(view, metas)

    total, count = None, 0
    for views in multi_scale_flip(forward, inputs, scales, flip,
                                  batch_flip=False, unflip_first=True):
        for logits, _ in views:
            prob = logits.softmax(1)
            total = prob if total is None else total + prob
            count += 1
    return total / count


def seg_map_target(info: dict, out_dir: str, seg_prefix: str) -> str:
    """Where the new mask of a dataset item goes: its annotation path
    relative to the dataset's annotation folder, under ``out_dir``."""
    seg = info.get('seg_map_path')
    if seg and seg_prefix and osp.abspath(seg).startswith(
            osp.abspath(seg_prefix) + osp.sep):
        rel = osp.relpath(seg, seg_prefix)
    elif seg:
        rel = osp.basename(seg)
    else:
        rel = osp.splitext(osp.basename(info['img_path']))[0] + '.png'
    return osp.join(out_dir, rel)


def relabel_items(dataset, out_dir: str) -> List[Dict[str, str]]:
    """``dict(img_path, out_path)`` per item of ``dataset``, each new mask
    at :func:`seg_map_target` under ``out_dir`` (item order kept)."""
    dataset.full_init()
    prefix = dataset.data_prefix.get('seg_map_path', '')
    items = []
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        items.append(dict(img_path=info['img_path'],
                          out_path=seg_map_target(info, out_dir, prefix)))
    return items


def _decide(out_dir: str, settings: dict, on_change: str,
            reuse_complete: bool) -> Optional[bool]:
    """None: keep the complete folder as it is; else whether finished
    masks may be reused (:func:`~mmwsss.utils.io.check_run_settings`)."""
    record = read_run_record(out_dir) if osp.isdir(out_dir) else None
    if reuse_complete and record and record['complete'] and all(
            record['settings'].get(k) == v
            for k, v in normalise_settings(settings).items() if k != 'model'):
        return None
    return check_run_settings(out_dir, settings, on_change, suffix='.png')


def _decide_on_rank0(out_dir: str, settings: dict, on_change: str,
                     reuse_complete: bool) -> Optional[bool]:
    """:func:`_decide` by rank 0 alone (:func:`~mmwsss.utils.dist.
    rank0_decides`), after checking that every rank holds the same
    model."""
    prints = all_gather_object(settings['model'])
    if len(set(prints)) != 1:
        raise RuntimeError(
            f'ranks hold different models ({len(set(prints))} fingerprints; '
            'e.g. per-rank BatchNorm statistics): their masks in '
            f'{out_dir} would come from different models; synchronise the '
            "buffers first (dict(type='BufferSyncHook') in default_hooks)")
    return rank0_decides(
        lambda: _decide(out_dir, settings, on_change, reuse_complete))


def predict_pseudo_masks(model,
                         items: List[Dict[str, str]],
                         palette: Sequence[Sequence[int]],
                         scales: Sequence[float] = (1.0, ),
                         flip: bool = True,
                         crf: Optional[dict] = None,
                         rank: int = 0,
                         world_size: int = 1,
                         show_progress: bool = True,
                         out_dir: Optional[str] = None,
                         on_change: str = 'error',
                         reuse_complete: bool = False) -> int:
    """Predict and write one label PNG per item (this rank's shard).

    Each item is ``dict(img_path, out_path)``. Items ``rank::world_size`` are
    this process's; finished files are skipped (resumable) and every file is
    written atomically (temp file + rename), so a dataloader never reads a
    half-written mask. Every pixel gets the argmax class (no ignore).

    With ``out_dir`` (the folder holding the ``out_path`` files), the model
    (:func:`~mmwsss.utils.model_fingerprint`), scales, flip, CRF and the
    images (:func:`~mmwsss.utils.fingerprint.files_fingerprint`) are
    recorded in ``OUT_DIR/settings.json`` and masks of other settings
    are never reused: ``on_change='error'`` raises naming the fields,
    ``'recompute'`` deletes them and predicts again
    (:func:`~mmwsss.utils.io.check_run_settings`). The rank that finds
    every mask written marks the record complete.

    Args:
        model: An mmseg segmentor (``data_preprocessor`` + ``inference``).
        scales, flip: See :func:`predict_probs`.
        crf: Optional :class:`~mmwsss.models.DenseCRF` config applied to the
            averaged probabilities.
        reuse_complete: Keep a folder whose record is complete and names
            the same settings apart from the model, without predicting
            (a resumed training re-applying a finished round: its masks
            were made by the model of that round, not the resumed one).

    Returns:
        int: Masks written by this rank (skipped ones not counted).
    """
    pipeline = Compose([dict(type='LoadVerifiedImageFromFile'),
                        dict(type='PackSegInputs')])
    refiner = MODELS.build(crf) if crf else None
    mine = items[rank::world_size]
    reuse = True
    if out_dir is not None:
        settings = dict(model=model_fingerprint(model),
                        scales=[float(v) for v in scales], flip=bool(flip),
                        crf=crf,
                        images=files_fingerprint(
                            [it['img_path'] for it in items]))
        if world_size > 1 and is_distributed():
            reuse = _decide_on_rank0(out_dir, settings, on_change,
                                     reuse_complete)
        else:
            reuse = _decide(out_dir, settings, on_change, reuse_complete)
        if reuse is None:
            return 0
    bar = ProgressBar(len(mine)) if show_progress else None
    was_training = model.training
    model.eval()
    written = 0
    try:
        for item in mine:
            if not (reuse and is_complete(item['out_path'])):
                data = pipeline(dict(img_path=item['img_path']))
                batch = model.data_preprocessor(
                    dict(inputs=[data['inputs']],
                         data_samples=[data['data_samples']]), False)
                probs = predict_probs(model, batch['inputs'], scales, flip)
                probs = probs[0].float().cpu().numpy()
                if refiner is not None:
                    img = read_image(item['img_path'])
                    probs = refiner(img, probs)
                if not np.isfinite(probs).all():
                    raise FloatingPointError(
                        f'non-finite probabilities for {item["img_path"]}')
                save_png(item['out_path'], probs.argmax(0).astype(np.uint8),
                         palette)
                written += 1
            if bar:
                bar.update()
    finally:
        model.train(was_training)
    if out_dir is not None:
        mark_run_complete(out_dir, settings,
                          [it['out_path'] for it in items])
    return written
