"""The random-walk path (PSA) on the synthetic default, end to end:

    python -m projects.affinity.run [--ckpt CKPT] [--work-dir DIR]
        [--classifier cam|hfpl|seam-hfpl|consistency|rcm-mam]
        [--pretrained CKPT | --scratch]

1. the synthetic dataset (data/synthetic)
2. the CAM classifier (``--classifier``: configs/cam, HFPL's CAM + ISL + FSL,
   SEAM + ISL + FSL as HFPL published, Consistency-CAM or RCM + MAM),
   trained in WORK_DIR/cam or given as ``--ckpt``
3. multi-scale CAMs of the training split (scales 1.0, 1.5 + flip, classes
   from the image labels), as the demo
4-10. pseudo-labels of the training split, each scored (mIoU, precision,
   recall, contour F, J&F, coverage): CAM (best background threshold),
   CAM + CRF (alpha 4, psa), PSA's affinity labels (alpha 4 / 32, CRF; 255
   between), AffinityNet (configs/affinity) trained on them, CAM + RW
   (alpha 6, beta 8, logt 6 as HFPL), CAM + RW + CRF (one CRF iteration on
   the walked scores, HFPL), CAM + RW on all pairs within the radius
11-12. mmseg's DeepLabv3+ trained on the RW labels and on the CRF labels,
   evaluated on val
then WORK_DIR/results.md (+ results.json, results.png)

Masks of the training split are read only to evaluate. Every stage reuses
finished files and checkpoints, so a rerun continues.
"""
import argparse
import json
import os
import os.path as osp

from mmengine.config import Config
from mmengine.registry import init_default_scope

from mmwsss.apis import generate_cams, make_pseudo_labels
from mmwsss.apis.config_utils import build_dataset, stage_items
from mmwsss.datasets.synthetic import preset, write_synthetic_dataset
from mmwsss.evaluation.pseudo_label_eval import eval_cam_dir, sweep_summary
from mmwsss.utils.io import atomic_write
from projects.common.recipe import (StageTimer, abs_path, add_start_arguments,
                                    apply_start, backbone_start,
                                    point_config_at, require_files,
                                    train_or_load, train_to_checkpoint)
from projects.common.report import (counted, md_table, plot_grouped_bars,
                                    stage_table, write_report)

HERE = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CFG = osp.join(HERE, 'configs')
STEM = 'r18-w32-d16_1xb16-1500it_synthetic-128x128'
# the CAM classifier the chain starts from (--classifier)
CLASSIFIERS = {
    'cam': f'cam/cam_{STEM}.py',
    'hfpl': f'hfpl/cam_{STEM}_isl-fsl.py',
    'seam-hfpl': f'seam/seam_{STEM}_isl-fsl.py',
    'consistency': f'consistency_cam/cam_{STEM}_consistency.py',
    'rcm-mam': f'rcm_mam/rcm-mam_{STEM}.py',
}
AFF_CONFIG = osp.join(
    CFG, 'affinity',
    'affinitynet_r18-w32-d16_1xb16-800it_synthetic-128x128.py')
AFF_LABEL_RULE = osp.join(CFG, 'affinity',
                          'psa-affinity-labels_a4-a32_synthetic.py')
RW_RULE = osp.join(CFG, 'affinity', 'rw_b8-t6-a6_synthetic.py')
RW_CRF_RULE = osp.join(CFG, 'affinity', 'rw-crf_b8-t6-a6_synthetic.py')
SEG_CONFIG = osp.join(
    CFG, 'final_stage',
    'deeplabv3plus_r18-w32-d16_1xb16-800it_synthetic-128x128_pseudo.py')
