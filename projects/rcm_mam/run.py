"""RCM + MAM ablation on the synthetic default (the paper's Table 2 and
Table 5 shapes): pseudo-label J, F, precision and recall of the CAM
classifier, + RCM, + MAM, + SMM, + MMM and + RCM + MAM, and the scale
variance of each one's CAMs.

    python -m projects.rcm_mam.run [--ckpt NAME=CKPT ...] [--only NAME ...]
        [--work-dir DIR] [--scale-every 7]

1. the synthetic dataset (data/synthetic)
2. one classifier per variant (VARIANTS), trained in WORK_DIR/NAME (a
   finished run is only tested) or given as ``--ckpt NAME=CKPT``
3. per variant: single-scale CAMs of the training split (classes from the
   image labels), the background-threshold sweep (best J), pseudo-labels
   at that threshold: J, F, J&F, precision, recall (Table 2's columns)
4. scale variance (Table 5): CAM mIoU (best threshold) at the single
   scales 0.5 / 1.0 / 1.5 / 2.0 - mean and standard deviation - and with
   the four scales + flip, on every ``--scale-every``-th training image
5. WORK_DIR/results.md (+ results.json, results.png)

Masks of the training split are read only to evaluate. Every stage reuses
finished files, so a rerun continues.
"""
import os.path as osp

import numpy as np
from mmengine.config import Config

from mmwsss.apis import generate_cams
from mmwsss.apis.config_utils import build_dataset, stage_items
from mmwsss.evaluation.pseudo_label_eval import eval_cam_dir, sweep_summary
from projects.common.cam_ablation import (THRESHOLDS, parse_ablation_args,
                                          run_cam_ablation)
from projects.common.recipe import point_config_at, train_or_load
from projects.common.report import md_table, write_report

HERE = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG_DIR = osp.join(HERE, 'configs')
STEM = 'r18-w32-d16_1xb16-1500it_synthetic-128x128'
VARIANTS = [  # (name, title, config)
    ('baseline', 'CAM (GAP-BCE)', f'cam/cam_{STEM}.py'),
    ('rcm', '+ RCM', f'rcm_mam/rcm-mam_{STEM}_rcm.py'),
    ('mam', '+ MAM', f'rcm_mam/rcm-mam_{STEM}_mam.py'),
    ('smm', '+ SMM (ablation of MAM)', f'rcm_mam/rcm-mam_{STEM}_smm.py'),
    ('mmm', '+ MMM (ablation of MAM)', f'rcm_mam/rcm-mam_{STEM}_mmm.py'),
    ('rcm-mam', '+ RCM + MAM', f'rcm_mam/rcm-mam_{STEM}.py'),
]
SCALES = (0.5, 1.0, 1.5, 2.0)


def scale_variance(cfg, checkpoint, work: str, name: str,
                   every: int) -> dict:
    """CAM mIoU at each single scale and at all scales + flip."""
    runner, _ = train_or_load(cfg, checkpoint)
    model = runner.model.eval()
    ds = build_dataset(cfg, 'train_dataloader', pipeline=[
        dict(type='LoadVerifiedImageFromFile'),
        dict(type='PackWSSSInputs')
    ])
    classes = ds.metainfo['classes']
    out = {}
    for key, scales, flip in [(f'{s:g}', (s, ), False) for s in SCALES] + [
            ('multi', SCALES, True)]:
        model.test_cfg.update(scales=scales, flip=flip, restrict='gt')
        cam_dir = osp.join(work, 'eval', name, f'cams_scale_{key}')
        generate_cams(model, ds, cam_dir, shard=(0, every),
                      show_progress=False, on_change='recompute')
        items = stage_items(ds, cam_dir, require_gt=True)[::every]
        sweep = sweep_summary(eval_cam_dir(
            [(it['cam_path'], it['gt_path']) for it in items],
            len(classes), THRESHOLDS, show_progress=False), THRESHOLDS)
        out[key] = sweep['best_mIoU']
    single = np.array([out[f'{s:g}'] for s in SCALES])
    out.update(mean=float(single.mean()), std=float(single.std()),
               images=len(items))
    return out


def main():
    args = parse_ablation_args(
        VARIANTS, __doc__.split('\n')[0], HERE,
        osp.join(HERE, 'work_dirs', 'rcm_mam'),
        add_arguments=lambda p: p.add_argument(
            '--scale-every', type=int, default=7,
            help='scale table on every N-th training image'))
    rows = run_cam_ablation(VARIANTS, args,
                            'RCM + MAM ablation on the synthetic default '
                            '(train pseudo-labels)', CFG_DIR)
    workers = 0 if args.preset == 'tiny' else 2
    every = args.scale_every
    scale_rows = []
    for name, title, rel in VARIANTS:
        if args.only and name not in args.only:
            continue
        cfg = point_config_at(Config.fromfile(osp.join(CFG_DIR, rel)),
                              args.data, osp.join(args.work_dir, name),
                              args.cam_iters, workers)
        res = scale_variance(cfg, args.ckpts.get(name), args.work_dir, name,
                             every)
        scale_rows.append(dict(res, name=name, title=title))
    table = md_table(
        ('CAM classifier', *[f'scale {s:g}' for s in SCALES],
         'mean +- std', 'scales + flip'),
        [(r['title'], *[r[f'{s:g}'] for s in SCALES],
          f'{r["mean"]:.2f} +- {r["std"]:.2f}', r['multi'])
         for r in scale_rows])
    n = scale_rows[-1]['images'] if scale_rows else 0
    text = open(osp.join(args.work_dir, 'results.md')).read()
    write_report(args.work_dir, 'RCM + MAM on the synthetic default',
                 [('', [text.split('\n', 2)[2]]),
                  ('scale variance (CAM mIoU, best threshold)', table + [
                      '', f'Every {every}th training image ({n} images); '
                      'classes from the image labels.'])],
                 dict(rows=rows, scale_rows=scale_rows))
    print('\n'.join(table))


if __name__ == '__main__':
    main()
