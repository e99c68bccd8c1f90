"""CyclicPseudoMaskHook: re-label, switch, disable PUS, resume (PMM §3.5)."""
import os
import os.path as osp
import re

import pytest

from mmwsss.engine.hooks import redirect_seg_maps
from mmwsss.utils.io import TMP_PREFIX, read_label_png
from tests.utils import run_tool

CFG = 'configs/pmm/pspnet_r18-w32-d16_1xb16-2x800it_synthetic-128x128_pus-cyclic.py'


def write_cfg(repo_root, tmp_path, data_root, workers=2):
    persistent = workers > 0
    text = f'''
_base_ = '{osp.join(repo_root, CFG)}'
data_root = '{data_root}'
pseudo_label_dir = 'SegmentationClass'
train_dataloader = dict(batch_size=4, num_workers={workers},
    persistent_workers={persistent},
    dataset=dict(data_root=data_root,
                 data_prefix=dict(seg_map_path=pseudo_label_dir)))
val_dataloader = dict(batch_size=4, num_workers=0, persistent_workers=False,
                      dataset=dict(data_root=data_root))
test_dataloader = val_dataloader
round_iters = 2
train_cfg = dict(max_iters=4, val_interval=4)
param_scheduler = [dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=0,
                        end=2, by_epoch=False),
                   dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=2,
                        end=4, by_epoch=False)]
custom_imports = dict(imports=['mmwsss', 'seg_path_probe'],
                      allow_failed_imports=False)
custom_hooks = [dict(type='CyclicPseudoMaskHook', rounds=[2],
                     scales=(0.75, 1.0), flip=True),
                dict(type='SegPathProbeHook')]
default_hooks = dict(checkpoint=dict(interval=2, max_keep_ckpts=3),
                     logger=dict(interval=1))
'''
    path = tmp_path / 'cyclic.py'
    path.write_text(text)
    # a test-only hook printing which mask files each training batch read
    (tmp_path / 'seg_path_probe.py').write_text(PROBE)
    return str(path)


PROBE = '''
from mmengine.hooks import Hook
from mmseg.registry import HOOKS


@HOOKS.register_module()
class SegPathProbeHook(Hook):
    def before_train_iter(self, runner, batch_idx, data_batch=None):
        for s in data_batch['data_samples']:
            print(f'PROBE {runner.iter + 1} {s.seg_map_path}', flush=True)
'''


