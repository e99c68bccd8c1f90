"""projects/mile/run.py end to end on the tiny presets: pre-training on a
proxy corpus, the backbone cached, the CAM classifier started from it."""
import json
import os.path as osp

import pytest

from mmwsss.apis.pretrain import verify_pretrained
from tests.utils import run_tool


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
