"""The whole pipeline (``python -m projects.cam_to_segmentation.run``, what
``make demo`` runs) on the tiny preset, with the command-line tools on its
outputs."""
import json
import os
import os.path as osp

from projects.common.recipe import SHIPPED_BACKBONE
from tests.utils import run_tool




def test_quick_pipeline_end_to_end(repo_root, tmp_path):
    data, work = str(tmp_path / 'data'), str(tmp_path / 'work')
    # a relative --work-dir (the tool runs in the repo root): the pseudo-
    # label folder under it goes into the final stage's dataset config,
    # where a relative path would be read against the data root
    run_tool(repo_root, '-m', 'projects.cam_to_segmentation.run',
             '--preset', 'tiny', '--data', data, '--work-dir',
             osp.relpath(work, repo_root), '--cam-iters', '4',
             '--seg-iters', '4', '--num-overlays', '2', '--nproc', '1')
    res = json.load(open(osp.join(work, 'results.json')))
    figs = res['figures']
    for key in ('cls_mAP_val', 'cam_mIoU_val', 'cam_mIoU_train',
                'pseudo_mIoU_train', 'seg_pseudo_mIoU_val',
                'seg_gt_mIoU_val'):
        assert figs[key] is not None and 0 <= figs[key] <= 100, key
    assert len(res['seconds']) == 7
    # the CAM classifier started from the backbone shipped with the configs
    assert osp.samefile(figs['pretrained'], SHIPPED_BACKBONE)
    md = open(osp.join(work, 'results.md')).read()
    assert 'DeepLabv3+ trained on pseudo-labels' in md and 'total' in md
    assert osp.isfile(osp.join(work, 'cam_threshold_sweep.png'))
    assert len(os.listdir(osp.join(work, 'cam_overlays'))) == 2
    labels = [f for f in os.listdir(osp.join(work, 'pseudo_labels'))
              if f.endswith('.png')]
    assert len(labels) == 24

    # the command-line tools on the pipeline's outputs
    cfg = 'configs/cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'
    opt = ['--cfg-options', f'train_dataloader.dataset.data_root={data}']
    out = run_tool(repo_root, 'tools/eval_pseudo_labels.py', cfg, '--pred',
              osp.join(work, 'pseudo_labels'), '--absent', 'zero', *opt)
    assert 'absent classes count as 0' in out
    rep = json.load(open(osp.join(work, 'pseudo_labels', 'eval.json')))
    assert rep['images'] == 24 and rep['absent_convention'] == 'zero'
    assert 0 <= rep['F'] <= 100 and 'contour F' in out
    assert abs(rep['JF'] - (rep['mIoU'] + rep['F']) / 2) < 1e-9
    out = run_tool(repo_root, 'tools/eval_pseudo_labels.py', cfg, '--cams',
              osp.join(work, 'cams'), '--out', str(tmp_path), *opt)
    assert 'at background threshold' in out
    assert osp.isfile(tmp_path / 'threshold_sweep.png')
    rep = json.load(open(tmp_path / 'eval.json'))
    assert abs(rep['mIoU'] - figs['cam_mIoU_train']) < 1e-6
    assert len(rep['F_per_class']) == 11 and 0 <= rep['F'] <= 100
    out = run_tool(repo_root, 'tools/make_pseudo_labels.py', cfg, '--cams',
              osp.join(work, 'cams'), '--out', str(tmp_path / 'pl'),
              '--bg-threshold', '0.3', *opt)
    assert 'mIoU' in out
    summary = json.load(open(tmp_path / 'pl' / 'summary.json'))
    assert summary['images'] == 24 and summary['settings']['refiners'] == []
    assert summary['settings']['bg_threshold'] == 0.3
    assert abs(summary['JF'] - (summary['mIoU'] + summary['F']) / 2) < 1e-9
    # the PMM rule from a config's pseudo_label_cfg (PPMG)
    ppmg_cfg = 'configs/pmm/ppmg_a11-s0.3-t0.05_synthetic.py'
    out = run_tool(repo_root, 'tools/make_pseudo_labels.py', ppmg_cfg,
                   '--cams', osp.join(work, 'cams'), '--out',
                   str(tmp_path / 'ppmg'), *opt)
    summary = json.load(open(tmp_path / 'ppmg' / 'summary.json'))
    assert summary['settings']['generator']['type'] == 'PPMG'
    assert summary['images'] == 24 and summary['coverage'] == 1.0
    ckpt = osp.join(work, 'cam', 'iter_4.pth')
    out = run_tool(repo_root, 'tools/gen_cams.py', cfg, ckpt, '--out',
              str(tmp_path / 'c2'), '--scales', '1.0', '--restrict', 'pred',
              '--score-thr', '0.0', '--cfg-options',
              f'test_dataloader.dataset.data_root={data}')
    assert len([f for f in os.listdir(tmp_path / 'c2')
                if f.endswith('.npz')]) == 12


def test_final_stage_names_a_missing_pseudo_label(repo_root, tiny_synthetic,
                                                  tmp_path):
    """mmseg's own loading names the lost pseudo-label file."""
    import shutil

    import pytest
    from mmengine.config import Config
    from mmseg.registry import DATASETS
    labels = tmp_path / 'labels'
    shutil.copytree(osp.join(tiny_synthetic, 'SegmentationClass'), labels)
    os.remove(labels / 'syn_train_00003.png')
    cfg = Config.fromfile(osp.join(
        repo_root, 'configs/final_stage/'
        'deeplabv3plus_r18-w32-d16_1xb16-800it_synthetic-128x128_pseudo.py'))
    ds_cfg = cfg.train_dataloader.dataset
    ds_cfg.data_root = tiny_synthetic
    ds_cfg.data_prefix.seg_map_path = str(labels)
    ds = DATASETS.build(ds_cfg)
    assert ds.metainfo['classes'][0] == 'background'
    assert ds[0]['data_samples'].gt_sem_seg.data.shape[-2:] == (128, 128)
    with pytest.raises(Exception, match='syn_train_00003.png'):
        ds.pipeline(ds.get_data_info(3))
