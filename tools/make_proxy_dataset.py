"""Write the proxy pre-training corpus (single labels, 25 classes; the true
multi-labels kept aside for evaluation) in mmpretrain's CustomDataset layout.

    python tools/make_proxy_dataset.py data/synthetic_proxy        # 20k + 2k
    python tools/make_proxy_dataset.py data/proxy_tiny --num-train 40 --num-val 8
"""
import argparse
import dataclasses
import time

from mmwsss.datasets.synthetic_proxy import (PROXY_CONFIG, PROXY_SEED,
                                             write_proxy_dataset)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('out', help='output folder')
    parser.add_argument('--seed', type=int, default=PROXY_SEED)
    parser.add_argument('--num-train', type=int, help='override (20000)')
    parser.add_argument('--num-val', type=int, help='override (2000)')
    parser.add_argument('--size', type=int, help='override the image size')
    parser.add_argument('--nproc', type=int, default=1)
    return parser.parse_args()


def main():
    args = parse_args()
    overrides = {
        k: v for k, v in dict(num_train=args.num_train, num_val=args.num_val,
                              size=args.size).items() if v is not None
    }
    cfg = dataclasses.replace(PROXY_CONFIG, **overrides)
    t0 = time.time()
    meta = write_proxy_dataset(args.out, cfg, seed=args.seed,
                               nproc=args.nproc)
    tr = meta['stats']['train']
    print(f'\nwrote {cfg.num_train} train + {cfg.num_val} val images '
          f'({cfg.size}x{cfg.size}) to {args.out} in {time.time() - t0:.1f} s;'
          f' {100 * tr["single_label_fraction"]:.1f} % of the training images'
          f' hold one class, {tr["labels_per_image"]:.2f} classes per image')


if __name__ == '__main__':
    main()
