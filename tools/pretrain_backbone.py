"""Pre-train the synthetic configs' backbone on the proxy corpus and cache
it (outside the checkout) with its provenance.

    python tools/pretrain_backbone.py configs/mile/imgcls_r18-w32-d16_1xb32-3k_proxy-128_mile.py

1. the proxy corpus at the config's data_root (written if missing:
   tools/make_proxy_dataset.py)
2. mmpretrain training (mmengine Runner; an interrupted run resumes from
   its work_dir)
3. validation on the hidden multi-labels (mAP, F1)
4. CACHE/<config name>.pth (the backbone: init_cfg=dict(type='Pretrained',
   checkpoint=...)) and CACHE/<config name>.json (config, data seed, commit,
   metrics, SHA-256)
"""
import argparse
import os.path as osp

import mmwsss  # noqa: F401  registers mmwsss
from mmengine.config import Config, DictAction

from mmwsss.apis.pretrain import DEFAULT_CACHE, pretrain_backbone

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('config')
    parser.add_argument('--work-dir')
    parser.add_argument('--cache-dir', default=DEFAULT_CACHE,
                        help=f'where the backbone goes ({DEFAULT_CACHE})')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)
    return parser.parse_args()


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    if args.cfg_options:
        cfg.merge_from_dict(args.cfg_options)
    name = osp.splitext(osp.basename(args.config))[0]
    cfg.work_dir = args.work_dir or osp.join('work_dirs', 'pretrain', name)
    pretrain_backbone(cfg, args.config, args.cache_dir, repo=ROOT)


if __name__ == '__main__':
    main()
