"""PMM (Pseudo-mask Matters, ICCV 2021) end to end on the synthetic default.

    python -m projects.pmm.run [--cam-checkpoint CKPT] [--work-dir DIR]
        [--pretrained CKPT | --scratch]

1. the synthetic dataset (data/synthetic)
2. CAM classifier (configs/cam/..., or --cam-checkpoint of a finished one)
3. multi-scale CAMs of the training split
4. pseudo-labels, each evaluated on train: CAM threshold (best), CAM + CRF,
   CVS + CRF, PPMG without CVS, CVS + PPMG (the PMM pseudo-masks)
5. multi-crop vs multi-scale CAM inference on a subset of train (same
   classifier)
6. PSPNet on the PPMG masks with plain CE
7. PSPNet with PUS, then one cyclic pseudo-mask round in the same run
   (PUS off in round 2); the round's new masks are evaluated on train
8. DIR/results.md (+ results.json): every figure and the time of each stage

The CAM classifier and both PSPNets start from the backbone pre-trained on
the proxy corpus that ships with the configs (PUS presumes a pre-trained
segmentation network); --pretrained names another, --scratch starts all
three from random weights. Masks of the training split are read only to
evaluate. Every stage reuses
finished files, so a rerun continues.
"""
import argparse
import json
import os
import os.path as osp

from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from mmwsss.apis import generate_cams, make_pseudo_labels
from mmwsss.apis.config_utils import build_dataset, load_model, stage_items
from mmwsss.apis.pseudo_labels import summarize_areas
from mmwsss.datasets.synthetic import preset, write_synthetic_dataset
from mmwsss.evaluation.pseudo_label_eval import (eval_cam_dir, eval_label_dir,
                                                 plot_sweep, sweep_summary)
from mmwsss.utils.io import atomic_write
from projects.common.recipe import (StageTimer, abs_path,
                                    add_start_arguments, apply_start,
                                    backbone_start, point_config_at,
                                    require_files, train_or_load)
from projects.common.report import counted, md_table, stage_table, \
    write_report

HERE = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

CAM_CONFIG = osp.join(HERE, 'configs', 'cam',
                      'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py')
MULTICROP_CONFIG = osp.join(
    HERE, 'configs', 'pmm',
    'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_multicrop.py')
PPMG_CONFIG = osp.join(HERE, 'configs', 'pmm',
                       'ppmg_a11-s0.3-t0.05_synthetic.py')
SEG_CE = osp.join(HERE, 'configs', 'pmm',
                  'pspnet_r18-w32-d16_1xb16-800it_synthetic-128x128_ce.py')
SEG_CYCLIC = osp.join(
    HERE, 'configs', 'pmm',
    'pspnet_r18-w32-d16_1xb16-2x800it_synthetic-128x128_pus-cyclic.py')
CAM_SCALES = (1.0, 1.5)
THRESHOLDS = [round(0.05 * k, 2) for k in range(1, 20)]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--data', default=osp.join(HERE, 'data', 'synthetic'))
    parser.add_argument('--work-dir', type=abs_path,
                        default=osp.join(HERE, 'work_dirs', 'pmm'))
    parser.add_argument('--cam-checkpoint',
                        help='a trained CAM classifier of CAM_CONFIG '
                        '(default: train one in WORK_DIR/cam)')
    parser.add_argument('--nproc', type=int, default=2)
    parser.add_argument('--multi-crop-images', type=int, default=300,
                        help='train images for the multi-crop comparison '
                        '(0: skip)')
    parser.add_argument('--cam-iters', type=int, help='override (testing)')
    parser.add_argument('--seg-iters', type=int,
                        help='iterations per round (testing)')
    parser.add_argument('--preset', default='default')
    add_start_arguments(parser, 'the CAM classifier\'s and both PSPNets\'')
    args = parser.parse_args()
    require_files(parser, args, ['pretrained', 'cam_checkpoint'])
    return args


def cam_miou(items, classes, plot=None):
    areas = eval_cam_dir([(it['cam_path'], it['gt_path']) for it in items],
                         len(classes), THRESHOLDS)
    sweep = sweep_summary(areas, THRESHOLDS)
    if plot:
        plot_sweep(sweep, plot)
    return sweep['best_mIoU'], sweep['best_threshold']