CAM_SCALES = (1.0, 1.5)
CRF_ALPHA = 4.0   # the demo's CAM + CRF labels
THRESHOLDS = [round(0.05 * k, 2) for k in range(1, 20)]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split('\n')[0])
    parser.add_argument('--classifier', choices=sorted(CLASSIFIERS),
                        default='cam', help='the CAM classifier config: '
                        'cam, hfpl (CAM + ISL + FSL), seam-hfpl (HFPL as '
                        'published), consistency (Consistency-CAM), rcm-mam')
    parser.add_argument('--ckpt', help='a trained classifier to reuse')
    parser.add_argument('--data', default=osp.join(HERE, 'data', 'synthetic'))
    parser.add_argument('--work-dir', type=abs_path,
                        help='default work_dirs/affinity (+ _CLASSIFIER '
                        'unless cam)')
    parser.add_argument('--nproc', type=int, default=2)
    parser.add_argument('--cam-iters', type=int, help='override (testing)')
    parser.add_argument('--aff-iters', type=int, help='override (testing)')
    parser.add_argument('--seg-iters', type=int, help='override (testing)')
    parser.add_argument('--preset', default='default')
    add_start_arguments(parser, 'the CAM classifier\'s and AffinityNet\'s')
    args = parser.parse_args(argv)
    require_files(parser, args, ['ckpt', 'pretrained'])
    if args.work_dir is None:
        suffix = '' if args.classifier == 'cam' else f'_{args.classifier}'
        args.work_dir = osp.join(HERE, 'work_dirs', f'affinity{suffix}')
    return args


def _rule(path: str) -> dict:
    return Config.fromfile(path).to_dict()['pseudo_label_cfg']


def main(argv=None):
    args = parse_args(argv)
    work = args.work_dir
    os.makedirs(work, exist_ok=True)
    workers = 0 if args.preset == 'tiny' else 2
    stage = StageTimer()
    with stage('1 dataset'):
        write_synthetic_dataset(args.data, preset(args.preset), seed=0)

    with stage('2 CAM classifier'):
        cfg = point_config_at(Config.fromfile(
            osp.join(CFG, CLASSIFIERS[args.classifier])), args.data,
                              osp.join(work, 'cam'), args.cam_iters, workers)
        apply_start(cfg, args)
        runner, _ = train_or_load(cfg, args.ckpt)
    init_default_scope('mmseg')
    ds = build_dataset(cfg, 'train_dataloader', pipeline=[
        dict(type='LoadVerifiedImageFromFile'),
        dict(type='PackWSSSInputs')
    ])
    classes, palette = ds.metainfo['classes'], ds.metainfo['palette']
    cam_dir = osp.join(work, 'cams')
    with stage('3 multi-scale CAMs (train)'):
        model = runner.model
        model.test_cfg.update(scales=CAM_SCALES, flip=True, restrict='gt')
        generate_cams(model, ds, cam_dir,
                      overlay_dir=osp.join(work, 'cam_overlays'),
                      num_overlays=6, on_change='recompute')
    # masks only to evaluate (never to train)
    items = stage_items(ds, cam_dir, require_gt=True)

    def labels(name: str, **rule) -> dict:
        out = osp.join(work, 'labels', name)
        s = make_pseudo_labels(items, out, len(classes), palette,
                               nproc=args.nproc, on_change='recompute',
                               **rule)
        with atomic_write(osp.join(out, 'summary.json'), 'w') as f:
            json.dump(s, f, indent=1)
        return dict(name=name, J=s['mIoU'], P=s['mPrecision'],
                    R=s['mRecall'], F=s['F'], JF=s['JF'],
                    coverage=s['coverage'] * 100, dir=out)

    rows = []
    with stage('4 CAM: threshold sweep + labels'):
        sweep = sweep_summary(eval_cam_dir(
            [(it['cam_path'], it['gt_path']) for it in items],
            len(classes), THRESHOLDS, show_progress=False), THRESHOLDS)
        t = sweep['best_threshold']
        rows.append(dict(labels('cam', bg_threshold=t),
                         title=f'CAM (bg threshold {t})'))
    with stage('5 CAM + CRF'):
        rows.append(dict(
            labels('cam-crf', bg_alpha=CRF_ALPHA,
                   refiners=[dict(type='DenseCRF', preset='psa')]),
            title=f'CAM + CRF (alpha {CRF_ALPHA:g}, psa)'))
    with stage('6 affinity labels (PSA)'):
        aff = labels('affinity', **_rule(AFF_LABEL_RULE))
        aff['title'] = ('affinity labels (alpha 4 / 32 + CRF; scored on '
                        'the labelled pixels)')
    with stage('7 AffinityNet'):
        acfg = Config.fromfile(AFF_CONFIG)
        acfg.train_dataloader.dataset.data_prefix.seg_map_path = aff['dir']
        acfg = point_config_at(acfg, args.data, osp.join(work, 'affinitynet'),
                               args.aff_iters, workers)
        apply_start(acfg, args)
        aff_ckpt = train_to_checkpoint(acfg)
    for num, name, rule_path, pairs, title in (
            (8, 'rw', RW_RULE, 'psa', 'CAM + RW (alpha 6, beta 8, logt 6)'),
            (9, 'rw-crf', RW_CRF_RULE, 'psa', 'CAM + RW + CRF (1 iteration)'),
            (10, 'rw-all', RW_RULE, 'all',
             'CAM + RW, all pairs within the radius (not PSA\'s crop)')):
        with stage(f'{num} {title}'):
            rule = _rule(rule_path)
            rule['refiners'][0].update(config=AFF_CONFIG, checkpoint=aff_ckpt,
                                       pairs=pairs)
            rows.append(dict(labels(name, **rule), title=title))

    seg = {}
    for num, name in ((11, 'rw'), (12, 'cam-crf')):
        with stage(f'{num} DeepLabv3+ on {name} labels'):
            scfg = point_config_at(Config.fromfile(SEG_CONFIG), args.data,
                                   osp.join(work, f'seg_{name}'),
                                   args.seg_iters, workers)
            scfg.train_dataloader.dataset.data_prefix.seg_map_path = \
                osp.join(work, 'labels', name)
            _, capture = train_or_load(scfg)
            seg[name] = capture.metrics.get('mIoU')
    results = dict(classifier=CLASSIFIERS[args.classifier], rows=rows,
                   affinity_labels=aff, seg_val_mIoU=seg,
                   images=len(items), classes=len(classes),
                   cam_scales=list(CAM_SCALES), affinity_checkpoint=aff_ckpt,
                   backbone_start=backbone_start(args)[1],
                   seconds=stage.times)
    print(report(results, work))
    return results


