"""gen_cams.py --launcher pytorch on a CPU-only machine (torchrun, 2 gloo
ranks, both starting on a new folder at once): the same files as one
process (issue 15, rows 14 and 15)."""
import os
import os.path as osp
import random
import subprocess
import sys

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
