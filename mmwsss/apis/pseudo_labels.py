"""CAMs -> pseudo-label PNGs (optionally refined), in parallel and resumable."""
from __future__ import annotations

import logging
import os.path as osp
from contextlib import contextmanager
from multiprocessing import get_context
from typing import Dict, List, Optional, Sequence, Tuple

import cv2
import numpy as np
import torch
from mmengine.logging import print_log
from mmengine.utils import ProgressBar
from mmseg.registry import MODELS

from mmwsss.evaluation.boundary_f import (boundary_counts,
                                          boundary_f_from_counts)
from mmwsss.evaluation.functional import confusion_areas, iou_from_areas
from mmwsss.functional.cam_ops import cams_to_seg_logits
from mmwsss.models.refiners import (CAMTransform, LabelGenerator,
                                    ScoreRefiner, check_kind)
from mmwsss.utils.cam_io import load_cam_file
from mmwsss.utils.fingerprint import (files_fingerprint, folder_fingerprint,
                                      referenced_file_digests)
from mmwsss.utils.image_check import read_image
from mmwsss.utils.io import (check_run_settings, check_unique_names,
                             is_complete, mark_run_complete, read_label_png,
                             save_png)


def pseudo_label_from_cams(cams: np.ndarray,
                           keys: np.ndarray,
                           img: Optional[np.ndarray] = None,
                           bg_threshold: float = 0.25,
                           bg_alpha: Optional[float] = None,
                           refiners: Sequence = (),
                           cam_transforms: Sequence = (),
                           generator=None) -> np.ndarray:
    """A pseudo-label (VOC ids, ``HxW`` uint8) from the stored CAMs.

    The three refiner kinds are :mod:`mmwsss.models.refiners.base`'s; a
    refiner in the wrong argument is a TypeError naming it.
    With a ``generator`` (e.g. :class:`~mmwsss.models.PPMG`), the label is
    ``generator(img, cams, keys)`` and the rest below does not apply.
    Otherwise each of ``cam_transforms`` (e.g. :class:`~mmwsss.models.CVS`)
    maps the foreground CAMs ``(K, H, W) -> (K, H, W)`` first. The background
    score is ``bg_threshold`` (a constant: the CAM-threshold rule) or, if
    ``bg_alpha`` is given, ``(1 - max_c M'_c)^alpha`` (psa, SEAM):
    :func:`~mmwsss.functional.cams_to_seg_logits`. Each refiner (e.g.
    :class:`~mmwsss.models.DenseCRF`) maps
    ``(img, scores) -> scores``; the label is the argmax. An image without
    any stored class is all background.

    Args:
        cams: ``(K, H, W)`` normalised CAMs of the stored classes.
        keys: ``(K,)`` their foreground indices (class id - 1).
        img: ``HxWx3`` uint8 RGB, needed by refiners.
    """
    keys = np.asarray(keys, np.int64).reshape(-1)
    for i, r in enumerate(refiners):
        check_kind(r, ScoreRefiner, f'refiners[{i}]')
    for i, t in enumerate(cam_transforms):
        check_kind(t, CAMTransform, f'cam_transforms[{i}]')
    if generator is not None:
        check_kind(generator, LabelGenerator, 'generator')
    if cams.shape[0] == 0:
        shape = cams.shape[1:] if cams.ndim == 3 else img.shape[:2]
        return np.zeros(shape, np.uint8)
    cams = np.clip(np.nan_to_num(cams.astype(np.float32)), 0, 1)
    if generator is not None:
        if img is None:
            raise ValueError('the pseudo-label generator needs the image')
        return generator(img, cams, keys)
    for transform in cam_transforms:
        cams = transform(cams)
    scores = cams_to_seg_logits(cams, bg_threshold, bg_alpha)
    for refiner in refiners:
        if img is None:
            raise ValueError('refiners need the image')
        scores = refiner(img, scores)
    ids = np.concatenate([[0], keys + 1]).astype(np.uint8)
    return ids[scores.argmax(0)]


# ---------------------------------------------------------------------------
# the parallel job
# ---------------------------------------------------------------------------
_WORKER: Dict = {}


def _init_worker(settings: dict) -> None:
    cv2.setNumThreads(1)
    torch.set_num_threads(1)
    _WORKER['refiners'] = [MODELS.build(c) for c in settings.get(
        'refiners', [])]
    _WORKER['cam_transforms'] = [MODELS.build(c) for c in settings.get(
        'cam_transforms', [])]
    gen = settings.get('generator')
    _WORKER['generator'] = MODELS.build(gen) if gen else None
    _WORKER['settings'] = settings


