"""HFPL ablation on the synthetic default: pseudo-label J, F and J&F of CAM
classifiers trained with and without ISL / FSL.

    python projects/hfpl/run.py [--ckpt NAME=CKPT ...] [--work-dir DIR]

1. the synthetic dataset (data/synthetic)
2. one CAM classifier per variant (VARIANTS: GAP-BCE baseline, + ISL,
   + FSL, + ISL + FSL, and FSL's sigma at 2 and 0.71), each trained in
   WORK_DIR/NAME (a finished run is only tested) or given as
   ``--ckpt NAME=CKPT``; classification mAP on val
3. per variant: single-scale CAMs of the training split (GT image labels
   keep the classes), the background-threshold sweep (best J), the
   pseudo-labels at that threshold, their contour F (DAVIS boundary
   F-measure, tolerance 0.008 x diagonal) and J&F; CAM overlays
4. WORK_DIR/results.md (+ results.json) and a bar plot of J / F / J&F

Masks of the training split are read only to evaluate. Every stage reuses
finished files, so a rerun continues.
"""
import argparse
import json
import os
import os.path as osp
import sys

HERE = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, HERE)

import mmwsss  # noqa: E402,F401
from mmengine.config import Config  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

from mmwsss.apis import generate_cams, make_pseudo_labels  # noqa: E402
from mmwsss.apis.config_utils import build_dataset, stage_items  # noqa: E402,E501
from mmwsss.apis.pipeline import (StageTimer, point_config_at,  # noqa: E402
                                  train_or_load)
from mmwsss.datasets.synthetic import preset, write_synthetic_dataset  # noqa: E402,E501
from mmwsss.evaluation.pseudo_label_eval import (eval_cam_dir,  # noqa: E402
                                                 sweep_summary)
from mmwsss.utils.io import atomic_write  # noqa: E402

CFG_DIR = osp.join(HERE, 'configs')
STEM = 'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128'
VARIANTS = [  # (name, title, config)
    ('baseline', 'CAM (GAP-BCE)', f'cam/{STEM}.py'),
    ('isl', '+ ISL (lambda 0.2)', f'hfpl/{STEM}_isl.py'),
    ('fsl', '+ FSL (sigma 5)', f'hfpl/{STEM}_fsl.py'),
    ('isl-fsl', '+ ISL + FSL (sigma 5): HFPL', f'hfpl/{STEM}_isl-fsl.py'),
    ('fsl-sigma2', '+ FSL (sigma 2)', f'hfpl/{STEM}_fsl-sigma2.py'),
    ('fsl-sigma0.71', '+ FSL (sigma 0.71 = relative extent)',
     f'hfpl/{STEM}_fsl-sigma0.71.py'),
    ('isl-fsl-sigma0.71', '+ ISL + FSL (sigma 0.71)',
     f'hfpl/{STEM}_isl-fsl-sigma0.71.py'),
]
THRESHOLDS = [round(0.05 * k, 2) for k in range(1, 20)]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--ckpt', nargs='+', default=[],
                        metavar='NAME=CKPT',
                        help='finished classifiers to reuse (NAME from '
                        'VARIANTS) instead of training them')
    parser.add_argument('--only', nargs='+',
                        help='evaluate only these variants')
    parser.add_argument('--data', default=osp.join(HERE, 'data', 'synthetic'))
    parser.add_argument('--work-dir', default=osp.join(HERE, 'work_dirs',
                                                       'hfpl'))
    parser.add_argument('--nproc', type=int, default=2)
    parser.add_argument('--cam-iters', type=int, help='override (testing)')
    parser.add_argument('--preset', default='default')
    args = parser.parse_args()
    names = [v[0] for v in VARIANTS]
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
    args.ckpts = ckpts
    return args