def test_cycle_switches_masks_disables_pus_and_resumes(repo_root,
                                                       tiny_synthetic,
                                                       tmp_path):
    cfg = write_cfg(repo_root, tmp_path, tiny_synthetic)
    work = str(tmp_path / 'work')
    out = run_tool(repo_root, 'tools/train.py', cfg, '--work-dir', work,
                   extra_path=tmp_path)
    # batches of iterations 1-2 read the old masks, 3-4 the new ones, also
    # from the persistent loader workers
    reads = re.findall(r'PROBE (\d) (\S+)', out)
    assert len(reads) == 16
    for it, path in reads:
        assert ('pseudo_masks/round_1/' in path) == (int(it) > 2), (it, path)
    round_dir = osp.join(work, 'pseudo_masks', 'round_1')
    names = open(osp.join(tiny_synthetic, 'ImageSets', 'Segmentation',
                          'train.txt')).read().split()
    files = sorted(os.listdir(round_dir))
    assert 'settings.json' in files  # the model + settings of the round
    files.remove('settings.json')
    assert files == sorted(n + '.png' for n in names)
    assert not any(f.startswith(TMP_PREFIX) for f in files)
    for f in files:
        lab = read_label_png(osp.join(round_dir, f))
        gt = read_label_png(osp.join(tiny_synthetic, 'SegmentationClass', f))
        assert lab.shape == gt.shape and lab.max() <= 10  # no ignore
    assert re.search(r'round 1: %d masks written' % len(names), out)
    # the hook publishes the round, PUSLoss(off_from_round=1) reads it
    assert 'PUSLoss off from pseudo-mask round 1' in out
    # the lr restarts at the switch: iteration 3 runs at the initial lr
    lrs = {int(m.group(1)): float(m.group(2)) for m in re.finditer(
        r'Iter\(train\) \[(\d)/4\]\s+lr: ([\d.e+-]+)', out)}
    assert lrs[3] > lrs[2] * 5, lrs

    # resume from iteration 2 (saved before the switch): the switch is
    # re-applied from the finished files, nothing is predicted again
    os.remove(osp.join(work, 'iter_4.pth'))
    with open(osp.join(work, 'last_checkpoint'), 'w') as f:
        f.write(osp.join(work, 'iter_2.pth'))
    out = run_tool(repo_root, 'tools/train.py', cfg, '--work-dir', work,
                   '--resume', extra_path=tmp_path)
    reads = re.findall(r'PROBE (\d) (\S+)', out)
    assert reads and all('pseudo_masks/round_1/' in p for _, p in reads)
    assert 'round 1: 0 masks written' in out
    assert 'Iter(train) [3/4]' in out

    # the same re-labelling between runs: tools/predict_pseudo_labels.py
    pred = str(tmp_path / 'pred')
    out = run_tool(repo_root, 'tools/predict_pseudo_labels.py', cfg,
                   osp.join(work, 'iter_4.pth'), '--out', pred,
                   '--scales', '1.0', '--shard', '0/2', extra_path=tmp_path)
    assert f'wrote {len(names[0::2])} masks' in out
    out = run_tool(repo_root, 'tools/predict_pseudo_labels.py', cfg,
                   osp.join(work, 'iter_4.pth'), '--out', pred,
                   '--scales', '1.0', '--shard', '1/2', extra_path=tmp_path)
    assert sorted(os.listdir(pred)) == sorted(files + ['settings.json'])
    again = run_tool(repo_root, 'tools/predict_pseudo_labels.py', cfg,
                     osp.join(work, 'iter_4.pth'), '--out', pred,
                     '--scales', '1.0', extra_path=tmp_path)
    assert 'wrote 0 masks' in again           # resumable: all finished
    # masks of another checkpoint are never taken for finished ones
    other = [cfg, osp.join(work, 'iter_2.pth'), '--out', pred, '--scales',
             '1.0']
    with pytest.raises(AssertionError, match='model'):
        run_tool(repo_root, 'tools/predict_pseudo_labels.py', *other,
                 extra_path=tmp_path)
    redo = run_tool(repo_root, 'tools/predict_pseudo_labels.py', *other,
                    '--recompute', extra_path=tmp_path)
    assert f'wrote {len(names)} masks' in redo


def test_cycle_with_in_process_loading(repo_root, tiny_synthetic, tmp_path):
    """num_workers=0: the sampler's shared generator must survive the
    restart of the loader (mmengine's InfiniteSampler)."""
    cfg = write_cfg(repo_root, tmp_path, tiny_synthetic, workers=0)
    out = run_tool(repo_root, 'tools/train.py', cfg, '--work-dir',
                   str(tmp_path / 'w0'), extra_path=tmp_path)
    reads = re.findall(r'PROBE (\d) (\S+)', out)
    assert len(reads) == 16
    assert all(('round_1/' in p) == (int(i) > 2) for i, p in reads)


def test_redirect_seg_maps_serialized_dataset(tiny_synthetic, tmp_path):
    from mmseg.datasets import BaseSegDataset
    ds = BaseSegDataset(
        data_root=tiny_synthetic,
        data_prefix=dict(img_path='JPEGImages',
                         seg_map_path='SegmentationClass'),
        ann_file='ImageSets/Segmentation/train.txt', serialize_data=True)
    new = [str(tmp_path / f'{i}.png') for i in range(len(ds))]
    redirect_seg_maps(ds, new)
    assert [ds.get_data_info(i)['seg_map_path'] for i in range(len(ds))] \
        == new
    assert ds.get_data_info(0)['img_path'].endswith('.jpg')
    assert len(ds.data_list) == 0       # still packed
    try:
        redirect_seg_maps(ds, new[:-1])
    except ValueError as e:
        assert 'targets' in str(e)
    else:
        raise AssertionError('length mismatch not refused')


