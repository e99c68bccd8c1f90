"""Test a checkpoint: mmseg's tools/test.py with the CPU-distributed setup.

Same flags and behaviour as mmseg 1.2.2's ``tools/test.py`` except two
things: torchrun on machines without CUDA (``mmwsss.utils.dist``), and a
relative ``--show-dir`` is taken inside the work dir, as mmseg's help says
(mmseg's tool writes it relative to the current directory).
"""
import argparse
import os
import os.path as osp

import mmwsss  # noqa: F401  registers mmwsss and the checkpoint fix
from mmengine.config import Config, DictAction
from mmengine.runner import Runner

from mmwsss.utils.dist import setup_cpu_distributed


def parse_args():
    parser = argparse.ArgumentParser(description='Test (and evaluate) a '
                                     'checkpoint')
    parser.add_argument('config', help='test config file path')
    parser.add_argument('checkpoint', help='checkpoint file')
    parser.add_argument('--work-dir', help='where to save the metrics')
    parser.add_argument('--out', help='save the predicted masks (PNG) here '
                        '(the test evaluator gets output_dir, as in mmseg)')
    parser.add_argument('--show', action='store_true',
                        help='show prediction results')
    parser.add_argument('--show-dir',
                        help='save painted predictions in this directory '
                        '(a relative path is taken inside the work dir; the '
                        'images land in SHOW_DIR/vis_data/vis_image)')
    parser.add_argument('--wait-time', type=float, default=2,
                        help='the interval of show (s)')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction,
                        help='override settings of the config, key=value')
    parser.add_argument('--launcher',
                        choices=['none', 'pytorch', 'slurm', 'mpi'],
                        default='none', help='job launcher')
    parser.add_argument('--tta', action='store_true',
                        help='test time augmentation')
    parser.add_argument('--local_rank', '--local-rank', type=int, default=0)
    args = parser.parse_args()
    if 'LOCAL_RANK' not in os.environ:
        os.environ['LOCAL_RANK'] = str(args.local_rank)
    return args


def trigger_visualization_hook(cfg, args):
    """Turn on drawing in the SegVisualizationHook (mmseg's code)."""
    default_hooks = cfg.default_hooks
    if 'visualization' not in default_hooks:
        raise RuntimeError('--show/--show-dir need a "visualization" entry '
                           '(SegVisualizationHook) in default_hooks')
    hook = default_hooks['visualization']
    hook['draw'] = True
    if args.show:
        hook['show'] = True
        hook['wait_time'] = args.wait_time
    if args.show_dir:
        visualizer = cfg.visualizer
        visualizer['save_dir'] = osp.join(cfg.work_dir, args.show_dir)
    return cfg


def main():
    args = parse_args()
    cfg = Config.fromfile(args.config)
    cfg.launcher = args.launcher
    if args.cfg_options is not None:
        cfg.merge_from_dict(args.cfg_options)
    if args.work_dir is not None:
        cfg.work_dir = args.work_dir
    elif cfg.get('work_dir', None) is None:
        cfg.work_dir = osp.join('./work_dirs',
                                osp.splitext(osp.basename(args.config))[0])
    cfg.load_from = args.checkpoint
    if args.show or args.show_dir:
        cfg = trigger_visualization_hook(cfg, args)
    if args.tta:
        cfg.test_dataloader.dataset.pipeline = cfg.tta_pipeline
        cfg.tta_model.module = cfg.model
        cfg.model = cfg.tta_model
    if args.out is not None:
        cfg.test_evaluator['output_dir'] = args.out
        cfg.test_evaluator['keep_results'] = True
    setup_cpu_distributed(cfg)  # torchrun on CPU-only machines (gloo)
    runner = Runner.from_cfg(cfg)
    runner.test()


if __name__ == '__main__':
    main()