def plot_results(rows, path):
    """Grouped bars of J, F and J&F per variant."""
    import matplotlib
    matplotlib.use('Agg')
    import matplotlib.pyplot as plt
    import numpy as np
    fig, ax = plt.subplots(figsize=(max(8, 1.3 * len(rows)), 4))
    x = np.arange(len(rows))
    for k, (key, label) in enumerate((('J', 'J (mIoU)'), ('F', 'F'),
                                      ('JF', 'J&F'))):
        ax.bar(x + (k - 1) * 0.27, [r[key] for r in rows], 0.27, label=label)
    ax.set_xticks(x, [r['name'] for r in rows], rotation=20, ha='right')
    ax.set_ylabel('%')
    ax.set_title('HFPL on the synthetic default: train pseudo-labels')
    ax.legend()
    fig.tight_layout()
    fig.savefig(path + '.tmp.png', dpi=100)
    plt.close(fig)
    os.replace(path + '.tmp.png', path)


def main():
    args = parse_args()
    work = args.work_dir
    os.makedirs(work, exist_ok=True)
    workers = 0 if args.preset == 'tiny' else 2
    stage = StageTimer()
    with stage('1 dataset'):
        write_synthetic_dataset(args.data, preset(args.preset), seed=0)
    init_default_scope('mmseg')
    rows = []
    for name, title, rel in VARIANTS:
        if args.only and name not in args.only:
            continue
        cfg = point_config_at(Config.fromfile(osp.join(CFG_DIR, rel)),
                              args.data, osp.join(work, name),
                              args.cam_iters, workers)
        with stage(f'2 CAM classifier: {name}'):
            runner, capture = train_or_load(cfg, args.ckpts.get(name))
            model = runner.model
            m_ap = capture.metrics.get('cls/mAP')
        ds = build_dataset(cfg, 'train_dataloader', pipeline=[
            dict(type='LoadImageFromFile'),
            dict(type='PackWSSSInputs')
        ])
        classes = ds.metainfo['classes']
        with stage(f'3 pseudo-labels: {name}'):
            model.eval()
            model.test_cfg.update(scales=(1.0, ), flip=False, restrict='gt',
                                  mode='whole')
            cam_dir = osp.join(work, 'eval', name, 'cams')
            generate_cams(model, ds, cam_dir,
                          overlay_dir=osp.join(work, 'eval', name,
                                               'cam_overlays'),
                          num_overlays=6, show_progress=False)
            items = stage_items(ds, cam_dir, require_gt=True)
            sweep = sweep_summary(eval_cam_dir(
                [(it['cam_path'], it['gt_path']) for it in items],
                len(classes), THRESHOLDS, show_progress=False), THRESHOLDS)
            out = osp.join(work, 'eval', name, 'labels')
            s = make_pseudo_labels(items, out, len(classes),
                                   ds.metainfo['palette'],
                                   bg_threshold=sweep['best_threshold'],
                                   nproc=args.nproc, show_progress=False)
            with atomic_write(osp.join(out, 'summary.json'), 'w') as f:
                json.dump(s, f, indent=1)
        rows.append(dict(name=name, title=title,
                         threshold=sweep['best_threshold'], J=s['mIoU'],
                         F=s['F'], JF=s['JF'], mAP=m_ap,
                         seconds=stage.times[f'2 CAM classifier: {name}']))
        print(rows[-1], flush=True)

    def f(v):
        return '-' if v is None else f'{v:.2f}'
    lines = ['# HFPL on the synthetic default (train pseudo-labels)', '',
             '| CAM classifier | bg threshold | J (mIoU) | F | J&F | '
             'val mAP |', '|---|---|---|---|---|---|']
    lines += [f'| {r["title"]} | {r["threshold"]} | {f(r["J"])} | '
              f'{f(r["F"])} | {f(r["JF"])} | {f(r["mAP"])} |' for r in rows]
    lines += ['', f'Single-scale CAMs of the {len(items)} training images, '
              'classes from the image labels, threshold chosen for the best '
              'J; F: DAVIS boundary F-measure (tolerance ceil(0.008 x '
              'diagonal)), mean over the foreground classes.', '',
              '| stage | seconds |', '|---|---|']
    lines += [f'| {k} | {v:.1f} |' for k, v in stage.times.items()]
    with atomic_write(osp.join(work, 'results.md'), 'w') as fh:
        fh.write('\n'.join(lines) + '\n')
    with atomic_write(osp.join(work, 'results.json'), 'w') as fh:
        json.dump(dict(rows=rows, seconds=stage.times), fh, indent=1)
    plot_results(rows, osp.join(work, 'results.png'))
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
