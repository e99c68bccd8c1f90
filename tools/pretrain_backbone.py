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
from mmengine.runner import Runner

from mmwsss.apis.pretrain import (DEFAULT_CACHE, backbone_state, provenance,
                                  save_pretrained)
from mmwsss.datasets.synthetic_proxy import write_proxy_dataset

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
    data_root = cfg.train_dataloader.dataset.data_root
    if not osp.isfile(osp.join(data_root, 'meta.json')):
        write_proxy_dataset(data_root)
    cfg.resume = True          # continue an interrupted run of this work_dir
    runner = Runner.from_cfg(cfg)
    runner.train()
    metrics = runner.val_loop.run()
    model = runner.model.module if hasattr(runner.model,
                                           'module') else runner.model
    out = osp.join(osp.expanduser(args.cache_dir), name + '.pth')
    record = save_pretrained(out, backbone_state(model.state_dict()),
                             provenance(cfg, osp.relpath(
                                 osp.abspath(args.config), ROOT), data_root,
                                 metrics, repo=ROOT))
    runner.logger.info(f'backbone saved to {out} (sha256 '
                       f'{record["sha256"][:12]}); metrics {record["metrics"]}')


if __name__ == '__main__':
    main()