def _one(job: Tuple[str, str, str, Optional[str]]):
    img_path, cam_path, out_path, gt_path = job
    settings = _WORKER['settings']
    nonfinite = 0
    if settings.get('reuse', True) and is_complete(out_path):
        label = read_label_png(out_path)
    else:
        rec = load_cam_file(cam_path, settings['num_classes'] - 1)
        nonfinite = int((~np.isfinite(rec['cams'])).sum())
        img = None
        if _WORKER['refiners'] or _WORKER['generator'] is not None:
            img = read_image(img_path)
            if img.shape[:2] != rec['cams'].shape[1:]:
                raise ValueError(
                    f'{cam_path}: CAMs of size {rec["cams"].shape[1:]} for '
                    f'an image of size {img.shape[:2]} ({img_path}); the '
                    'CAM files were made for other images')
        label = pseudo_label_from_cams(
            rec['cams'], rec['keys'], img,
            bg_threshold=settings.get('bg_threshold', 0.25),
            bg_alpha=settings.get('bg_alpha'),
            refiners=_WORKER['refiners'],
            cam_transforms=_WORKER['cam_transforms'],
            generator=_WORKER['generator'])
        save_png(out_path, label, settings['palette'])
    hist = np.bincount(label.reshape(-1), minlength=256)
    areas = bcounts = None
    if gt_path is not None:
        gt = read_label_png(gt_path)
        if gt.shape != label.shape:
            raise ValueError(f'{out_path}: pseudo-label {label.shape} and '
                             f'ground truth {gt.shape} ({gt_path}) differ')
        areas = confusion_areas(torch.from_numpy(label.astype(np.int64)),
                                torch.from_numpy(gt.astype(np.int64)),
                                settings['num_classes']).numpy()
        bcounts = boundary_counts(label, gt, settings['num_classes'])
    return hist, areas, bcounts, nonfinite


@contextmanager
def _label_workers(nproc: int, settings: dict):
    """``run(fn, jobs)`` -> results in job order: a pool of ``nproc`` spawned
    workers, or this process when ``nproc <= 1`` (same initialiser)."""
    if nproc > 1:
        with get_context('spawn').Pool(nproc, _init_worker,
                                       (settings, )) as pool:
            yield lambda fn, jobs: pool.imap(fn, jobs, chunksize=4)
    else:
        _init_worker(settings)
        yield map


