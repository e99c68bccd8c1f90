"""Read every image and mask of a config's dataset; name the bad files.

    python tools/misc/check_dataset.py CONFIG [--dataset train_dataloader] \
        [--split-file ImageSets/Segmentation/train_aug.txt] [--no-masks]

OpenCV decodes a truncated JPEG without an error (grey rows), a zero-byte
image fails deep inside the loader without its name, and a mask value
outside the classes stops training with torch's "Target N is out of bounds".
This reads each file once, as training will, and lists every missing,
zero-byte, truncated or undecodable image and every mask whose size differs
from its image or whose values are outside the classes (255 = ignore).
Exit status 1 when a file is bad. Run it once after downloading or
converting a dataset, and on a pseudo-label folder (pointed to by
``pseudo_label_dir``) before the final stage.
"""
import argparse
import sys

import mmwsss  # noqa: F401
from mmengine.config import DictAction

from mmwsss.apis.config_utils import build_dataset, load_config
from mmwsss.datasets.dataset_check import check_dataset_files


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--dataset', default='train_dataloader',
                        help='which loader of the config')
    parser.add_argument('--split-file', help='image list (rel. data_root)')
    parser.add_argument('--no-masks', action='store_true',
                        help='check the images only')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    dataset = build_dataset(cfg, args.dataset, args.split_file)
    res = check_dataset_files(dataset, check_masks=not args.no_masks)
    print(f'\nchecked {res["images"]} images and {res["masks"]} masks of '
          f'{args.dataset}: {len(res["bad"])} bad files')
    for path, why in sorted(res['bad'].items()):
        print(f'BAD {path}: {why}')
    sys.exit(1 if res['bad'] else 0)


if __name__ == '__main__':
    main()
