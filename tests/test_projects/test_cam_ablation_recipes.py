"""The CAM ablation recipes (projects/hfpl/run.py,
projects/consistency_cam/run.py, projects/seam/run.py,
projects/rcm_mam/run.py) end to end on the
tiny preset (a few iterations)."""
import json
import os
import os.path as osp
import re

import pytest

from projects.common.recipe import SHIPPED_BACKBONE
from tests.utils import run_tool


@pytest.mark.parametrize('module,baseline,variant', [
    ('projects.hfpl.run', 'baseline', 'isl-fsl'),
    ('projects.consistency_cam.run', 'baseline', 'consistency'),
    ('projects.seam.run', 'cam', 'seam-isl-fsl'),
    ('projects.rcm_mam.run', 'baseline', 'rcm-mam'),
])
def test_cam_ablation_recipe_end_to_end(repo_root, tmp_path, module,
                                        baseline, variant):
    work = tmp_path / 'work'
    args = ['-m', module, '--preset', 'tiny', '--data',
            str(tmp_path / 'data'), '--work-dir', str(work), '--cam-iters',
            '2', '--nproc', '1', '--only', baseline, variant]
    out = run_tool(repo_root, *args)
    # the classifiers start from the backbone shipped with the configs
    # (every load but the recipe's own checkpoints of the work dir)
    loaded = [p for p in re.findall(r'from path: (\S+)', out)
              if not p.startswith(str(work))]
    assert loaded and all(osp.samefile(p, SHIPPED_BACKBONE) for p in loaded)
    assert 'start from: ' + osp.basename(SHIPPED_BACKBONE) in open(
        work / 'results.md').read()
    res = json.load(open(work / 'results.json'))
    assert [r['name'] for r in res['rows']] == [baseline, variant]
    for r in res['rows']:
        for key in ('J', 'F', 'JF', 'P', 'R', 'mAP'):
            assert 0 <= r[key] <= 100, key
        assert r['JF'] == pytest.approx((r['J'] + r['F']) / 2)
        labels = work / 'eval' / r['name'] / 'labels'
        assert len([f for f in os.listdir(labels) if f.endswith('.png')]) \
            == len(os.listdir(tmp_path / 'data' / 'JPEGImages')) - 12
        assert len(os.listdir(work / 'eval' / r['name'] /
                              'cam_overlays')) == 6
    assert osp.isfile(work / 'results.png') and osp.isfile(work /
                                                           'results.md')
    if module == 'projects.rcm_mam.run':
        # the scale-variance table: 4 single scales, their mean and std,
        # all scales + flip, on every 7th training image
        rows = res['scale_rows']
        assert [r['name'] for r in rows] == [baseline, variant]
        for r in rows:
            single = [r[k] for k in ('0.5', '1', '1.5', '2')]
            assert all(0 <= v <= 100 for v in single + [r['multi']])
            assert r['mean'] == pytest.approx(sum(single) / 4)
            assert r['images'] == 4          # 24 training images / 7
        assert 'scale variance' in open(work / 'results.md').read()
    # a given checkpoint is tested, not trained; the figures are reproduced
    ckpt = work / variant / 'iter_2.pth'
    run_tool(repo_root, *args[:-2], variant, '--ckpt',
             f'{variant}={ckpt}', '--work-dir', str(tmp_path / 'again'))
    again = json.load(open(tmp_path / 'again' / 'results.json'))['rows'][0]
    assert not osp.exists(tmp_path / 'again' / variant / 'iter_2.pth')
    assert again['J'] == pytest.approx(res['rows'][1]['J'])
    assert again['F'] == pytest.approx(res['rows'][1]['F'])
