"""projects/single_stage/run.py on the tiny preset (a few iterations)."""
import json

from tests.utils import run_tool


def test_single_stage_recipe_with_hfpl(repo_root, tmp_path):
    work = tmp_path / 'work'
    run_tool(repo_root, '-m', 'projects.single_stage.run', '--preset', 'tiny',
             '--data', str(tmp_path / 'data'), '--work-dir', str(work),
             '--iters', '4', '--variants', 'sg', 'hfpl')
    res = json.load(open(work / 'results.json'))
    titles = {r[0] for r in res['rows']}
    assert titles == {'with SG + GCI',
                      'with SG + GCI + ISL + FSL (HFPL, sigma 5)'}
    assert len(res['rows']) == 8
    for _, _, _, (miou, f, cls_map) in res['rows']:
        assert 0 <= miou <= 100 and 0 <= f <= 100 and 0 <= cls_map <= 100
    log = open(work / 'results.md').read()
    assert 'contour F | cls mAP' in log
    assert all(k.endswith('train + evaluate') for k in res['seconds']
               if k.startswith('2 '))
    # a rerun only evaluates the final checkpoints and says so
    run_tool(repo_root, '-m', 'projects.single_stage.run', '--preset', 'tiny',
             '--data', str(tmp_path / 'data'), '--work-dir', str(work),
             '--iters', '4', '--variants', 'sg')
    again = json.load(open(work / 'results.json'))
    assert list(k for k in again['seconds'] if k.startswith('2 ')) == [
        '2 single-stage with SG + GCI: evaluate (checkpoint reused)']
    assert again['rows'][0][3] == res['rows'][0][3]