def main():
    args = parse_args()
    work = args.work_dir
    os.makedirs(work, exist_ok=True)
    workers = 0 if args.preset == 'tiny' else 2
    stage = StageTimer()
    figs, rows = {}, []

    with stage('1 dataset'):
        write_synthetic_dataset(args.data, preset(args.preset), seed=0)

    cfg = point_config_at(Config.fromfile(CAM_CONFIG), args.data,
                          osp.join(work, 'cam'), args.cam_iters, workers)
    apply_start(cfg, args)
    init_default_scope('mmseg')
    with stage('2 CAM classifier'):
        if args.cam_checkpoint:
            model = load_model(cfg, args.cam_checkpoint).eval()
        else:
            runner, _ = train_or_load(cfg)
            model = runner.model
    train_ds = build_dataset(cfg, 'train_dataloader', pipeline=[
        dict(type='LoadVerifiedImageFromFile'),
        dict(type='PackWSSSInputs')
    ])
    classes = train_ds.metainfo['classes']
    palette = train_ds.metainfo['palette']
    cam_dir = osp.join(work, 'cams')
    with stage('3 multi-scale CAMs (train)'):
        model.test_cfg.update(scales=CAM_SCALES, flip=True, restrict='gt')
        generate_cams(model, train_ds, cam_dir,
                      overlay_dir=osp.join(work, 'cam_overlays'),
                      num_overlays=8, on_change='recompute')
    items = stage_items(train_ds, cam_dir, require_gt=True)

    def label_miou(name, title, **rule):
        out = osp.join(work, 'pseudo_labels', name)
        summary = make_pseudo_labels(items, out, len(classes), palette,
                                     nproc=args.nproc, on_change='recompute',
                                     **rule)
        with atomic_write(osp.join(out, 'summary.json'), 'w') as f:
            json.dump(summary, f, indent=1)
        rows.append((title, summary['mIoU'], summary['mPrecision'],
                     summary['mRecall']))
        return out

    with stage('4 pseudo-labels (train)'):
        best, thr = cam_miou(items, classes,
                             osp.join(work, 'cam_threshold_sweep.png'))
        figs['cam_threshold'] = thr
        label_miou('cam', f'CAM, best background threshold ({thr})',
                   bg_threshold=thr)
        label_miou('cam_crf', 'CAM + dense CRF (psa preset, alpha 4)',
                   bg_alpha=4.0, refiners=[dict(type='DenseCRF',
                                                preset='psa')])
        label_miou('cvs_crf', 'CVS + dense CRF (psa preset, alpha 4)',
                   bg_alpha=4.0, cam_transforms=[dict(type='CVS')],
                   refiners=[dict(type='DenseCRF', preset='psa')])
        label_miou('ppmg_nocvs', 'PPMG without CVS (alpha 11)',
                   generator=dict(type='PPMG', cvs=None))
        ppmg_rule = Config.fromfile(PPMG_CONFIG).pseudo_label_cfg.to_dict()
        ppmg_dir = label_miou('ppmg', 'CVS + PPMG (PMM, alpha 11)',
                              **ppmg_rule)

    if args.multi_crop_images:
        with stage('5 multi-crop vs multi-scale CAMs (train subset)'):
            names = [it['name'] for it in items[:args.multi_crop_images]]
            split = osp.join(work, 'multicrop_subset.txt')
            with atomic_write(split, 'w') as f:
                f.write('\n'.join(names) + '\n')
            sub = {it['name']: it for it in items}
            sub_items = [sub[n] for n in names]
            ms, _ = cam_miou(sub_items, classes)
            mc_cfg = Config.fromfile(MULTICROP_CONFIG)
            # the same classifier, with PMM's multi-crop inference
            mc_model = MODELS.build(mc_cfg.model)
            mc_model.load_state_dict(model.state_dict())
            mc_model.test_cfg.update(restrict='gt')
            mc_model.eval()
            mc_dir = osp.join(work, 'cams_multicrop')
            sub_ds = build_dataset(cfg, 'train_dataloader', split, [
                dict(type='LoadVerifiedImageFromFile'),
                dict(type='PackWSSSInputs')
            ])
            generate_cams(mc_model, sub_ds, mc_dir, num_overlays=0,
                          on_change='recompute')
            mc_items = stage_items(sub_ds, mc_dir, require_gt=True)
            mc, _ = cam_miou(mc_items, classes)
            figs['multicrop'] = dict(
                images=len(names), multi_scale=ms, multi_crop=mc,
                multi_scale_cfg=f'scales {CAM_SCALES} + flip',
                multi_crop_cfg=(f'scales {tuple(mc_cfg.scales)}, crop '
                                f'{mc_cfg.crop}, stride '
                                f'{mc_cfg.model.test_cfg.stride} + flip'))

    seg = {}
    seg_iters = None
    for key, path in (('ce', SEG_CE), ('cyclic', SEG_CYCLIC)):
        title = ('6 PSPNet, CE on PPMG masks' if key == 'ce' else
                 '7 PSPNet, PUS + one cyclic round')
        with stage(title):
            scfg = point_config_at(Config.fromfile(path), args.data,
                                   osp.join(work, f'seg_{key}'), None,
                                   workers)
            scfg.train_dataloader.dataset.data_prefix.seg_map_path = ppmg_dir
            # mmseg's PSPNet config starts from random weights
            apply_start(scfg, args, explicit=True)
            if args.seg_iters:
                n = args.seg_iters
                if key == 'cyclic':
                    scfg.train_cfg.max_iters = 2 * n
                    scfg.custom_hooks[-1].rounds = [n]
                    scfg.param_scheduler = [
                        dict(type='PolyLR', eta_min=1e-5, power=0.9,
                             begin=0, end=n, by_epoch=False),
                        dict(type='PolyLR', eta_min=1e-5, power=0.9,
                             begin=n, end=2 * n, by_epoch=False)]
                    scfg.train_cfg.val_interval = n
                else:
                    point_config_at(scfg, args.data, scfg.work_dir, n,
                                    workers)
                scfg.default_hooks.checkpoint.interval = n
            if key == 'ce':
                seg_iters = scfg.train_cfg.max_iters
            _, capture = train_or_load(scfg)
            seg[key] = [h.get('mIoU') for h in capture.history]
    figs['seg_ce'] = seg['ce'][-1] if seg['ce'] else None
    hist = seg['cyclic']
    figs['seg_pus'] = hist[0] if len(hist) > 1 else None
    figs['seg_cyclic'] = hist[-1] if hist else None
    round_dir = osp.join(work, 'seg_cyclic', 'pseudo_masks', 'round_1')
    if osp.isdir(round_dir):
        pairs = [(osp.join(round_dir, it['name'] + '.png'), it['gt_path'])
                 for it in items]
        s = summarize_areas(eval_label_dir(pairs, len(classes)))
        rows.append(('cyclic round 1: PSPNet (PUS) predictions, scales '
                     '0.75/1.0/1.25 + flip', s['mIoU'], s['mPrecision'],
                     s['mRecall']))

    figs['train_images'] = len(items)
    figs['classes'] = len(classes)
    figs['seg_iters_per_round'] = seg_iters
    figs['backbone_start'] = backbone_start(args)[1]
    results = dict(figures=figs, pseudo_labels=rows, seconds=stage.times)
    print(report(results, work))


