"""Write CAM files for a dataset with a trained CAM classifier."""
from __future__ import annotations

import multiprocessing
import os.path as osp
from concurrent.futures import ThreadPoolExecutor
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


class _Indexed(torch.utils.data.Dataset):
    """``dataset[indices[i]]`` with its position, for a prefetching
    DataLoader over the images still to do."""

    def __init__(self, dataset, indices) -> None:
        self.dataset, self.indices = dataset, list(indices)

    def __len__(self) -> int:
        return len(self.indices)

    def __getitem__(self, i):
        return self.indices[i], self.dataset[self.indices[i]]


def _first(batch):
    return batch[0]


def _size_batches(items, batch_size: int):
    """Group consecutive items of the same input size into lists of at
    most ``batch_size`` (the test preprocessor stacks same-size images
    only)."""
    batch = []
    for idx, item in items:
        if batch and (len(batch) == batch_size or tuple(
                batch[-1][1]['inputs'].shape) != tuple(item['inputs'].shape)):
            yield batch
            batch = []
        batch.append((idx, item))
    if batch:
        yield batch


def generate_cams(model,
                  dataset,
                  out_dir: str,
                  shard: Tuple[int, int] = (0, 1),
                  overlay_dir: Optional[str] = None,
                  num_overlays: int = 0,
                  show_progress: bool = True,
                  on_change: str = 'error',
                  num_workers: Optional[int] = None,
                  batch_size: int = 1) -> dict:
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

    The network is kept busy: ``num_workers`` DataLoader processes load and
    transform the next images while it runs (default: 2 when the model is
    on an accelerator, 0 on the CPU, where workers compete with the network
    for the cores - 0.77x images/s measured on 2 cores, docs/benchmarks.md;
    always 0 inside a daemon process, which may not start workers), up to
    ``batch_size`` consecutive images of the same size go through it
    together (1.23x at 8 on the CPU), and the files are written by a writer
    thread. A failed write is raised here, after the images in flight.

    Returns:
        dict: ``written`` and ``skipped`` counts, ``complete`` (every shard
        done).
    """
    rank, world = shard
    if batch_size < 1:
        raise ValueError(f'batch_size must be >= 1, got {batch_size}')
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
    overlay_ids = set(indices[:num_overlays]) if overlay_dir else set()
    todo = []
    skipped = 0
    for idx in indices:
        path = osp.join(out_dir, names[idx] + '.npz')
        if reuse and is_complete(path) and idx not in overlay_ids:
            skipped += 1
            if bar:
                bar.update()
        else:
            todo.append(idx)
    if num_workers is None:
        device = next(model.parameters()).device
        num_workers = 0 if device.type == 'cpu' else 2
    if multiprocessing.current_process().daemon:
        num_workers = 0
    loader = torch.utils.data.DataLoader(
        _Indexed(dataset, todo), batch_size=1, shuffle=False,
        num_workers=num_workers if len(todo) > 1 else 0, collate_fn=_first)

    def write(idx, item, sample, cams, keys, save):
        name = names[idx]
        if save:
            save_cam_file(osp.join(out_dir, name + '.npz'), cams[keys], keys,
                          sample.pred_img_scores.cpu().numpy())
        if idx in overlay_ids:
            rgb = item['inputs'].numpy()[::-1].transpose(1, 2, 0)
            seg = infos[idx].get('seg_map_path')
            gt = read_label_png(seg) if seg and osp.isfile(seg) else None
            panel = cam_overlay_panel(
                np.ascontiguousarray(rgb), cams, meta['classes'],
                meta['palette'],
                pred=sample.pred_sem_seg.data[0].cpu().numpy(), gt=gt,
                classes=keys)
            save_png(osp.join(overlay_dir, name + '.png'), panel)

    written = 0
    pending = []
    with ThreadPoolExecutor(max_workers=1) as writer:
        for batch in _size_batches(loader, batch_size):
            with torch.no_grad():
                samples = model.test_step(pseudo_collate(
                    [item for _, item in batch]))
            for (idx, item), sample in zip(batch, samples):
                cams = sample.seg_logits.data[1:].float().cpu().numpy()
                keys = kept_classes(sample, restrict, score_thr)
                save = not (reuse and is_complete(
                    osp.join(out_dir, names[idx] + '.npz')))
                written += save
                skipped += not save
                pending.append(writer.submit(write, idx, item, sample, cams,
                                             keys, save))
                if bar:
                    bar.update()
            # surface a failed write early; keep the queue short
            while pending and (pending[0].done() or len(pending) > 8):
                pending.pop(0).result()
        for f in pending:
            f.result()
    complete = mark_run_complete(
        out_dir, settings, [osp.join(out_dir, n + '.npz') for n in names])
    return dict(written=written, skipped=skipped, complete=complete)
