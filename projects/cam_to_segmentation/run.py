"""The embedded default, end to end on CPU (what `make demo` runs).

    python -m projects.cam_to_segmentation.run [--work-dir DIR] [--fresh]
        [--pretrained CKPT | --scratch] [--cam-checkpoint CKPT]

1. write the synthetic dataset (VOC layout) to data/synthetic
2. train the CAM classifier; classification mAP and CAM mIoU on val
3. multi-scale CAMs for the train split (CAM files + overlays)
4. CAM mIoU on train (background-threshold sweep + curve plot)
5. dense-CRF pseudo-labels for train; their mIoU
6. mmseg DeepLabv3+ trained on the pseudo-labels, evaluated on val
7. the same DeepLabv3+ trained on the GT masks (the fully supervised
   reference), evaluated on val
8. work_dirs/demo/results.md: every figure and the time of every stage

The CAM classifier's backbone starts from the one pre-trained on the proxy
corpus that ships with the configs (configs/_base_/pretrained/);
--pretrained starts it from another (tools/pretrain_backbone.py), --scratch
from random weights. The final stage starts from random weights either way,
so the pseudo / GT ratio compares labels only. --cam-checkpoint uses a
trained CAM classifier of the same config instead of training one.

Each stage reuses what an earlier run finished (dataset, checkpoints, CAM and
label files), so a rerun after an interruption continues; --fresh restarts.
"""
import argparse
import json
import os
import os.path as osp
import shutil

from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmwsss.apis import generate_cams, make_pseudo_labels
from mmwsss.apis.config_utils import build_dataset, stage_items
from mmwsss.datasets.synthetic import preset, write_synthetic_dataset
from mmwsss.evaluation.pseudo_label_eval import (eval_cam_dir, plot_sweep,
                                                 sweep_summary)
from mmwsss.utils.io import atomic_write
from projects.common.recipe import (StageTimer, abs_path,
                                    add_start_arguments, apply_start,
                                    backbone_start, point_config_at,
                                    require_files, train_or_load)
from projects.common.report import fmt, md_table, stage_table, write_report

HERE = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CAM_CONFIG = osp.join(HERE, 'configs', 'cam',
                      'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py')
SEG_CONFIG = osp.join(
    HERE, 'configs', 'final_stage',
    'deeplabv3plus_r18-w32-d16_1xb16-800it_synthetic-128x128_{}.py')
CAM_SCALES = (1.0, 1.5)
BG_ALPHA = 4.0  # background (1 - max CAM)^alpha before the CRF (psa)


def parse_args():
    parser = argparse.ArgumentParser(description='mmwsss demo')
    parser.add_argument('--data', default=osp.join(HERE, 'data', 'synthetic'))
    parser.add_argument('--work-dir', type=abs_path,
                        default=osp.join(HERE, 'work_dirs', 'demo'))
    parser.add_argument('--fresh', action='store_true',
                        help='start over (keeps the dataset)')
    parser.add_argument('--nproc', type=int, default=2)
    parser.add_argument('--num-overlays', type=int, default=8)
    parser.add_argument('--cam-iters', type=int, help='override (testing)')
    parser.add_argument('--seg-iters', type=int, help='override (testing)')
    parser.add_argument('--preset', default='default',
                        help='synthetic preset (testing: tiny)')
    add_start_arguments(parser, 'the CAM classifier\'s')
    parser.add_argument('--cam-checkpoint', metavar='CKPT',
                        help='a trained CAM classifier (this config) to use '
                        'instead of training one')
    args = parser.parse_args()
    require_files(parser, args, ['pretrained', 'cam_checkpoint'])
    return args


