"""tools/train.py, --resume and tools/test.py CKPT on the tiny preset."""
import os
import os.path as osp
import re

import pytest

from tests.utils import run_tool, tiny_train_options

CFG = 'configs/cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'


def tiny_options(data_root, iters=4):
    return tiny_train_options(data_root, iters, checkpoint_interval=2)




def test_train_resume_and_test_from_checkpoint(repo_root, tiny_synthetic,
                                               tmp_path):
    work = str(tmp_path / 'work')
    opts = tiny_options(tiny_synthetic)
    out = run_tool(repo_root, 'tools/train.py', CFG, '--work-dir', work,
              '--cfg-options', *opts)
    assert osp.isfile(osp.join(work, 'iter_2.pth'))
    assert osp.isfile(osp.join(work, 'iter_4.pth'))
    assert re.search(r'cls/mAP: \d', out) and re.search(r'cam/mIoU: \d', out)

    # interrupted after iter 2: resume must load it (mmengine + torch>=2.6
    # fails here without mmwsss's checkpoint fix) and finish iters 3-4
    os.remove(osp.join(work, 'iter_4.pth'))
    with open(osp.join(work, 'last_checkpoint'), 'w') as f:
        f.write(osp.join(work, 'iter_2.pth'))
    out = run_tool(repo_root, 'tools/train.py', CFG, '--work-dir', work,
              '--resume', '--cfg-options', *opts)
    assert 'resumed epoch: 0, iter: 2' in out
    assert 'Iter(train) [3/4]' in out and 'Iter(train) [1/4]' not in out
    assert osp.isfile(osp.join(work, 'iter_4.pth'))

    out = run_tool(repo_root, 'tools/test.py', CFG, osp.join(work, 'iter_4.pth'),
              '--work-dir', str(tmp_path / 'test'), '--out',
              str(tmp_path / 'pred'), '--cfg-options', *opts)
    assert 'Load checkpoint from' in out
    assert re.search(r'cam/mIoU: \d', out)
    assert len(os.listdir(tmp_path / 'pred')) == 12  # one mask per image


def test_load_from_checkpoint(repo_root, tiny_synthetic, tmp_path):
    """``load_from`` of a full mmengine checkpoint (message hub etc.)."""
    from mmengine.runner import CheckpointLoader

    import mmwsss  # noqa: F401
    work = str(tmp_path / 'w')
    run_tool(repo_root, 'tools/train.py', CFG, '--work-dir', work,
        '--cfg-options', *tiny_options(tiny_synthetic, iters=2))
    ckpt = CheckpointLoader.load_checkpoint(osp.join(work, 'iter_2.pth'),
                                            map_location='cpu')
    assert 'message_hub' in ckpt and 'state_dict' in ckpt
    out = run_tool(repo_root, 'tools/train.py', CFG, '--work-dir',
              str(tmp_path / 'w2'), '--cfg-options',
              *tiny_options(tiny_synthetic, iters=2),
              f'load_from={osp.join(work, "iter_2.pth")}')
    assert 'Load checkpoint from' in out


def test_checkpoint_fix_scope():
    """Only the local scheme is replaced; remote schemes keep torch's safe
    default."""
    from mmengine.runner import CheckpointLoader

    import mmwsss  # noqa: F401
    from mmwsss.utils.checkpoint import load_from_local_trusted
    assert CheckpointLoader._schemes[''] is load_from_local_trusted
    assert CheckpointLoader._schemes['https://'] is not \
        load_from_local_trusted
    with pytest.raises(FileNotFoundError, match='missing.pth'):
        load_from_local_trusted('/nonexistent/missing.pth')
