"""projects/hfpl/run.py end to end on the tiny preset (a few iterations)."""
import json
import os
import os.path as osp

import pytest

from tests.utils import run_tool


def test_hfpl_recipe_end_to_end(repo_root, tmp_path):
    work = tmp_path / 'work'
    args = ['projects/hfpl/run.py', '--preset', 'tiny', '--data',
            str(tmp_path / 'data'), '--work-dir', str(work), '--cam-iters',
            '2', '--nproc', '1', '--only', 'baseline', 'isl-fsl']
    run_tool(repo_root, *args)
    res = json.load(open(work / 'results.json'))
    assert [r['name'] for r in res['rows']] == ['baseline', 'isl-fsl']
    for r in res['rows']:
        for key in ('J', 'F', 'JF', 'mAP'):
            assert 0 <= r[key] <= 100, key
        assert r['JF'] == pytest.approx((r['J'] + r['F']) / 2)
        labels = work / 'eval' / r['name'] / 'labels'
        assert len([f for f in os.listdir(labels) if f.endswith('.png')]) \
            == len(os.listdir(tmp_path / 'data' / 'JPEGImages')) - 12
        assert len(os.listdir(work / 'eval' / r['name'] /
                              'cam_overlays')) == 6
    assert osp.isfile(work / 'results.png') and osp.isfile(work /
                                                           'results.md')
    # a given checkpoint is tested, not trained; the figures are reproduced
    ckpt = work / 'isl-fsl' / 'iter_2.pth'
    run_tool(repo_root, *args[:-2], 'isl-fsl', '--ckpt',
             f'isl-fsl={ckpt}', '--work-dir', str(tmp_path / 'again'))
    again = json.load(open(tmp_path / 'again' / 'results.json'))['rows'][0]
    assert not osp.exists(tmp_path / 'again' / 'isl-fsl' / 'iter_2.pth')
    assert again['J'] == pytest.approx(res['rows'][1]['J'])
    assert again['F'] == pytest.approx(res['rows'][1]['F'])