@pytest.mark.faults
def test_cycle_with_two_ranks_on_cpu(repo_root, tiny_synthetic, tmp_path):
    """torchrun, 2 CPU processes (gloo, via mmwsss.utils.dist): each rank
    predicts and writes its half, both switch after the barrier."""
    import random
    import subprocess
    import sys
    cfg = write_cfg(repo_root, tmp_path, tiny_synthetic, workers=0)
    work = str(tmp_path / 'dist')
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([repo_root,
                                                       str(tmp_path)]),
               OMP_NUM_THREADS='1')
    proc = subprocess.run(
        [sys.executable, '-m', 'torch.distributed.run', '--nproc_per_node=2',
         f'--master_port={random.randint(20000, 40000)}', 'tools/train.py',
         cfg, '--launcher', 'pytorch', '--work-dir', work],
        cwd=repo_root, env=env, capture_output=True, text=True, timeout=600)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    names = open(osp.join(tiny_synthetic, 'ImageSets', 'Segmentation',
                          'train.txt')).read().split()
    written = [int(n) for n in re.findall(r'round 1: (\d+) masks written by '
                                          r'rank \d', out)]
    # only rank 0 logs: it wrote its half, rank 1 the other half
    assert written == [len(names[0::2])]
    assert sorted(os.listdir(osp.join(work, 'pseudo_masks', 'round_1'))) \
        == sorted([n + '.png' for n in names] + ['settings.json'])


def final_weights(work):
    import torch
    ckpt = torch.load(osp.join(work, 'iter_6.pth'), map_location='cpu',
                      weights_only=False)
    return ckpt['state_dict']


def resume_from(src, dst, it, with_masks):
    """A work dir as a run killed right after saving ``iter_{it}.pth``
    leaves it (the round's masks copied or not)."""
    import shutil
    os.makedirs(dst)
    shutil.copy(osp.join(src, f'iter_{it}.pth'), dst)
    with open(osp.join(dst, 'last_checkpoint'), 'w') as f:
        f.write(osp.join(dst, f'iter_{it}.pth'))
    if with_masks:
        shutil.copytree(osp.join(src, 'pseudo_masks'),
                        osp.join(dst, 'pseudo_masks'))


@pytest.mark.faults
def test_resumed_cycle_equals_uninterrupted_run(repo_root, tiny_synthetic,
                                                tmp_path):
    """Issue 15.7: resuming after (or at) the switch trains on the same
    batches with the same masks as an uninterrupted run: final weights
    bitwise equal. Dropout is off (mmengine does not checkpoint random
    states); augmentation runs in 2 persistent workers."""
    import torch
    cfg = write_cfg(repo_root, tmp_path, tiny_synthetic, workers=2)
    with open(cfg, 'a') as f:
        f.write('''
train_cfg = dict(max_iters=6, val_interval=6)
param_scheduler = [dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=0,
                        end=2, by_epoch=False),
                   dict(type='PolyLR', eta_min=1e-5, power=0.9, begin=2,
                        end=6, by_epoch=False)]
model = dict(decode_head=dict(dropout_ratio=0.0),
             auxiliary_head=dict(dropout_ratio=0.0))
default_hooks = dict(checkpoint=dict(interval=1, max_keep_ckpts=10))
randomness = dict(seed=0)
''')
    straight = str(tmp_path / 'straight')
    run_tool(repo_root, 'tools/train.py', cfg, '--work-dir', straight,
             extra_path=tmp_path)
    want = final_weights(straight)
    # killed after iteration 4 (after the switch at 2): the finished round
    # is kept, not predicted again by the model of iteration 4
    after = str(tmp_path / 'after')
    resume_from(straight, after, 4, with_masks=True)
    out = run_tool(repo_root, 'tools/train.py', cfg, '--work-dir', after,
                   '--resume', extra_path=tmp_path)
    assert 'round 1: 0 masks written' in out
    # killed right after saving iteration 2, before predicting: the same
    # model predicts the round again
    at = str(tmp_path / 'at')
    resume_from(straight, at, 2, with_masks=False)
    out = run_tool(repo_root, 'tools/train.py', cfg, '--work-dir', at,
                   '--resume', extra_path=tmp_path)
    names = open(osp.join(tiny_synthetic, 'ImageSets', 'Segmentation',
                          'train.txt')).read().split()
    assert f'round 1: {len(names)} masks written' in out
    for work in (after, at):
        got = final_weights(work)
        assert got.keys() == want.keys()
        for k in want:
            assert torch.equal(got[k], want[k]), (work, k)