def report(results: dict, work: str) -> str:
    """``results.md`` / ``results.json`` from the computed results."""
    figs, rows = results['figures'], results['pseudo_labels']
    sections = [(f'Pseudo-masks (train split, '
                 f'{counted(figs["train_images"], "images")})',
                 md_table(('pseudo-labels', 'mIoU', 'precision', 'recall'),
                          rows))]
    if 'multicrop' in figs:
        mc = figs['multicrop']
        sections.append((
            f'CAM inference (first {counted(mc["images"], "train images")},'
            ' same classifier, best threshold)',
            md_table(('inference', 'CAM mIoU'),
                     [(f'multi-scale, {mc["multi_scale_cfg"]}',
                       mc['multi_scale']),
                      (f'multi-crop, {mc["multi_crop_cfg"]}',
                       mc['multi_crop'])])))
    sections.append(('Final stage (val split)', md_table(
        (f'PSPNet (half-width ResNet-18, {figs["seg_iters_per_round"]} '
         'iters per round)', 'val mIoU'),
        [('CE on CVS + PPMG masks', figs['seg_ce']),
         ('PUS (clamp, beta = kappa = 0.5)', figs['seg_pus']),
         ('PUS, then one cyclic round (PUS off)', figs['seg_cyclic'])])))
    sections.append(('', stage_table(results['seconds'])))
    notes = [f'mIoU in % over {figs["classes"]} classes (absent classes '
             'left out). Images: cam_overlays/, cam_threshold_sweep.png, '
             'pseudo_labels/*/ (palette PNGs).']
    if figs.get('backbone_start'):
        notes.append('CAM classifier and PSPNet backbones start from: '
                     f'{figs["backbone_start"]}.')
    return write_report(work, 'PMM on the synthetic default', sections,
                        results, notes)


if __name__ == '__main__':
    main()
