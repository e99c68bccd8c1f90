"""HFPL ablation on the synthetic default: pseudo-label J, F and J&F of CAM
classifiers trained with and without ISL / FSL.

    python projects/hfpl/run.py --baseline CKPT --isl CKPT --fsl CKPT \
        --isl-fsl CKPT [--work-dir DIR]

For each checkpoint: CAMs of the 2,000 training images (single scale, GT
image labels keep the classes), the background-threshold sweep (best J),
the pseudo-labels at that threshold, and their contour F (DAVIS boundary
F-measure, tolerance 0.008 x diagonal) and J&F. Writes DIR/results.md.
"""
import argparse
import json
import os
import os.path as osp
import sys

HERE = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
sys.path.insert(0, HERE)

import mmwsss  # noqa: E402,F401
import numpy as np  # noqa: E402
from mmengine.config import Config  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402

from mmwsss.apis import generate_cams, make_pseudo_labels  # noqa: E402
from mmwsss.apis.config_utils import (build_dataset, load_model,  # noqa: E402,E501
                                      stage_items)
from mmwsss.evaluation.boundary_f import (boundary_counts,  # noqa: E402
                                          boundary_f_from_counts)
from mmwsss.evaluation.pseudo_label_eval import (eval_cam_dir,  # noqa: E402
                                                 sweep_summary)
from mmwsss.utils.io import atomic_write, read_label_png  # noqa: E402

CFG = osp.join(HERE, 'configs', 'cam',
               'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py')
THRESHOLDS = [round(0.05 * k, 2) for k in range(1, 20)]


def main():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    for name in ('baseline', 'isl', 'fsl', 'isl-fsl'):
        parser.add_argument(f'--{name}', required=True)
    parser.add_argument('--data', default=osp.join(HERE, 'data', 'synthetic'))
    parser.add_argument('--work-dir', default=osp.join(HERE, 'work_dirs',
                                                       'hfpl'))
    args = parser.parse_args()
    init_default_scope('mmseg')
    cfg = Config.fromfile(CFG)
    cfg.train_dataloader.dataset.data_root = args.data
    ds = build_dataset(cfg, 'train_dataloader', pipeline=[
        dict(type='LoadImageFromFile'),
        dict(type='PackWSSSInputs')
    ])
    n_cls = len(ds.metainfo['classes'])
    rows = []
    for name, title in (('baseline', 'CAM (GAP-BCE)'),
                        ('isl', '+ ISL (lambda 0.2)'),
                        ('fsl', '+ FSL'), ('isl-fsl', '+ ISL + FSL')):
        ckpt = getattr(args, name.replace('-', '_'))
        model = load_model(cfg, ckpt)
        model.test_cfg.update(scales=(1.0, ), flip=False, restrict='gt')
        cam_dir = osp.join(args.work_dir, 'eval', name, 'cams')
        generate_cams(model, ds, cam_dir, num_overlays=0,
                      show_progress=False)
        items = stage_items(ds, cam_dir, require_gt=True)
        sweep = sweep_summary(eval_cam_dir(
            [(it['cam_path'], it['gt_path']) for it in items], n_cls,
            THRESHOLDS, show_progress=False), THRESHOLDS)
        thr = sweep['best_threshold']
        out = osp.join(args.work_dir, 'eval', name, 'labels')
        summary = make_pseudo_labels(items, out, n_cls,
                                     ds.metainfo['palette'],
                                     bg_threshold=thr, nproc=1,
                                     show_progress=False)
        counts = np.zeros((4, n_cls), np.int64)
        for it in items:
            counts += boundary_counts(
                read_label_png(osp.join(out, it['name'] + '.png')),
                read_label_png(it['gt_path']), n_cls)
        f = boundary_f_from_counts(counts)['F'] * 100
        j = summary['mIoU']
        rows.append((title, thr, j, f, (j + f) / 2))
        print(rows[-1], flush=True)
    lines = ['# HFPL on the synthetic default (train pseudo-labels)', '',
             '| CAM classifier | bg threshold | J (mIoU) | F | J&F |',
             '|---|---|---|---|---|']
    lines += [f'| {t} | {thr} | {j:.2f} | {f:.2f} | {jf:.2f} |'
              for t, thr, j, f, jf in rows]
    lines += ['', 'Single-scale CAMs of the 2,000 training images, classes '
              'from the image labels, threshold chosen for the best J.', '']
    os.makedirs(args.work_dir, exist_ok=True)
    with atomic_write(osp.join(args.work_dir, 'results.md'), 'w') as fh:
        fh.write('\n'.join(lines))
    with atomic_write(osp.join(args.work_dir, 'results.json'), 'w') as fh:
        json.dump(rows, fh, indent=1)
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