def make_pseudo_labels(items: List[dict],
                       out_dir: str,
                       num_classes: int,
                       palette: Sequence[Sequence[int]],
                       bg_threshold: float = 0.25,
                       bg_alpha: Optional[float] = None,
                       refiners: Sequence[dict] = (),
                       cam_transforms: Sequence[dict] = (),
                       generator: Optional[dict] = None,
                       nproc: int = 1,
                       show_progress: bool = True,
                       absent: str = 'nan',
                       on_change: str = 'error') -> dict:
    """Write one pseudo-label PNG per item; skip those already written.

    The settings of a run and the identity of its inputs (each CAM
    folder's run record, :func:`~mmwsss.utils.fingerprint.folder_fingerprint`;
    the images when a refiner or generator reads them; the content of the
    files a refiner loads, e.g. an AffinityNet's config and checkpoint)
    are recorded in
    ``OUT_DIR/settings.json``. PNGs already in ``out_dir`` are reused only
    when they were written with the same settings from the same CAMs;
    otherwise ``on_change='error'`` (default) raises a ValueError naming
    the directory and the fields that differ, and ``on_change='recompute'``
    deletes the old labels and writes new ones
    (:func:`~mmwsss.utils.io.check_run_settings`).

    Args:
        items: ``dict(name, img_path, cam_path, gt_path=None)`` per image.
        refiners: Refiner configs built from mmseg's ``MODELS`` registry,
            applied in order (e.g. ``[dict(type='DenseCRF', preset='psa')]``).
        cam_transforms: Configs of CAM transforms applied to the foreground
            CAMs before the background score (e.g. ``[dict(type='CVS')]``).
        generator: Config of a label generator that replaces the
            threshold/refiner rule (e.g. ``dict(type='PPMG')``).
        nproc: Worker processes.

    Returns:
        dict: The summary: images, ``nonfinite_cam_values`` (``{CAM file:
        count}`` of NaN/inf values, which become 0 and are also logged as a
        warning), label coverage (fraction of non-ignored pixels), class
        histogram (pixel fraction per class), and, where
        ground truth is given, mIoU / per-class IoU, precision and recall,
        contour F and J&F (:func:`summarize_contours`).
    """
    check_unique_names([it['name'] for it in items],
                       [it['img_path'] for it in items], out_dir)
    settings = dict(bg_threshold=bg_threshold, bg_alpha=bg_alpha,
                    refiners=list(refiners),
                    cam_transforms=list(cam_transforms),
                    generator=dict(generator) if generator else None,
                    palette=[list(p) for p in palette],
                    num_classes=num_classes)
    jobs = [(it['img_path'], it['cam_path'],
             osp.join(out_dir, it['name'] + '.png'), it.get('gt_path'))
            for it in items]
    for _, cam_path, _, _ in jobs:  # fail before any work
        if not osp.isfile(cam_path):
            raise FileNotFoundError(f'CAM file not found: {cam_path}')
    # the inputs' identity: the CAM folders (their run records) and, where
    # the image is used (refiners, generator), the images
    cam_dirs: Dict[str, List[str]] = {}
    for _, cam_path, _, _ in jobs:
        cam_dirs.setdefault(osp.dirname(cam_path), []).append(cam_path)
    record = dict(settings, cams=sorted(
        folder_fingerprint(d, files) for d, files in cam_dirs.items()))
    if refiners or generator:
        record['images'] = files_fingerprint([j[0] for j in jobs])
    # the files a refiner loads (an AffinityNet's config and weights): by
    # content, so retrained weights under the same name are noticed
    model_files = referenced_file_digests(
        [*refiners, *cam_transforms, *([generator] if generator else [])])
    if model_files:
        record['model_files'] = model_files
    settings['reuse'] = check_run_settings(out_dir, record, on_change,
                                           suffix='.png')
    hist = np.zeros(256, np.int64)
    areas = np.zeros((4, num_classes), np.int64)
    bcounts = np.zeros((4, num_classes), np.int64)
    have_gt = all(j[3] is not None for j in jobs) and bool(jobs)
    nonfinite: Dict[str, int] = {}
    bar = ProgressBar(len(jobs)) if show_progress else None
    with _label_workers(nproc, settings) as run:
        results = run(_one, jobs)
        for (_, cam_path, _, _), (h, a, b, bad) in zip(jobs, results):
            if bad:
                nonfinite[cam_path] = bad
            hist += h
            if a is not None:
                areas += a
                bcounts += b
            if bar:
                bar.update()
    complete = mark_run_complete(out_dir, record, [j[2] for j in jobs])
    if nonfinite:
        print_log(f'{len(nonfinite)} CAM files hold NaN/inf values (set to 0 '
                  f'before labelling): {sorted(nonfinite)[:10]}',
                  logger='current', level=logging.WARNING)
    total = max(int(hist.sum()), 1)
    summary = dict(
        images=len(jobs),
        complete=complete,
        nonfinite_cam_values=nonfinite,
        coverage=float(1 - hist[255] / total),
        class_fraction={int(c): float(hist[c] / total)
                        for c in range(num_classes)})
    if have_gt:
        summary.update(summarize_areas(areas, absent))
        summary.update(summarize_contours(bcounts, summary['mIoU']))
    return summary


def summarize_contours(bcounts: np.ndarray, miou: float) -> dict:
    """Contour F (mean over the foreground classes) and J&F = (mIoU + F)
    / 2 (HFPL), in percent, from summed boundary counts
    (:func:`~mmwsss.evaluation.boundary_f.boundary_counts`)."""
    res = boundary_f_from_counts(bcounts)
    f = res['F'] * 100
    return dict(F=float(f), JF=float((miou + f) / 2),
                F_per_class=[None if np.isnan(v) else float(v * 100)
                             for v in res['F_per_class']])


def summarize_areas(areas: np.ndarray, absent: str = 'nan') -> dict:
    """mIoU, mPrecision, mRecall and per-class values from summed areas."""
    m = iou_from_areas(areas, absent)
    return dict(
        absent_convention=absent,
        mIoU=float(np.nanmean(m['IoU']) * 100),
        mPrecision=float(np.nanmean(m['Precision']) * 100),
        mRecall=float(np.nanmean(m['Recall']) * 100),
        IoU=[None if np.isnan(v) else float(v * 100) for v in m['IoU']],
        Precision=[None if np.isnan(v) else float(v * 100)
                   for v in m['Precision']],
        Recall=[None if np.isnan(v) else float(v * 100)
                for v in m['Recall']])
