"""projects/pmm/run.py end to end on the tiny preset (a few iterations)."""
import json
import os
import os.path as osp

from tests.utils import run_tool


def test_pmm_recipe_end_to_end(repo_root, tmp_path):
    work = tmp_path / 'work'
    # a relative --work-dir (read from the repo root): its split file and
    # mask folders go into dataset configs, which read relative paths
    # against the data root
    args = ['-m', 'projects.pmm.run', '--preset', 'tiny', '--data',
            str(tmp_path / 'data'), '--work-dir',
            osp.relpath(work, repo_root), '--cam-iters', '4',
            '--seg-iters', '2', '--multi-crop-images', '4']
    run_tool(repo_root, *args)
    res = json.load(open(work / 'results.json'))
    titles = [r[0] for r in res['pseudo_labels']]
    assert any(t.startswith('CVS + PPMG') for t in titles)
    assert any(t.startswith('cyclic round 1') for t in titles)
    for _, miou, prec, rec in res['pseudo_labels']:
        assert 0 <= miou <= 100 and 0 <= prec <= 100 and 0 <= rec <= 100
    figs = res['figures']
    for key in ('seg_ce', 'seg_pus', 'seg_cyclic'):
        assert figs[key] is not None and 0 <= figs[key] <= 100, key
    assert set(figs['multicrop']) >= {'multi_scale', 'multi_crop'}
    n_train = len(os.listdir(tmp_path / 'data' / 'JPEGImages')) - 12
    for name in ('cam', 'cam_crf', 'cvs_crf', 'ppmg_nocvs', 'ppmg'):
        pngs = [f for f in os.listdir(work / 'pseudo_labels' / name)
                if f.endswith('.png')]
        assert len(pngs) == n_train, name
    assert osp.isfile(work / 'results.md')
    # a rerun reuses everything and reports the same figures
    run_tool(repo_root, *args)
    again = json.load(open(work / 'results.json'))
    assert again['figures']['seg_pus'] == figs['seg_pus']
    assert again['pseudo_labels'] == res['pseudo_labels']
