"""Compare CAM classifiers by the quality of their pseudo-labels.

The shared engine of the CAM ablation recipes (``python -m projects.hfpl.run``,
``python -m projects.consistency_cam.run``): per variant (a config), train the
classifier with mmengine's Runner (or test a finished one / a given
checkpoint), compute single-scale CAMs of the training split (classes from
the image labels), sweep the background threshold for the best J, write the
pseudo-labels at that threshold and report J (mIoU), contour F, J&F and the
validation mAP; a table (``results.md`` / ``results.json``), a bar plot and
CAM overlays. Masks of the training split are read only to evaluate. Every
stage reuses finished files, so a rerun continues.
"""
from __future__ import annotations

import argparse
import json
import os
import os.path as osp
from typing import Callable, List, Optional, Sequence, Tuple

from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmwsss.apis import generate_cams, make_pseudo_labels
from mmwsss.apis.config_utils import build_dataset, stage_items
from mmwsss.datasets.synthetic import preset, write_synthetic_dataset
from mmwsss.evaluation.pseudo_label_eval import eval_cam_dir, sweep_summary
from mmwsss.models import MultiCropCAMClassifier
from mmwsss.utils.io import atomic_write
from .recipe import (StageTimer, abs_path, add_start_arguments, apply_start,
                     backbone_start, point_config_at, require_files,
                     train_or_load)
from .report import counted, md_table, plot_grouped_bars, stage_table, \
    write_report

Variant = Tuple[str, str, str]  # (name, title, config path)
# 0.05 steps, plus finer steps at the low end (flat CAMs, e.g. of the
# consistency-regularised classifiers, peak there)
THRESHOLDS = [0.01, 0.02, 0.03, 0.04] + [round(0.05 * k, 2)
                                         for k in range(1, 20)]


