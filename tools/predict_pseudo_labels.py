"""Re-label a training split with a trained segmentation model (PMM's cyclic
pseudo-mask update, between two training runs).

    python tools/predict_pseudo_labels.py CONFIG CHECKPOINT --out DIR \
        [--scales 0.75 1.0 1.25] [--no-flip] [--crf psa] [--shard K/N] \
        [--split-file ImageSets/Segmentation/train.txt]

Softmax probabilities are averaged over the scales and flips (the model's own
whole/slide test mode), optionally refined by a dense CRF; the argmax is
written as a palette PNG (VOC ids, no ignore) named like the training
annotation it replaces. Files are written atomically and finished ones are
skipped, so an interrupted run resumes (DIR/settings.json records the model
hash, the settings and the images: masks of another model or other images
are never reused; the run stops, --recompute deletes them and starts over); shard with --shard K/N or across
ranks with --launcher pytorch. Train the next round on DIR with
``--cfg-options pseudo_label_dir=DIR`` (configs/pmm/README.md). Only images
are read: no mask of the split is used.
"""
import argparse
import os


import mmwsss  # noqa: F401
from mmwsss.apis import predict_pseudo_masks, relabel_items
from mmwsss.apis.config_utils import (add_model_run_arguments,
                                      build_dataset, load_config, load_model,
                                      resolve_shard)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--out', required=True, help='new mask folder')
    parser.add_argument('--split-file', help='image list (rel. data_root)')
    parser.add_argument('--dataset', default='train_dataloader')
    parser.add_argument('--scales', type=float, nargs='+',
                        default=[0.75, 1.0, 1.25])
    parser.add_argument('--no-flip', action='store_true')
    parser.add_argument('--crf', help='dense CRF preset (psa, pmm, deeplab)')
    add_model_run_arguments(parser, 'masks')
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    k, n = resolve_shard(args.shard, args.launcher)
    model = load_model(cfg, args.checkpoint, args.device,
                       strict=not args.non_strict)
    dataset = build_dataset(cfg, args.dataset, args.split_file)
    items = relabel_items(dataset, args.out)
    os.makedirs(args.out, exist_ok=True)
    crf = dict(type='DenseCRF', preset=args.crf) if args.crf else None
    written = predict_pseudo_masks(
        model, items, dataset.metainfo['palette'], scales=args.scales,
        flip=not args.no_flip, crf=crf, rank=k, world_size=n,
        out_dir=args.out,
        on_change='recompute' if args.recompute else 'error')
    print(f'\nshard {k}/{n}: wrote {written} masks in {args.out} '
          f'({len(items[k::n]) - written} were already there)')


if __name__ == '__main__':
    main()
