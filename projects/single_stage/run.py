"""Single-stage WSSS (Araslanov & Roth, CVPR 2020) on the synthetic default.

    python -m projects.single_stage.run [--work-dir DIR] [--iters N]
        [--pretrained CKPT | --scratch]

1. the synthetic dataset (data/synthetic)
2. the single-stage model with SG + GCI, the same without SG (ablation),
   and with HFPL's ISL + FSL on its foreground logits (configs/hfpl)
3. each evaluated on val (mIoU and contour F): classes from image-level
   confidence > 0.1 (the paper's protocol), with and without PAMR at
   inference; and with the GT image labels (the protocol of pseudo-label
   generation)
4. the CAM baseline on val with GT image labels, best threshold (from the
   CAM classifier of `make demo` if --cam-checkpoint is given)
5. DIR/results.md (+ results.json) and the time of each stage
"""
import argparse
import os
import os.path as osp

from mmengine.config import Config

from mmwsss.datasets.synthetic import preset, write_synthetic_dataset
from projects.common.recipe import (StageTimer, abs_path, add_start_arguments,
                                    apply_start, backbone_start,
                                    point_config_at, require_files,
                                    test_checkpoint, train_or_load)
from projects.common.report import md_table, stage_table, write_report

HERE = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

CFG = osp.join(HERE, 'configs', 'single_stage',
               'single-stage_r18-w32-d16_1xb16-1500it_synthetic-128x128.py')
HFPL = osp.join(HERE, 'configs', 'hfpl',
                'single-stage_r18-w32-d16_1xb16-1500it_synthetic-128x128')
# project-only ablation configs (projects/single_stage/configs)
HERE_CFG = osp.join(osp.dirname(osp.abspath(__file__)), 'configs',
                    'single-stage_r18-w32-d16_1xb16-1500it_synthetic-128x128')
VARIANTS = [  # (work dir, title, config, use_sg)
    ('sg', 'with SG + GCI', CFG, True),
    ('no_sg', 'without SG (no GCI)', CFG, False),
    ('hfpl', 'with SG + GCI + ISL + FSL (HFPL, sigma 5)',
     HFPL + '_isl-fsl.py', True),
    ('fsl', 'with SG + GCI + FSL (sigma 5)', HFPL + '_fsl.py', True),
    ('hfpl-sigma1.43', 'with SG + GCI + ISL + FSL (sigma 1.43)',
     HERE_CFG + '_isl-fsl-sigma1.43.py', True),
    ('hfpl-x0.1', 'with SG + GCI + ISL + FSL x 0.1 (sigma 5)',
     HERE_CFG + '_isl-fsl-x0.1.py', True),
]
CAM_CFG = osp.join(HERE, 'configs', 'cam',
                   'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py')


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data', default=osp.join(HERE, 'data', 'synthetic'))
    parser.add_argument('--work-dir', type=abs_path,
                        default=osp.join(HERE, 'work_dirs', 'single_stage'))
    parser.add_argument('--iters', type=int, help='override (testing)')
    parser.add_argument('--cam-checkpoint',
                        help='CAM classifier for the baseline row')
    parser.add_argument('--preset', default='default')
    parser.add_argument('--variants', nargs='+',
                        default=[v[0] for v in VARIANTS],
                        choices=[v[0] for v in VARIANTS])
    add_start_arguments(parser, 'the single-stage network\'s')
    args = parser.parse_args()
    require_files(parser, args, ['pretrained', 'cam_checkpoint'])
    return args


def evaluate(runner, capture, **test_cfg):
    runner.model.test_cfg.update(test_cfg)
    runner.test()
    return (capture.metrics.get('mIoU'), capture.metrics.get('contour/F'),
            capture.metrics.get('cls/mAP'))


def main():
    args = parse_args()
    work = args.work_dir
    os.makedirs(work, exist_ok=True)
    workers = 0 if args.preset == 'tiny' else 2
    stage = StageTimer()
    rows = []
    num_classes = Config.fromfile(CFG).model.decode_head.num_classes
    cam_iters = None
    with stage('1 dataset'):
        write_synthetic_dataset(args.data, preset(args.preset), seed=0)
    for name, title, path, use_sg in VARIANTS:
        if name not in args.variants:
            continue
        cfg = point_config_at(Config.fromfile(path), args.data,
                              osp.join(work, name), args.iters, workers)
        apply_start(cfg, args)
        reused = osp.isfile(osp.join(
            cfg.work_dir, f'iter_{cfg.train_cfg.max_iters}.pth'))
        what = 'evaluate (checkpoint reused)' if reused else \
            'train + evaluate'
        with stage(f'2 single-stage {title}: {what}'):
            cfg.model.decode_head.use_sg = use_sg
            if args.iters:
                cfg.model.train_cfg.warmup_iters = args.iters // 4
            runner, capture = train_or_load(cfg)
            base = dict(scales=(1.0, ), flip=False, use_pamr=False)
            rows.append((title, 'confidence > 0.1', 'no', evaluate(
                runner, capture, restrict='pred', **base)))
            rows.append((title, 'confidence > 0.1', 'yes', evaluate(
                runner, capture, restrict='pred', **dict(base,
                                                         use_pamr=True))))
            rows.append((title, 'GT image labels', 'no', evaluate(
                runner, capture, restrict='gt', **base)))
            rows.append((title, 'GT image labels', 'yes', evaluate(
                runner, capture, restrict='gt', **dict(base,
                                                       use_pamr=True))))
    cam = None
    if args.cam_checkpoint:
        with stage('3 CAM baseline (val)'):
            cfg = point_config_at(Config.fromfile(CAM_CFG), args.data,
                                  osp.join(work, 'cam_eval'), None, workers)
            cam_iters = cfg.train_cfg.max_iters
            metrics = test_checkpoint(cfg, args.cam_checkpoint)
            cam = (metrics.get('cam/mIoU'),
                   metrics.get('cam/best_bg_threshold'),
                   metrics.get('cls/mAP'))

    results = dict(rows=rows, cam=cam, seconds=stage.times,
                   classes=num_classes, cam_iters=cam_iters,
                   backbone_start=backbone_start(args)[1])
    print(report(results, work))


def report(results: dict, work: str) -> str:
    """``results.md`` / ``results.json`` from the computed results."""
    table = []
    cam = results['cam']
    if cam is not None:
        table.append((f'CAM baseline (same backbone, '
                      f'{results["cam_iters"]} it), best threshold {cam[1]}',
                      'GT image labels', 'no', cam[0], None, cam[2]))
    table += [(f'single-stage {t}', k, p, v[0], v[1], v[2])
              for t, k, p, v in results['rows']]
    sections = [('', md_table(('model', 'classes kept', 'PAMR at inference',
                               'val mIoU', 'contour F', 'cls mAP'), table)),
                ('', stage_table(results['seconds']))]
    notes = [f'mIoU in % over {results["classes"]} classes on the val split '
             '(absent classes left out), single scale.',
             f'Backbone start: {results["backbone_start"]}.']
    return write_report(work, 'Single-stage WSSS on the synthetic default',
                        sections, results, notes)


if __name__ == '__main__':
    main()
