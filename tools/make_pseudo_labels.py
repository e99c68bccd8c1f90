"""CAM files -> pseudo-label PNGs (VOC ids, 255 ignore) in mmseg's layout.

    python tools/make_pseudo_labels.py CONFIG --cams DIR --out DIR \
        [--split-file ImageSets/Segmentation/train_aug.txt] \
        [--bg-threshold 0.25 | --bg-alpha 4] [--crf psa|pmm|deeplab] \
        [--nproc 2]

The images come from the config's train set (or --split-file). Labels are
written atomically and finished ones are skipped (resumable). A summary
(coverage, class histogram, and mIoU where the dataset has masks) is printed
and written to OUT/summary.json. Train any mmseg model on OUT by pointing its
``seg_map_path`` there (configs/final_stage/).
"""
import argparse
import json
import os
import os.path as osp
import sys

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import mmwsss  # noqa: E402,F401
from mmengine.config import Config, DictAction  # noqa: E402
from mmengine.registry import init_default_scope  # noqa: E402
from mmseg.registry import DATASETS  # noqa: E402

from mmwsss.apis import make_pseudo_labels  # noqa: E402
from mmwsss.utils.io import atomic_write  # noqa: E402


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--cams', required=True, help='CAM folder')
    parser.add_argument('--out', required=True, help='pseudo-label folder')
    parser.add_argument('--split-file', help='image list (rel. data_root)')
    parser.add_argument('--dataset', default='train_dataloader',
                        help='which dataloader of the config lists images')
    group = parser.add_mutually_exclusive_group()
    group.add_argument('--bg-threshold', type=float, default=0.25)
    group.add_argument('--bg-alpha', type=float)
    parser.add_argument('--crf', help='dense CRF preset (psa, pmm, deeplab)')
    parser.add_argument('--nproc', type=int, default=1)
    parser.add_argument('--absent', choices=['nan', 'zero'], default='nan',
                        help='IoU of a class absent from prediction and GT')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def items_of(dataset, cam_dir):
    items = []
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        name = osp.splitext(osp.basename(info['img_path']))[0]
        seg = info.get('seg_map_path')
        items.append(dict(
            name=name, img_path=info['img_path'],
            cam_path=osp.join(cam_dir, name + '.npz'),
            gt_path=seg if seg and osp.isfile(seg) else None))
    return items


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    ds_cfg = cfg[args.dataset].dataset
    if args.split_file:
        ds_cfg.ann_file = args.split_file
    ds_cfg.pipeline = []
    dataset = DATASETS.build(ds_cfg)
    refiners = [dict(type='DenseCRF', preset=args.crf)] if args.crf else []
    os.makedirs(args.out, exist_ok=True)
    summary = make_pseudo_labels(
        items_of(dataset, args.cams), args.out,
        num_classes=len(dataset.metainfo['classes']),
        palette=dataset.metainfo['palette'],
        bg_threshold=args.bg_threshold, bg_alpha=args.bg_alpha,
        refiners=refiners, nproc=args.nproc, absent=args.absent)
    summary['settings'] = dict(bg_threshold=args.bg_threshold,
                               bg_alpha=args.bg_alpha, crf=args.crf,
                               cams=args.cams)
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
