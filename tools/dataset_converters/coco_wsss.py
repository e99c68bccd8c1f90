"""Convert COCO 2014 instance annotations to WSSS class masks + labels.

For each image, instances are painted largest first (so small objects stay
visible) with class ids 1..80 (contiguous, in category-id order); crowd
regions become 255 (ignore). Also writes ``cls_labels_{split}.json``.

    python tools/dataset_converters/coco_wsss.py data/coco --splits train2014 val2014
"""
import argparse
import os.path as osp


from mmengine.utils import ProgressBar

from mmwsss.datasets.coco_wsss import coco_instances_to_masks


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('root', help='COCO folder')
    parser.add_argument('--splits', nargs='+', default=['train2014', 'val2014'])
    return parser.parse_args()


def main():
    args = parse_args()
    for split in args.splits:
        ann = osp.join(args.root, 'annotations', f'instances_{split}.json')
        out_dir = osp.join(args.root, 'mask', split)
        labels_path = osp.join(args.root, f'cls_labels_{split}.json')
        bar = {}

        def progress(done, total):
            if 'bar' not in bar:
                bar['bar'] = ProgressBar(total)
            bar['bar'].update()

        n = coco_instances_to_masks(ann, out_dir, labels_path,
                                    progress=progress)
        print(f'\n{split}: wrote {n} masks to {out_dir}, labels to '
              f'{labels_path}')


if __name__ == '__main__':
    main()