def report(results: dict, work: str) -> str:
    """``results.md`` / ``results.json`` / ``results.png``."""
    rows, aff = results['rows'], results['affinity_labels']
    table = md_table(
        ('pseudo-labels (train)', 'mIoU', 'precision', 'recall', 'F',
         'J&F', 'coverage %'),
        [(r['title'], r['J'], r['P'], r['R'], r['F'], r['JF'],
          r['coverage']) for r in rows + [aff]])
    seg = results['seg_val_mIoU']
    final = md_table(('DeepLabv3+ trained on', 'val mIoU'),
                     [('CAM + RW labels', seg.get('rw')),
                      ('CAM + CRF labels', seg.get('cam-crf'))])
    notes = [f'CAM classifier: `configs/{results["classifier"]}`; it and '
             f'AffinityNet start from {results["backbone_start"]}.',
             f'{counted(results["images"], "training images")}, '
             f'{results["classes"]} classes; CAMs at scales '
             f'{tuple(results["cam_scales"])} + flip, classes from the image '
             'labels. mIoU / precision / recall in % over the classes '
             '(absent classes left out); F: boundary F-measure, J&F = '
             '(mIoU + F) / 2; coverage: labelled (not 255) pixels.',
             'The affinity labels leave the uncertain band unlabelled; their '
             'scores count only labelled pixels.']
    text = write_report(work, 'The random-walk path (PSA) on the synthetic '
                        'default', [('pseudo-labels', table),
                                    ('final stage', final),
                                    ('', stage_table(results['seconds']))],
                        results, notes)
    plot_grouped_bars(rows, (('J', 'mIoU'), ('P', 'precision'),
                             ('R', 'recall'), ('F', 'F')),
                      osp.join(work, 'results.png'),
                      'pseudo-labels of the training split')
    return text


if __name__ == '__main__':
    main()