def parse_ablation_args(variants: Sequence[Variant], description: str,
                        repo_root: str, default_work_dir: str,
                        argv=None, add_arguments=None
                        ) -> argparse.Namespace:
    """Command line of an ablation recipe: ``--ckpt NAME=CKPT``,
    ``--only NAME ...``, ``--data``, ``--work-dir``, ``--nproc``,
    ``--cam-iters`` (testing), ``--preset``, ``--pretrained CKPT`` /
    ``--scratch`` (the backbones' start; default the configs' own, the
    shipped backbone); ``add_arguments(parser)`` adds a recipe's own."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument('--ckpt', nargs='+', default=[],
                        metavar='NAME=CKPT',
                        help='finished classifiers to reuse (NAME from '
                        'the variants) instead of training them')
    parser.add_argument('--only', nargs='+',
                        help='evaluate only these variants')
    parser.add_argument('--data', default=osp.join(repo_root, 'data',
                                                   'synthetic'))
    parser.add_argument('--work-dir', type=abs_path,
                        default=default_work_dir)
    parser.add_argument('--nproc', type=int, default=2)
    parser.add_argument('--cam-iters', type=int, help='override (testing)')
    parser.add_argument('--preset', default='default')
    add_start_arguments(parser)
    if add_arguments is not None:
        add_arguments(parser)
    args = parser.parse_args(argv)
    names = [v[0] for v in variants]
    ckpts = {}
    for item in args.ckpt:
        name, sep, path = item.partition('=')
        if not sep or name not in names:
            parser.error(f'--ckpt {item!r}: expected NAME=CKPT with NAME in '
                         f'{names}')
        if not osp.isfile(path):
            parser.error(f'--ckpt {item!r}: no file {path}')
        ckpts[name] = path
    for name in args.only or []:
        if name not in names:
            parser.error(f'--only {name!r}: not one of {names}')
    require_files(parser, args, ['pretrained'])
    args.ckpts = ckpts
    return args


def evaluate_variant(cfg, checkpoint, work: str, name: str, nproc: int,
                     stage: StageTimer) -> dict:
    """Train-or-load one classifier and score its train pseudo-labels."""
    with stage(f'2 CAM classifier: {name}'):
        runner, capture = train_or_load(cfg, checkpoint)
        model = runner.model
        m_ap = capture.metrics.get('cls/mAP')
    ds = build_dataset(cfg, 'train_dataloader', pipeline=[
        dict(type='LoadVerifiedImageFromFile'),
        dict(type='PackWSSSInputs')
    ])
    classes = ds.metainfo['classes']
    with stage(f'3 pseudo-labels: {name}'):
        model.eval()
        model.test_cfg.update(scales=(1.0, ), flip=False, restrict='gt')
        if isinstance(model, MultiCropCAMClassifier):
            model.test_cfg.update(mode='whole')
        cam_dir = osp.join(work, 'eval', name, 'cams')
        generate_cams(model, ds, cam_dir,
                      overlay_dir=osp.join(work, 'eval', name,
                                           'cam_overlays'),
                      num_overlays=6, show_progress=False,
                      on_change='recompute')
        items = stage_items(ds, cam_dir, require_gt=True)
        sweep = sweep_summary(eval_cam_dir(
            [(it['cam_path'], it['gt_path']) for it in items],
            len(classes), THRESHOLDS, show_progress=False), THRESHOLDS)
        out = osp.join(work, 'eval', name, 'labels')
        s = make_pseudo_labels(items, out, len(classes),
                               ds.metainfo['palette'],
                               bg_threshold=sweep['best_threshold'],
                               nproc=nproc, show_progress=False,
                               on_change='recompute')
        with atomic_write(osp.join(out, 'summary.json'), 'w') as f:
            json.dump(s, f, indent=1)
    return dict(name=name, threshold=sweep['best_threshold'], J=s['mIoU'],
                F=s['F'], JF=s['JF'], P=s['mPrecision'], R=s['mRecall'],
                mAP=m_ap, images=len(items),
                seconds=stage.times[f'2 CAM classifier: {name}'])


def run_cam_ablation(variants: Sequence[Variant], args: argparse.Namespace,
                     title: str, config_dir: str,
                     cfg_hook: Optional[Callable[[str, Config], None]] = None
                     ) -> List[dict]:
    """Run every variant (``args`` from :func:`parse_ablation_args`) and
    write ``results.md``, ``results.json`` and ``results.png`` into
    ``args.work_dir``. ``cfg_hook(name, cfg)`` may change a variant's
    config before it runs. Returns the rows."""
    work = args.work_dir
    os.makedirs(work, exist_ok=True)
    workers = 0 if args.preset == 'tiny' else 2
    stage = StageTimer()
    with stage('1 dataset'):
        write_synthetic_dataset(args.data, preset(args.preset), seed=0)
    init_default_scope('mmseg')
    rows = []
    for name, vtitle, rel in variants:
        if args.only and name not in args.only:
            continue
        cfg = point_config_at(Config.fromfile(osp.join(config_dir, rel)),
                              args.data, osp.join(work, name),
                              args.cam_iters, workers)
        apply_start(cfg, args)
        if cfg_hook is not None:
            cfg_hook(name, cfg)
        row = evaluate_variant(cfg, args.ckpts.get(name), work, name,
                               args.nproc, stage)
        row['title'] = vtitle
        rows.append(row)
        print(row, flush=True)

    report_cam_ablation(rows, stage.times, title, work,
                        backbone_start(args)[1])
    return rows


def report_cam_ablation(rows: List[dict], seconds: dict, title: str,
                        work: str, start: Optional[str] = None) -> str:
    """``results.md`` / ``results.json`` / ``results.png`` of the rows of
    :func:`run_cam_ablation`."""
    n_img = rows[-1]['images'] if rows else None
    table = md_table(
        ('CAM classifier', 'bg threshold', 'J (mIoU)', 'F', 'J&F',
         'precision', 'recall', 'val mAP'),
        [(r['title'], r['threshold'], r['J'], r['F'], r['JF'], r.get('P'),
          r.get('R'), r['mAP']) for r in rows])
    notes = [f'Single-scale CAMs of the {counted(n_img, "training images")}, '
             'classes from the image labels, threshold chosen for the best '
             'J; F: DAVIS boundary F-measure (tolerance ceil(0.008 x '
             'diagonal)), mean over the foreground classes.']
    if start:
        notes.append(f'Backbones start from: {start} (unless a variant\'s '
                     'config names its own).')
    text = write_report(work, title, [('', table + [''] + notes),
                                      ('', stage_table(seconds))],
                        dict(rows=rows, seconds=seconds))
    plot_grouped_bars(rows, (('J', 'J (mIoU)'), ('F', 'F'), ('JF', 'J&F')),
                      osp.join(work, 'results.png'), title)
    print(text)
    return text
