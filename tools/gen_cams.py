"""Write one CAM file per image with a trained CAM classifier.

    python tools/gen_cams.py CONFIG CHECKPOINT --out DIR \
        [--split-file ImageSets/Segmentation/train.txt] \
        [--scales 0.5 1.0 1.5 2.0] [--flip] [--aggregate sum] \
        [--restrict gt|pred|none] [--num-overlays 8] [--shard K/N]

Files are compressed, float16, present classes only (mmwsss/utils/cam_io.py),
written atomically; finished images are skipped, so an interrupted run
resumes. OUT/settings.json identifies the model (a hash of its weights and
test_cfg) and the data (image files, pipeline): files of another model or of
other images are never reused (the run stops; --recompute deletes them and
starts over; a recompute that was interrupted is finished by rerunning). Shard across processes with --shard K/N, or across ranks with
--launcher pytorch (each rank takes its shard).
"""
import argparse
import os
import os.path as osp


import mmwsss  # noqa: F401
from mmwsss.apis import generate_cams
from mmwsss.apis.config_utils import (add_model_run_arguments,
                                      build_dataset, load_config, load_model,
                                      resolve_shard)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('checkpoint')
    parser.add_argument('--out', required=True, help='CAM folder')
    parser.add_argument('--split-file',
                        help='image list (relative to data_root) to use '
                        'instead of the test set\'s ann_file')
    parser.add_argument('--scales', type=float, nargs='+')
    parser.add_argument('--flip', action='store_true')
    parser.add_argument('--aggregate', choices=['sum', 'mean'])
    parser.add_argument('--restrict', choices=['gt', 'pred', 'none'])
    parser.add_argument('--score-thr', type=float)
    parser.add_argument('--num-overlays', type=int, default=8)
    parser.add_argument('--num-workers', type=int,
                        help='DataLoader workers prefetching images (default '
                        '2 on an accelerator, 0 on the CPU)')
    parser.add_argument('--batch-size', type=int, default=1,
                        help='consecutive same-size images per forward')
    add_model_run_arguments(parser, 'CAM files')
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = load_config(args.config, args.cfg_options)
    k, n = resolve_shard(args.shard, args.launcher)
    test_cfg = cfg.model.setdefault('test_cfg', {})
    for key in ('scales', 'aggregate', 'score_thr'):
        if getattr(args, key) is not None:
            test_cfg[key] = getattr(args, key)
    if args.flip:
        test_cfg['flip'] = True
    if args.restrict is not None:
        test_cfg['restrict'] = None if args.restrict == 'none' \
            else args.restrict
    model = load_model(cfg, args.checkpoint, args.device,
                       strict=not args.non_strict)
    # images and image labels only: pixel masks are never read here
    dataset = build_dataset(cfg, 'test_dataloader', args.split_file, [
        dict(type='LoadVerifiedImageFromFile'),
        dict(type='PackWSSSInputs')
    ])
    os.makedirs(args.out, exist_ok=True)
    res = generate_cams(
        model, dataset, args.out, shard=(k, n),
        overlay_dir=osp.join(args.out, 'overlays'),
        num_overlays=args.num_overlays if k == 0 else 0,
        on_change='recompute' if args.recompute else 'error',
        num_workers=args.num_workers, batch_size=args.batch_size)
    print(f'\nshard {k}/{n}: wrote {res["written"]}, skipped '
          f'{res["skipped"]} finished CAM files in {args.out}')


if __name__ == '__main__':
    main()
