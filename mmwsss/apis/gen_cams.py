"""Write CAM files for a dataset with a trained CAM classifier."""
from __future__ import annotations

import os.path as osp
from typing import Optional, Tuple

import numpy as np
import torch
from mmengine.dataset import pseudo_collate
from mmengine.utils import ProgressBar

from mmwsss.structures import classes_to_keep
from mmwsss.utils.cam_io import save_cam_file
from mmwsss.utils.dist import rank0_decides
from mmwsss.utils.fingerprint import dataset_fingerprint, model_fingerprint
from mmwsss.utils.io import (check_run_settings, is_complete,
                             mark_run_complete, output_names,
                             read_label_png, save_png)
from .visualize import cam_overlay_panel


def kept_classes(sample, restrict: Optional[str], score_thr: float
                 ) -> np.ndarray:
    """Foreground indices whose CAMs are stored for one predicted sample
    (the same rule as the model's,
    :func:`~mmwsss.structures.classes_to_keep`)."""
    scores = sample.pred_img_scores[None]
    keep = classes_to_keep(restrict, scores, [sample], scores.shape[1],
                           score_thr)
    if keep is None:
        return np.arange(scores.shape[1])
    return np.flatnonzero(keep[0].cpu().numpy())


def generate_cams(model,
                  dataset,
                  out_dir: str,
                  shard: Tuple[int, int] = (0, 1),
                  overlay_dir: Optional[str] = None,
                  num_overlays: int = 0,
                  show_progress: bool = True,
                  on_change: str = 'error') -> dict:
    """One CAM file (:mod:`mmwsss.utils.cam_io`) per image of ``dataset``.

    Images whose file is complete are skipped, so an interrupted run resumes.
    The run record ``OUT_DIR/settings.json``
    (:func:`~mmwsss.utils.io.check_run_settings`) holds the model's
    :func:`model_fingerprint` and the dataset's
    :func:`dataset_fingerprint` (image files, pipeline): files written by
    another model (or other ``test_cfg``) or for other images are never
    reused — ``on_change='error'`` raises naming the folder,
    ``'recompute'`` deletes the old CAM files and writes new ones. The
    record is marked complete by the shard that finds every CAM file
    written.
    Shard ``(k, n)`` handles images ``k, k+n, k+2n, ...`` (one shard per
    process or rank). The first ``num_overlays`` images of the shard also get
    an overlay PNG in ``overlay_dir`` (with the ground truth beside it where
    the dataset has a mask: for people to look at, never used otherwise).

    Returns:
        dict: ``written`` and ``skipped`` counts, ``complete`` (every shard
        done).
    """
    rank, world = shard
    # every rank checks the whole dataset: one name per image
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    names = output_names([info['img_path'] for info in infos])
    indices = list(range(rank, len(dataset), world))
    model.eval()
    settings = dict(model=model_fingerprint(model),
                    data=dataset_fingerprint(dataset))
    # with several ranks, rank 0 alone may delete old files (recompute)
    reuse = rank0_decides(lambda: check_run_settings(
        out_dir, settings, on_change, suffix='.npz'))
    meta = dataset.metainfo
    restrict = model.test_cfg.get('restrict')
    score_thr = model.test_cfg.get('score_thr', 0.5)
    bar = None
    if show_progress:
        bar = ProgressBar(len(indices))
    written = skipped = 0
    for n, idx in enumerate(indices):
        info, name = infos[idx], names[idx]
        path = osp.join(out_dir, name + '.npz')
        want_overlay = overlay_dir is not None and n < num_overlays
        done = reuse and is_complete(path)
        if done and not want_overlay:
            skipped += 1
            if bar:
                bar.update()
            continue
        item = dataset[idx]
        with torch.no_grad():
            sample = model.test_step(pseudo_collate([item]))[0]
        cams = sample.seg_logits.data[1:].float().cpu().numpy()
        keys = kept_classes(sample, restrict, score_thr)
        if not done:
            save_cam_file(path, cams[keys], keys,
                          sample.pred_img_scores.cpu().numpy())
            written += 1
        else:
            skipped += 1
        if want_overlay:
            rgb = item['inputs'].numpy()[::-1].transpose(1, 2, 0)
            seg = info.get('seg_map_path')
            gt = read_label_png(seg) if seg and osp.isfile(seg) else None
            panel = cam_overlay_panel(
                np.ascontiguousarray(rgb), cams, meta['classes'],
                meta['palette'], pred=sample.pred_sem_seg.data[0].cpu().numpy(),
                gt=gt, classes=keys)
            save_png(osp.join(overlay_dir, name + '.png'), panel)
        if bar:
            bar.update()
    complete = mark_run_complete(
        out_dir, settings, [osp.join(out_dir, n + '.npz') for n in names])
    return dict(written=written, skipped=skipped, complete=complete)
