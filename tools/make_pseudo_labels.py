"""CAM files -> pseudo-label PNGs (VOC ids, 255 ignore) in mmseg's layout.

    python tools/make_pseudo_labels.py CONFIG --cams DIR --out DIR \
        [--split-file ImageSets/Segmentation/train_aug.txt] \
        [--bg-threshold 0.25 | --bg-alpha 4] [--crf psa|pmm|deeplab] \
        [--cvs] [--generator ppmg] [--nproc 2] [--recompute]

The rule comes from the config's ``pseudo_label_cfg`` when it has one
(e.g. ``configs/pmm/ppmg_*.py``: ``dict(generator=dict(type='PPMG', ...))``;
keys ``bg_threshold``, ``bg_alpha``, ``refiners``, ``cam_transforms``,
``generator``), and the command-line flags override it.

The images come from the config's train set (or --split-file). Labels are
written atomically and finished ones are skipped (resumable); the settings
and the identity of the CAM folder (its own settings.json) are kept in
OUT/settings.json, and a rerun with other settings or other CAMs into the
same OUT stops with the differing fields named (--recompute deletes the old
labels and starts over). A summary
(coverage, class histogram, and mIoU where the dataset has masks) is printed
and written to OUT/summary.json. Train any mmseg model on OUT by pointing its
``seg_map_path`` there (configs/final_stage/).
"""
import argparse
import json
import os
import os.path as osp


import mmwsss  # noqa: F401
from mmengine.config import DictAction

from mmwsss.apis import make_pseudo_labels
from mmwsss.apis.config_utils import (build_dataset, load_config,
                                      stage_items)
from mmwsss.utils.io import atomic_write


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--cams', required=True, help='CAM folder')
    parser.add_argument('--out', required=True, help='pseudo-label folder')
    parser.add_argument('--split-file', help='image list (rel. data_root)')
    parser.add_argument('--dataset', default='train_dataloader',
                        help='which dataloader of the config lists images')
    group = parser.add_mutually_exclusive_group()
    group.add_argument('--bg-threshold', type=float)
    group.add_argument('--bg-alpha', type=float)
    parser.add_argument('--crf', help='dense CRF preset (psa, pmm, deeplab)')
    parser.add_argument('--cvs', action='store_true',
                        help='coefficient-of-variation smoothing (PMM) of '
                        'the CAMs before the background score')
    parser.add_argument('--generator', choices=['ppmg'],
                        help='label generator replacing threshold + CRF')
    parser.add_argument('--nproc', type=int, default=1)
    parser.add_argument('--absent', choices=['nan', 'zero'], default='nan',
                        help='IoU of a class absent from prediction and GT')
    parser.add_argument('--recompute', action='store_true',
                        help='rewrite labels already in --out that were '
                        'made with other settings (default: refuse)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    dataset = build_dataset(cfg, args.dataset, args.split_file)
    rule = dict(bg_threshold=0.25, bg_alpha=None, refiners=[],
                cam_transforms=[], generator=None)
    from_cfg = cfg.to_dict().get('pseudo_label_cfg') or {}
    unknown = set(from_cfg) - set(rule)
    if unknown:
        raise KeyError(f'{args.config}: pseudo_label_cfg has unknown keys '
                       f'{sorted(unknown)}; allowed: {sorted(rule)}')
    rule.update(from_cfg)
    if args.bg_threshold is not None:
        rule.update(bg_threshold=args.bg_threshold, bg_alpha=None)
    if args.bg_alpha is not None:
        rule['bg_alpha'] = args.bg_alpha
    if args.crf:
        rule['refiners'] = [dict(type='DenseCRF', preset=args.crf)]
    if args.cvs:
        rule['cam_transforms'] = [dict(type='CVS')]
    if args.generator == 'ppmg':
        rule['generator'] = dict(type='PPMG')
    os.makedirs(args.out, exist_ok=True)
    summary = make_pseudo_labels(
        stage_items(dataset, args.cams), args.out,
        num_classes=len(dataset.metainfo['classes']),
        palette=dataset.metainfo['palette'], nproc=args.nproc,
        absent=args.absent,
        on_change='recompute' if args.recompute else 'error', **rule)
    summary['settings'] = dict(rule, cams=args.cams)
    with atomic_write(osp.join(args.out, 'summary.json'), 'w') as f:
        json.dump(summary, f, indent=1)
    print(f'\n{summary["images"]} pseudo-labels in {args.out}; coverage '
          f'{summary["coverage"] * 100:.1f} %')
    if 'mIoU' in summary:
        print(f'mIoU {summary["mIoU"]:.2f} (precision '
              f'{summary["mPrecision"]:.2f}, recall {summary["mRecall"]:.2f};'
              f' absent classes: {summary["absent_convention"]})')


if __name__ == '__main__':
    main()
