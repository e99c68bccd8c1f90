"""AtomicCheckpointHook: a process killed in the middle of a checkpoint save
(max_keep_ckpts=1) still resumes from the previous checkpoint."""
import os
import os.path as osp
import subprocess
import sys

import pytest
import torch

from tests.utils import run_tool, tiny_train_options

CFG = 'configs/cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'

# test-only module (sitecustomize): the second checkpoint save writes half a
# file, then FAILURE happens
SAVE_PROBE = '''
import errno, os, signal
import mmengine.runner.runner as runner_module
_save = runner_module.save_checkpoint
calls = []


def save_checkpoint(checkpoint, filename, *args, **kwargs):
    calls.append(filename)
    if len(calls) == 2:
        with open(filename, 'wb') as f:
            f.write(b'PK half a checkpoint')
        FAILURE
    return _save(checkpoint, filename, *args, **kwargs)


runner_module.save_checkpoint = save_checkpoint
'''
# killed (as by the OOM killer)
PROBE = SAVE_PROBE.replace('FAILURE', 'os.kill(os.getpid(), signal.SIGKILL)')
# the disk fills up: torch's writer raises naming no file
FULL_DISK = SAVE_PROBE.replace(
    'FAILURE', "raise RuntimeError('PytorchStreamWriter failed writing file "
    "data/3: file write failed')")


@pytest.mark.faults
def test_kill_during_save_keeps_the_last_checkpoint(repo_root,
                                                    tiny_synthetic,
                                                    tmp_path):
    # sitecustomize: imported at interpreter start-up (before the config)
    (tmp_path / 'sitecustomize.py').write_text(PROBE)
    work = str(tmp_path / 'work')
    opts = tiny_train_options(tiny_synthetic, 4, checkpoint_interval=2)
    opts += ['default_hooks.checkpoint.max_keep_ckpts=1']
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    killed = subprocess.run(
        [sys.executable, 'tools/train.py', CFG, '--work-dir', work,
         '--cfg-options', *opts],
        cwd=repo_root, env=env, capture_output=True, text=True, timeout=600)
    assert killed.returncode == -9, killed.stdout[-2000:] + killed.stderr
    # the previous checkpoint is still there and named by last_checkpoint
    last = open(osp.join(work, 'last_checkpoint')).read().strip()
    assert last == osp.join(work, 'iter_2.pth')
    assert torch.load(last, weights_only=False)['meta']['iter'] == 2
    assert not osp.exists(osp.join(work, 'iter_4.pth'))
    out = run_tool(repo_root, 'tools/train.py', CFG, '--work-dir', work,
                   '--resume', '--cfg-options', *opts)
    assert 'resumed' in out.lower() and 'Iter(train) [4/4]' in out
    assert sorted(f for f in os.listdir(work) if f.endswith('.pth')) == [
        'iter_4.pth']                       # max_keep_ckpts=1 honoured
    assert not [f for f in os.listdir(work) if f.startswith('.tmp-')]


@pytest.mark.faults
def test_full_disk_during_save_is_named(repo_root, tiny_synthetic, tmp_path):
    """Issue 15.11: torch's writer error names no file; the hook names the
    checkpoint, removes the partial temp file, keeps the last one."""
    (tmp_path / 'sitecustomize.py').write_text(FULL_DISK)
    work = str(tmp_path / 'work')
    opts = tiny_train_options(tiny_synthetic, 4, checkpoint_interval=2)
    opts += ['default_hooks.checkpoint.max_keep_ckpts=1']
    env = dict(os.environ, PYTHONPATH=str(tmp_path))
    proc = subprocess.run(
        [sys.executable, 'tools/train.py', CFG, '--work-dir', work,
         '--cfg-options', *opts],
        cwd=repo_root, env=env, capture_output=True, text=True, timeout=600)
    assert proc.returncode != 0
    assert f'saving checkpoint {osp.join(work, "iter_4.pth")} failed' \
        in proc.stderr
    assert 'untouched' in proc.stderr
    last = open(osp.join(work, 'last_checkpoint')).read().strip()
    assert last == osp.join(work, 'iter_2.pth') and osp.isfile(last)
    assert not [f for f in os.listdir(work) if f.startswith('.tmp-')]
