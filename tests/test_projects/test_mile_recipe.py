"""projects/mile/run.py end to end on the tiny presets: pre-training on a
proxy corpus, the backbone cached, the CAM classifier started from it."""
import json
import os.path as osp

import pytest

from mmwsss.apis.pretrain import verify_pretrained
from tests.utils import assert_backbone_starts_from, run_tool


def test_mile_recipe_end_to_end(repo_root, tmp_path):
    work, cache = tmp_path / 'work', tmp_path / 'cache'
    out = run_tool(repo_root, '-m', 'projects.mile.run', '--preset', 'tiny',
                   '--data', str(tmp_path / 'data'), '--proxy-data',
                   str(tmp_path / 'proxy'), '--work-dir', str(work),
                   '--cache-dir', str(cache), '--cam-iters', '2',
                   '--pretrain-iters', '4', '--nproc', '1', '--only',
                   'scratch', 'mile')
    res = json.load(open(work / 'results.json'))
    [pre] = res['pretrain']
    assert pre['name'] == 'mile' and pre['iters'] == 4
    assert 0 <= pre['mAP'] <= 100 and 0 <= pre['F1'] <= 100
    pth = cache / 'imgcls_r18-w32-d16_1xb32-3k_proxy-128_mile.pth'
    assert verify_pretrained(str(pth))['sha256'].startswith(pre['sha256'])
    assert [r['name'] for r in res['rows']] == ['scratch', 'mile']
    for r in res['rows']:
        assert 0 <= r['J'] <= 100 and 0 <= r['F'] <= 100
    # the pretrained CAM classifier loaded the cached backbone
    assert f'from path: {pth}' in out
    text = open(work / 'results.md').read()
    assert 'multi-label recovery' in text and 'CAM from MILe' in text
    assert osp.isfile(work / 'results.png')
    # the other recipes start from the same backbone with --pretrained
    log = run_tool(repo_root, '-m', 'projects.consistency_cam.run',
                   '--preset', 'tiny', '--data', str(tmp_path / 'data'),
                   '--work-dir', str(tmp_path / 'cc'), '--cam-iters', '2',
                   '--nproc', '1', '--only', 'baseline', '--pretrained',
                   str(pth))
    assert f'from path: {pth}' in log
    # the demo with a pretrained CAM classifier (this recipe's): it tests
    # that checkpoint instead of training one, and names the start
    demo = tmp_path / 'demo'
    run_tool(repo_root, '-m', 'projects.cam_to_segmentation.run',
             '--preset', 'tiny', '--data', str(tmp_path / 'data'),
             '--work-dir', str(demo), '--seg-iters', '2', '--nproc', '1',
             '--num-overlays', '1', '--pretrained', str(pth),
             '--cam-checkpoint', str(work / 'mile' / 'iter_2.pth'))
    figs = json.load(open(demo / 'results.json'))['figures']
    mile_row = next(r for r in res['rows'] if r['name'] == 'mile')
    assert figs['cls_mAP_val'] == pytest.approx(mile_row['mAP'])
    assert not list((demo / 'cam').glob('iter_*.pth'))  # not trained
    assert figs['pretrained'] == str(pth)
    assert pth.name in open(demo / 'results.md').read()
    # ... and so do PMM's PSPNets (use_pretrained on the final stage)
    from mmengine.config import Config

    from projects.common.recipe import use_pretrained
    cfg = Config.fromfile(osp.join(
        repo_root, 'configs/pmm/'
        'pspnet_r18-w32-d16_1xb16-800it_synthetic-128x128_pus.py'))
    use_pretrained(cfg, str(pth))
    assert_backbone_starts_from(cfg.model, pth)
