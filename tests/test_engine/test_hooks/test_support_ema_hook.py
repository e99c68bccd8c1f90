"""SupportEMAHook and the MAM switch under mmengine's Runner
(tools/train.py), including --resume."""
import os
import os.path as osp
import re

import pytest
import torch

from tests.utils import run_tool, tiny_train_options

CFG = 'configs/rcm_mam/rcm-mam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'


def _mam_by_iter(log: str) -> dict:
    out = {}
    for m in re.finditer(r'Iter\(train\) \[\s*(\d+)/\d+\].*?loss_mam: '
                         r'([0-9.e+-]+)', log):
        out[int(m.group(1))] = float(m.group(2))
    return out


def test_ema_and_mam_switch_survive_resume(repo_root, tiny_synthetic,
                                            tmp_path):
    work = str(tmp_path / 'work')
    opts = tiny_train_options(tiny_synthetic, 4, checkpoint_interval=2) + [
        'model.train_cfg.mam_start_iter=3',
        'train_dataloader.batch_size=2']
    log = run_tool(repo_root, 'tools/train.py', CFG, '--work-dir', work,
                   '--cfg-options', *opts)
    mam = _mam_by_iter(log)
    # runner.iter 0-2 are logged as 1-3: MAM off; from runner.iter 3 on
    assert [mam[i] == 0 for i in (1, 2, 3, 4)] == [True, True, True, False]
    ckpt = torch.load(osp.join(work, 'iter_4.pth'), map_location='cpu',
                      weights_only=False)['state_dict']
    assert ckpt['support_ready'] and ckpt['rcm.seen'].any()
    # G follows F with momentum 0.003: close to F, not equal after 4 steps
    f, g = ckpt['proj.0.weight'], ckpt['support.proj.0.weight']
    assert not torch.equal(f, g)
    assert (f - g).abs().max() < (f.abs().max() * 0.5)
    # resume from iteration 2: the switch happens at the same iteration
    os.remove(osp.join(work, 'iter_4.pth'))
    with open(osp.join(work, 'last_checkpoint'), 'w') as fh:
        fh.write(osp.join(work, 'iter_2.pth'))
    log = run_tool(repo_root, 'tools/train.py', CFG, '--work-dir', work,
                   '--resume', '--cfg-options', *opts)
    mam = _mam_by_iter(log)
    assert 1 not in mam and mam[3] == 0 and mam[4] > 0
    resumed = torch.load(osp.join(work, 'iter_4.pth'), map_location='cpu',
                         weights_only=False)['state_dict']
    assert resumed['support_ready']


def test_hook_refuses_a_model_without_support_net(repo_root, tiny_synthetic,
                                                  tmp_path):
    from mmwsss.engine import SupportEMAHook
    with pytest.raises(ValueError, match='momentum'):
        SupportEMAHook(momentum=0)

    class Runner:
        model = torch.nn.Linear(1, 1)
    with pytest.raises(TypeError, match='RCMMAMClassifier'):
        SupportEMAHook().before_train(Runner())
