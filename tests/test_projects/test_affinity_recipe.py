"""The random-walk path (``python -m projects.affinity.run``) on the tiny
preset, and the same chain by its configs through the command-line tools
(mmseg's official tools/train.py for the AffinityNet)."""
import json
import os
import os.path as osp

import numpy as np

from mmwsss.utils.io import read_label_png
from tests.utils import run_tool, tiny_train_options

AFF_CFG = ('configs/affinity/'
           'affinitynet_r18-w32-d16_1xb16-800it_synthetic-128x128.py')


def test_recipe_and_config_chain(repo_root, tmp_path):
    import mmseg
    data, work = str(tmp_path / 'data'), str(tmp_path / 'work')
    run_tool(repo_root, '-m', 'projects.affinity.run', '--preset', 'tiny',
             '--data', data, '--work-dir', work, '--cam-iters', '4',
             '--aff-iters', '4', '--seg-iters', '4', '--nproc', '1')
    res = json.load(open(osp.join(work, 'results.json')))
    names = [r['name'] for r in res['rows']]
    assert names == ['cam', 'cam-crf', 'rw', 'rw-crf', 'rw-all']
    for row in res['rows'] + [res['affinity_labels']]:
        for key in ('J', 'P', 'R', 'F', 'JF'):
            assert 0 <= row[key] <= 100, (row['name'], key)
    assert all(r['coverage'] == 100 for r in res['rows'])
    assert 0 < res['affinity_labels']['coverage'] < 100   # 255 in between
    assert set(res['seg_val_mIoU']) == {'rw', 'cam-crf'}
    assert osp.isfile(osp.join(work, 'results.png'))
    assert osp.isfile(osp.join(work, 'affinitynet', 'iter_4.pth'))
    md = open(osp.join(work, 'results.md')).read()
    assert 'CAM + RW + CRF' in md and 'DeepLabv3+ trained on' in md
    # absent classes never appear in the walked labels
    for f in sorted(os.listdir(osp.join(work, 'labels', 'rw'))):
        if not f.endswith('.png'):
            continue
        lab = read_label_png(osp.join(work, 'labels', 'rw', f))
        gt = read_label_png(osp.join(data, 'SegmentationClass', f))
        assert set(np.unique(lab)) <= set(np.unique(gt)) | {0}, f

    # the chain by its configs, as a user runs it
    opt = ['--cfg-options', f'train_dataloader.dataset.data_root={data}']
    cams = osp.join(work, 'cams')
    aff_labels = str(tmp_path / 'aff_labels')
    run_tool(repo_root, 'tools/make_pseudo_labels.py',
             'configs/affinity/psa-affinity-labels_a4-a32_synthetic.py',
             '--cams', cams, '--out', aff_labels, *opt)
    s = json.load(open(osp.join(aff_labels, 'summary.json')))
    assert s['settings']['generator']['type'] == 'PSAAffinityLabels'
    assert s['images'] == 24 and 0 < s['coverage'] < 1
    # the tool's labels equal the recipe's (same CAMs, same rule)
    for f in ('syn_train_00000.png', 'syn_train_00005.png'):
        assert np.array_equal(
            read_label_png(osp.join(aff_labels, f)),
            read_label_png(osp.join(work, 'labels', 'affinity', f)))
    run_tool(repo_root, 'tools/make_pseudo_labels.py',
             'configs/affinity/irn-affinity-labels_fg0.30-bg0.05_synthetic.py',
             '--cams', cams, '--out', str(tmp_path / 'irn'), *opt)
    assert json.load(open(tmp_path / 'irn' / 'summary.json'))[
        'settings']['generator']['type'] == 'IRNAffinityLabels'
    # mmseg's official train.py on the affinity labels
    aff_work = str(tmp_path / 'affnet')
    tool = osp.join(osp.dirname(mmseg.__file__), '.mim', 'tools', 'train.py')
    opts = [o for o in tiny_train_options(data, 2, checkpoint_interval=2)
            if not o.startswith(('val_dataloader', 'test_dataloader',
                                 'train_cfg.val_interval'))]
    out = run_tool(repo_root, tool, AFF_CFG, '--work-dir', aff_work,
                   '--cfg-options', *opts,
                   f'train_dataloader.dataset.data_prefix.seg_map_path='
                   f'{aff_labels}')
    assert 'loss_aff_fg' in out
    ckpt = osp.join(aff_work, 'iter_2.pth')
    for rule in ('rw_b8-t6-a6_synthetic.py', 'rw-crf_b8-t6-a6_synthetic.py'):
        dst = str(tmp_path / rule)
        run_tool(repo_root, 'tools/make_pseudo_labels.py',
                 f'configs/affinity/{rule}', '--cams', cams, '--out', dst,
                 '--nproc', '2', '--cfg-options',
                 f'train_dataloader.dataset.data_root={data}',
                 f'pseudo_label_cfg.refiners.0.checkpoint={ckpt}')
        s = json.load(open(osp.join(dst, 'summary.json')))
        assert s['images'] == 24 and s['coverage'] == 1.0
        assert s['settings']['refiners'][0]['checkpoint'] == ckpt
        assert s['settings']['bg_alpha'] == 6
