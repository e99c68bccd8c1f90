"""Write the embedded synthetic WSSS dataset in VOC layout.

    python tools/make_synthetic_dataset.py data/synthetic            # default
    python tools/make_synthetic_dataset.py data/syn_tiny --preset tiny
"""
import argparse
import time


from mmwsss.datasets.synthetic import (PRESETS, preset,
                                       write_synthetic_dataset)


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('out', help='output folder (VOC layout)')
    parser.add_argument('--preset', default='default', choices=sorted(PRESETS))
    parser.add_argument('--seed', type=int, default=0)
    parser.add_argument('--num-train', type=int, help='override the preset')
    parser.add_argument('--num-val', type=int, help='override the preset')
    parser.add_argument('--size', type=int, help='override the image size')
    parser.add_argument('--nproc', type=int, default=1)
    return parser.parse_args()


def main():
    args = parse_args()
    overrides = {
        k: v for k, v in dict(num_train=args.num_train, num_val=args.num_val,
                              size=args.size).items() if v is not None
    }
    cfg = preset(args.preset, **overrides)
    t0 = time.time()
    write_synthetic_dataset(args.out, cfg, seed=args.seed, nproc=args.nproc)
    print(f'\nwrote {cfg.num_train} train + {cfg.num_val} val images '
          f'({cfg.size}x{cfg.size}) to {args.out} in {time.time() - t0:.1f} s')


if __name__ == '__main__':
    main()