def main():
    args = parse_args()
    work = args.work_dir
    if args.fresh and osp.isdir(work):
        shutil.rmtree(work)
    os.makedirs(work, exist_ok=True)
    workers = 0 if args.preset == 'tiny' else 2
    figs = {}
    stage = StageTimer()
    times = stage.times

    with stage('1 dataset'):
        write_synthetic_dataset(args.data, preset(args.preset), seed=0)

    with stage('2 CAM classifier: train + val'):
        cfg = point_config_at(Config.fromfile(CAM_CONFIG), args.data,
                              osp.join(work, 'cam'), args.cam_iters, workers)
        apply_start(cfg, args)
        cam_runner, capture = train_or_load(cfg, args.cam_checkpoint)
        metrics = capture.metrics
        figs['cls_mAP_val'] = metrics.get('cls/mAP')
        figs['cam_mIoU_val'] = metrics.get('cam/mIoU')
        figs['cam_bg_thr_val'] = metrics.get('cam/best_bg_threshold')

    init_default_scope('mmseg')
    train_ds = build_dataset(cfg, 'train_dataloader', pipeline=[
        dict(type='LoadVerifiedImageFromFile'),
        dict(type='PackWSSSInputs')
    ])
    cam_dir = osp.join(work, 'cams')
    with stage('3 multi-scale CAMs (train)'):
        model = cam_runner.model
        model.test_cfg.update(scales=CAM_SCALES, flip=True, restrict='gt')
        generate_cams(model, train_ds, cam_dir,
                      overlay_dir=osp.join(work, 'cam_overlays'),
                      num_overlays=args.num_overlays, on_change='recompute')

    # masks only to evaluate (never to train)
    items = stage_items(train_ds, cam_dir, require_gt=True)
    classes = train_ds.metainfo['classes']
    with stage('4 CAM mIoU (train, threshold sweep)'):
        thresholds = [round(0.05 * k, 2) for k in range(1, 20)]
        sweep_areas = eval_cam_dir(
            [(it['cam_path'], it['gt_path']) for it in items], len(classes),
            thresholds)
        sweep = sweep_summary(sweep_areas, thresholds)
        plot_sweep(sweep, osp.join(work, 'cam_threshold_sweep.png'))
        figs['cam_mIoU_train'] = sweep['best_mIoU']
        figs['cam_bg_thr_train'] = sweep['best_threshold']

    label_dir = osp.join(work, 'pseudo_labels')
    with stage('5 CRF pseudo-labels (train)'):
        summary = make_pseudo_labels(
            items, label_dir, len(classes), train_ds.metainfo['palette'],
            bg_alpha=BG_ALPHA, refiners=[dict(type='DenseCRF',
                                              preset='psa')],
            nproc=args.nproc, on_change='recompute')
        figs['pseudo_mIoU_train'] = summary['mIoU']
        with atomic_write(osp.join(label_dir, 'summary.json'), 'w') as f:
            json.dump(summary, f, indent=1)
    for kind in ('pseudo', 'gt'):
        title = ('6 DeepLabv3+ on pseudo-labels' if kind == 'pseudo' else
                 '7 DeepLabv3+ on GT masks (reference)')
        with stage(title):
            seg_cfg = point_config_at(
                Config.fromfile(SEG_CONFIG.format(kind)), args.data,
                osp.join(work, f'seg_{kind}'), args.seg_iters, workers)
            if kind == 'pseudo':
                seg_cfg.train_dataloader.dataset.data_prefix.seg_map_path = \
                    label_dir
            _, capture = train_or_load(seg_cfg)
            metrics = capture.metrics
            figs[f'seg_{kind}_mIoU_val'] = metrics.get('mIoU')

    figs['classes'] = len(classes)
    figs['cam_scales'] = list(CAM_SCALES)
    figs['bg_alpha'] = BG_ALPHA
    figs['pretrained'], figs['backbone_start'] = backbone_start(args)
    results = dict(figures=figs, seconds=times)
    print(report(results, work))


def report(results: dict, work: str) -> str:
    """``results.md`` / ``results.json`` from the computed results."""
    figs = results['figures']
    ratio = (figs['seg_pseudo_mIoU_val'] / figs['seg_gt_mIoU_val'] * 100
             if figs.get('seg_gt_mIoU_val') else None)
    scales = tuple(figs['cam_scales'])
    rows = [
        ('CAM classifier: backbone start', figs['backbone_start']),
        ('CAM classifier: classification mAP (val)', figs['cls_mAP_val']),
        ('CAM mIoU, single scale, best bg threshold (val)',
         f'{fmt(figs["cam_mIoU_val"])} (t = {figs["cam_bg_thr_val"]})'),
        (f'CAM mIoU, scales {scales} + flip, best bg threshold (train)',
         f'{fmt(figs["cam_mIoU_train"])} (t = {figs["cam_bg_thr_train"]}): '
         'the CAM-threshold pseudo-labels'),
        (f'pseudo-labels: dense CRF, psa preset, alpha {figs["bg_alpha"]} '
         '(train)', figs['pseudo_mIoU_train']),
        ('DeepLabv3+ trained on pseudo-labels (val)',
         figs['seg_pseudo_mIoU_val']),
        ('DeepLabv3+ trained on GT masks (val)', figs['seg_gt_mIoU_val']),
        ('pseudo / GT', '-' if ratio is None else f'{ratio:.1f} %'),
    ]
    notes = [f'mIoU in % over the {figs["classes"]} classes, absent classes '
             'left out (mmseg).',
             f'Images: `{osp.relpath(osp.join(work, "cam_overlays"), HERE)}/`'
             ' (CAM overlays), `cam_threshold_sweep.png`, pseudo-label PNGs '
             f'in `{osp.relpath(osp.join(work, "pseudo_labels"), HERE)}/`.']
    return write_report(
        work, 'mmwsss demo: the embedded synthetic dataset, end to end',
        [('', md_table(('figure', 'value'), rows)),
         ('', stage_table(results['seconds']))], results, notes)


if __name__ == '__main__':
    main()
