"""Evaluate pseudo-labels (PNG folder) or CAMs (CAM-file folder) against GT.

    python tools/eval_pseudo_labels.py CONFIG --pred DIR   # pseudo-label PNGs
    python tools/eval_pseudo_labels.py CONFIG --cams DIR   # threshold sweep

mIoU over the C+1 classes, accumulated over the whole split (255 ignored),
with per-class IoU, precision and recall, contour F (DAVIS boundary F-measure,
mean over the foreground classes; for CAMs at the best threshold) and
J&F = (mIoU + F) / 2 as in HFPL. --absent says how a class absent
from both prediction and GT counts: 'nan' (mmseg: left out of the mean) or
'zero' (psa/IRN reference code: counts as 0); the report states which. The
literature evaluates pseudo-labels on VOC `train` (1,464 images): pass
--split-file ImageSets/Segmentation/train.txt. For CAMs, the sweep's curve is
saved as a PNG beside the report.
"""
import argparse
import json
import os.path as osp

import numpy as np


import mmwsss  # noqa: F401
from mmengine.config import DictAction

from mmwsss.apis.config_utils import (build_dataset, load_config,
                                      stage_items)
from mmwsss.apis.pseudo_labels import (summarize_areas,
                                       summarize_contours)
from mmwsss.evaluation.pseudo_label_eval import (
    cam_dir_boundary_counts, eval_cam_dir, eval_label_dir,
    format_table, plot_sweep, sweep_summary)
from mmwsss.utils.io import atomic_write


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument('--pred', help='folder of pseudo-label PNGs')
    group.add_argument('--cams', help='folder of CAM files')
    parser.add_argument('--split-file', help='image list (rel. data_root)')
    parser.add_argument('--dataset', default='train_dataloader')
    parser.add_argument('--absent', choices=['nan', 'zero'], default='nan')
    parser.add_argument('--thresholds', type=float, nargs='+',
                        default=[round(t, 2) for t in np.arange(0.05, 0.96,
                                                                0.05)])
    parser.add_argument('--out', help='report folder (default: the input '
                        'folder)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    dataset = build_dataset(cfg, args.dataset, args.split_file)
    classes = dataset.metainfo['classes']
    src = args.pred or args.cams
    ext = '.png' if args.pred else '.npz'
    pairs = [(osp.join(src, it['name'] + ext), it['gt_path'])
             for it in stage_items(dataset, require_gt=True)]
    out_dir = args.out or src
    report = dict(source=src, images=len(pairs), absent_convention=args.absent)
    if args.pred:
        contours = np.zeros((4, len(classes)), np.int64)
        areas = eval_label_dir(pairs, len(classes), contours=contours)
    else:
        sweep_areas = eval_cam_dir(pairs, len(classes), args.thresholds)
        sweep = sweep_summary(sweep_areas, args.thresholds, args.absent)
        report['sweep'] = sweep
        areas = sweep_areas[sweep['best_index']]
        plot_sweep(sweep, osp.join(out_dir, 'threshold_sweep.png'))
        print('\ncontours at the best threshold')
        contours = cam_dir_boundary_counts(pairs, len(classes),
                                           sweep['best_threshold'])
    report.update(summarize_areas(areas, args.absent))
    report.update(summarize_contours(contours, report['mIoU']))
    with atomic_write(osp.join(out_dir, 'eval.json'), 'w') as f:
        json.dump(report, f, indent=1)
    print()
    print(format_table(classes, report))
    conv = ('absent classes left out of the mean (mmseg)'
            if args.absent == 'nan' else 'absent classes count as 0 (psa/IRN)')
    head = f'{len(pairs)} images, mIoU {report["mIoU"]:.2f}'
    if args.cams:
        head += f' at background threshold {sweep["best_threshold"]:.2f}'
    print(f'{head}; precision {report["mPrecision"]:.2f}, recall '
          f'{report["mRecall"]:.2f}; contour F {report["F"]:.2f}, J&F '
          f'{report["JF"]:.2f}; {conv}')


if __name__ == '__main__':
    main()
