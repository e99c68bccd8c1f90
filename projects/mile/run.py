"""Pre-training for the synthetic benchmark (issue 19): softmax, sigmoid
and MILe pre-training on the proxy corpus, their multi-label recovery, and
the CAM classifier started from each (and from scratch).

    python -m projects.mile.run [--only NAME ...] [--work-dir DIR]
        [--pretrain-iters N] [--cache-dir DIR]

1. the proxy corpus (data/synthetic_proxy; 20,000 + 2,000 images, one label
   each, the true multi-labels kept for evaluation)
2. per pre-training recipe (PRETRAIN): mmpretrain training, validation on
   the hidden multi-labels (mAP, F1), the backbone cached with its
   provenance (tools/pretrain_backbone.py's function)
3. the CAM classifier from scratch and from each backbone (CAM_VARIANTS):
   train pseudo-labels J, F, J&F, precision, recall, val mAP (the other
   ablation recipes' columns)
4. WORK_DIR/results.md (+ results.json, results.png)

Training never reads the hidden multi-labels nor the WSSS masks; both are
read to evaluate. Every stage reuses finished work, so a rerun continues.
"""
import os.path as osp

from mmengine.config import Config

from mmwsss.apis.pretrain import DEFAULT_CACHE, pretrain_backbone
from mmwsss.datasets.synthetic import preset
from mmwsss.datasets.synthetic_proxy import (PROXY_CONFIG, PROXY_SEED,
                                             write_proxy_dataset)
from projects.common.cam_ablation import parse_ablation_args, run_cam_ablation
from projects.common.report import md_table, write_report

HERE = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG_DIR = osp.join(HERE, 'configs')
PRE = 'imgcls_r18-w32-d16_1xb32-3k_proxy-128'
STEM = 'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128'
PRETRAIN = [  # (name, title, config)
    ('softmax', 'softmax CE (single label)', f'mile/{PRE}_softmax.py'),
    ('sigmoid', 'sigmoid BCE (single label)', f'mile/{PRE}_sigmoid.py'),
    ('mile', 'MILe (k1 = k2 = 250)', f'mile/{PRE}_mile.py'),
]
CAM_VARIANTS = [  # (name, title, config)
    ('scratch', 'CAM from scratch', f'cam/{STEM}_scratch.py'),
    # the default config: it starts from the shipped softmax backbone
    ('softmax', 'CAM from softmax pre-training', f'cam/{STEM}.py'),
    ('sigmoid', 'CAM from sigmoid pre-training',
     f'cam/{STEM}_pretrained-sigmoid.py'),
    ('mile', 'CAM from MILe pre-training', f'cam/{STEM}_pretrained-mile.py'),
]
#: MILe's phase length at the config's 3000 iterations
K = 250


def add_arguments(parser):
    parser.add_argument('--proxy-data',
                        default=osp.join(HERE, 'data', 'synthetic_proxy'))
    parser.add_argument('--pretrain-iters', type=int,
                        help='override the 3000 (testing)')
    parser.add_argument('--cache-dir', default=DEFAULT_CACHE)


def pretrain_config(rel: str, args, workers: int) -> Config:
    cfg = Config.fromfile(osp.join(CFG_DIR, rel))
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = args.proxy_data
        cfg[loader].num_workers = workers
        cfg[loader].persistent_workers = workers > 0
    iters = args.pretrain_iters
    if iters:
        cfg.train_cfg.max_iters = iters
        cfg.train_cfg.val_interval = iters
        cfg.param_scheduler[-1].end = iters
        cfg.param_scheduler[0].end = min(cfg.param_scheduler[0].end,
                                         max(1, iters // 2))
        cfg.param_scheduler[-1].begin = cfg.param_scheduler[0].end
        if args.preset == 'tiny':
            cfg.train_dataloader.batch_size = 4
        for hook in cfg.get('custom_hooks', []):
            if hook.type.endswith('MILeHook'):
                hook.k1 = hook.k2 = max(1, round(K * iters / 3000))
    cfg.work_dir = osp.join(args.work_dir, 'pretrain', osp.splitext(
        osp.basename(rel))[0])
    return cfg


def main():
    args = parse_ablation_args(CAM_VARIANTS, __doc__.split('\n')[0], HERE,
                               osp.join(HERE, 'work_dirs', 'mile'),
                               add_arguments=add_arguments)
    workers = 0 if args.preset == 'tiny' else 2
    proxy = PROXY_CONFIG if args.preset != 'tiny' else preset(
        'tiny', num_train=24, num_val=8)
    write_proxy_dataset(args.proxy_data, proxy, seed=PROXY_SEED,
                        nproc=args.nproc, show_progress=args.preset != 'tiny')
    backbones, pre_rows = {}, []
    for name, title, rel in PRETRAIN:
        if args.only and name not in args.only:
            continue
        cfg = pretrain_config(rel, args, workers)
        path, record = pretrain_backbone(cfg, osp.join(CFG_DIR, rel),
                                         args.cache_dir, repo=HERE)
        backbones[name] = path
        m = record['metrics']
        f1 = next((v for k, v in m.items() if 'f1-score' in k), None)
        pre_rows.append(dict(name=name, title=title, mAP=m.get(
            'multi-label/mAP'), F1=f1, iters=record['max_iters'],
            sha256=record['sha256'][:12]))

    def use_backbone(name, cfg):
        if name in backbones:  # the backbone this run made
            cfg.model.backbone.init_cfg = dict(type='Pretrained',
                                               checkpoint=backbones[name])

    rows = run_cam_ablation(CAM_VARIANTS, args,
                            'Pre-training for the synthetic benchmark: the '
                            'CAM classifier from scratch and pretrained '
                            '(train pseudo-labels)', CFG_DIR,
                            cfg_hook=use_backbone)
    table = md_table(('pre-training', 'iterations', 'hidden-label mAP',
                      'hidden-label F1 (micro, > 0.5)', 'backbone sha256'),
                     [(r['title'], r['iters'], r['mAP'], r['F1'],
                       r['sha256']) for r in pre_rows])
    text = open(osp.join(args.work_dir, 'results.md')).read()
    write_report(args.work_dir, 'Pre-training for the synthetic benchmark',
                 [('multi-label recovery on the proxy corpus (val, hidden '
                   'true labels)', table),
                  ('', [text.split('\n', 2)[2]])],
                 dict(pretrain=pre_rows, rows=rows))
    print('\n'.join(table))


if __name__ == '__main__':
    main()
