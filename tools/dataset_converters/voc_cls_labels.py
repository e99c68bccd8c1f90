"""Write the image-level labels file of a VOC (+SBD) tree.

Labels come from the segmentation masks where an image has one, else from
its VOC XML annotation:

    python tools/dataset_converters/voc_cls_labels.py data/VOCdevkit/VOC2012 \
        --splits train_aug train val --out cls_labels.json
"""
import argparse
import os.path as osp


from mmengine.utils import ProgressBar

from mmwsss.datasets import VOCWSSSDataset, dump_labels_file


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('root', help='VOC2012 folder')
    parser.add_argument('--splits', nargs='+',
                        default=['train_aug', 'train', 'val'],
                        help='split names under ImageSets/Segmentation')
    parser.add_argument('--seg-dir', default='SegmentationClassAug',
                        help='mask folder (falls back to SegmentationClass)')
    parser.add_argument('--out', default='cls_labels.json',
                        help='output file (.json, or .npy for psa/IRN '
                        'format), relative to root')
    return parser.parse_args()


def main():
    args = parse_args()
    seg_dir = args.seg_dir
    if not osp.isdir(osp.join(args.root, seg_dir)):
        seg_dir = 'SegmentationClass'
    labels = {}
    for split in args.splits:
        ann = osp.join('ImageSets', 'Segmentation', f'{split}.txt')
        if not osp.isfile(osp.join(args.root, ann)):
            raise FileNotFoundError(
                f'split file not found: {osp.join(args.root, ann)}')
        ds = VOCWSSSDataset(
            data_root=args.root, ann_file=ann,
            data_prefix=dict(img_path='JPEGImages', seg_map_path=seg_dir),
            label_sources=('mask', 'xml'), lazy_init=False,
            serialize_data=False)
        bar = ProgressBar(len(ds))
        for info in ds.data_list:
            labels[ds.image_name(info)] = info['gt_img_labels']
            bar.update()
        print(f'\n{split}: {ds.label_summary}')
    out = args.out if osp.isabs(args.out) else osp.join(args.root, args.out)
    dump_labels_file(out, labels, VOCWSSSDataset.METAINFO['classes'])
    print(f'wrote labels of {len(labels)} images to {out}')


if __name__ == '__main__':
    main()
