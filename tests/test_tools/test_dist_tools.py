"""gen_cams.py --launcher pytorch on a CPU-only machine (torchrun, 2 gloo
ranks, both starting on a new folder at once): the same files as one
process (issue 15, rows 14 and 15)."""
import os
import os.path as osp
import random
import subprocess
import sys

import pytest
import torch

from mmwsss.utils.io import TMP_PREFIX, check_run_settings
from tests.test_apis.test_gen_cams import CFG, model_and_data
from tests.utils import run_tool


def test_a_concurrent_writers_temp_file_is_not_a_foreign_result(tmp_path):
    out = tmp_path / 'new'
    out.mkdir()
    (out / f'{TMP_PREFIX}settings.json.abc').write_text('{}')
    assert check_run_settings(str(out), dict(a=1)) is True
    (out / 'x.npz').write_text('')
    assert check_run_settings(str(out), dict(a=1)) is True   # recorded


@pytest.mark.faults
def test_gen_cams_torchrun_on_cpu(repo_root, tiny_synthetic, tmp_path):
    model, _ = model_and_data(repo_root, tiny_synthetic)
    ckpt = str(tmp_path / 'model.pth')
    torch.save(dict(state_dict=model.state_dict(), meta={}), ckpt)
    opts = ['--cfg-options', f'test_dataloader.dataset.data_root='
            f'{tiny_synthetic}']
    one = str(tmp_path / 'one')
    run_tool(repo_root, 'tools/gen_cams.py', CFG, ckpt, '--out', one,
             '--num-overlays', '0', *opts)
    two = str(tmp_path / 'two')
    env = dict(os.environ)
    env.pop('PYTHONPATH', None)
    proc = subprocess.run(
        [sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node=2',
         f'--master_port={random.randint(20000, 40000)}',
         'tools/gen_cams.py', CFG, ckpt, '--out', two, '--num-overlays', '0',
         '--launcher', 'pytorch', *opts],
        cwd=repo_root, env=env, capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-3000:]
    assert 'shard 0/2' in out and 'shard 1/2' in out
    files = sorted(f for f in os.listdir(one) if f.endswith('.npz'))
    assert files and files == sorted(
        f for f in os.listdir(two) if f.endswith('.npz'))
    for f in files:
        with open(osp.join(one, f), 'rb') as a, \
                open(osp.join(two, f), 'rb') as b:
            assert a.read() == b.read(), f


FINAL = ('configs/final_stage/'
         'deeplabv3plus_r18-w32-d16_1xb16-800it_synthetic-128x128_gt.py')

# test-only hook: after each validation every rank writes a digest of the
# model it validated with (parameters and buffers)
VAL_PROBE = """
import hashlib, os
from mmengine.dist import get_rank
from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmseg.registry import HOOKS


def digest(state):
    h = hashlib.sha1()
    for k in sorted(state):
        h.update(k.encode())
        h.update(state[k].detach().cpu().contiguous().numpy().tobytes())
    return h.hexdigest()


@HOOKS.register_module()
class ValModelProbeHook(Hook):
    def after_val_epoch(self, runner, metrics=None):
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        with open(os.path.join(runner.work_dir,
                               f'validated_rank{get_rank()}.sha1'), 'w') as f:
            f.write(digest(model.state_dict()))
"""


@pytest.mark.faults
def test_distributed_validation_is_the_saved_models(repo_root, tiny_synthetic,
                                                    tmp_path):
    """Issue 15.13: with 2 CPU ranks (plain BN, broadcast_buffers=False)
    every rank validates with the model that is saved - BufferSyncHook
    keeps the ranks' BN statistics equal - so the distributed validation
    is the checkpoint's test. With the hook replaced by a no-op (the
    fault) rank 1 validates another model."""
    from tests.utils import tiny_train_options
    (tmp_path / 'val_probe.py').write_text(VAL_PROBE)
    digest = {}
    exec(VAL_PROBE.split('@HOOKS')[0], digest)
    for name, hook in (('synced', 'BufferSyncHook'),
                       ('per_rank', 'EmptyCacheHook')):  # a no-op here
        cfg = tmp_path / f'{name}.py'
        cfg.write_text(f"""
_base_ = '{osp.join(repo_root, FINAL)}'
custom_imports = dict(imports=['mmwsss', 'val_probe'],
                      allow_failed_imports=False)
custom_hooks = [dict(type='ValModelProbeHook')]
default_hooks = dict(sync_buffers=dict(type='{hook}'))
""")
        work = str(tmp_path / name)
        env = dict(os.environ, OMP_NUM_THREADS='1',
                   PYTHONPATH=str(tmp_path))
        proc = subprocess.run(
            [sys.executable, '-m', 'torch.distributed.run',
             '--nproc_per_node=2',
             f'--master_port={random.randint(20000, 40000)}',
             'tools/train.py', str(cfg), '--launcher', 'pytorch',
             '--work-dir', work, '--cfg-options',
             *tiny_train_options(tiny_synthetic, 3, checkpoint_interval=3)],
            cwd=repo_root, env=env, capture_output=True, text=True,
            timeout=900)
        assert proc.returncode == 0, (proc.stdout + proc.stderr)[-4000:]
        saved = torch.load(osp.join(work, 'iter_3.pth'), map_location='cpu',
                           weights_only=False)['state_dict']
        want = digest['digest'](saved)
        got = [open(osp.join(work, f'validated_rank{r}.sha1')).read()
               for r in (0, 1)]
        if name == 'synced':
            assert got == [want, want]
        else:
            assert got[0] == want and got[1] != want
