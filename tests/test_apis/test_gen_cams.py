import os
import os.path as osp
import signal
import subprocess
import sys
import time

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmseg.registry import DATASETS, MODELS

from mmwsss.apis import generate_cams
from mmwsss.utils.cam_io import load_cam_file
from mmwsss.utils.io import TMP_PREFIX

CFG = 'configs/cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'


def model_and_data(repo_root, data_root, split='train'):
    cfg = Config.fromfile(osp.join(repo_root, CFG))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    ds_cfg = cfg.test_dataloader.dataset
    ds_cfg.data_root = data_root
    ds_cfg.ann_file = f'ImageSets/Segmentation/{split}.txt'
    ds_cfg.pipeline = [dict(type='LoadImageFromFile'),
                       dict(type='PackWSSSInputs')]
    return model, DATASETS.build(ds_cfg)


def test_cam_files_overlays_and_shards(repo_root, tiny_synthetic, tmp_path):
    model, ds = model_and_data(repo_root, tiny_synthetic, 'val')
    model.test_cfg.update(scales=(1.0, 1.5), flip=True)
    out = str(tmp_path / 'cams')
    res0 = generate_cams(model, ds, out, shard=(0, 2),
                         overlay_dir=str(tmp_path / 'ov'), num_overlays=2,
                         show_progress=False)
    res1 = generate_cams(model, ds, out, shard=(1, 2), show_progress=False)
    assert res0['written'] + res1['written'] == len(ds) == 12
    assert len(os.listdir(tmp_path / 'ov')) == 2
    for i in range(len(ds)):
        info = ds.get_data_info(i)
        name = osp.splitext(osp.basename(info['img_path']))[0]
        rec = load_cam_file(osp.join(out, name + '.npz'))
        # restricted to the image labels, at image size, normalised
        assert rec['keys'].tolist() == np.flatnonzero(
            info['gt_img_labels']).tolist()
        assert rec['cams'].shape[1:] == (64, 64)
        assert rec['cams'].min() >= 0 and rec['cams'].max() <= 1.001
        assert rec['scores'].shape == (10, )
    again = generate_cams(model, ds, out, show_progress=False)
    assert again == dict(written=0, skipped=12, complete=True)
    # another model (or another test_cfg) never reuses these files
    with torch.no_grad():
        model.cam_head.classifier.weight.add_(0.1)
    with pytest.raises(ValueError, match=r'cams.*model'):
        generate_cams(model, ds, out, show_progress=False)
    redo = generate_cams(model, ds, out, show_progress=False,
                         on_change='recompute')
    assert redo == dict(written=12, skipped=0, complete=True)
    model.test_cfg['flip'] = False
    with pytest.raises(ValueError, match='other settings'):
        generate_cams(model, ds, out, show_progress=False)


GEN = r'''
import sys
sys.path.insert(0, {root!r})
sys.argv = ['gen_cams', {cfg!r}, {ckpt!r}, '--out', {out!r},
            '--scales', '1.0', '1.5', '2.0', '2.5', '3.0', '--flip',
            '--num-overlays', '0',
            '--cfg-options', 'test_dataloader.dataset.data_root={data}',
            'test_dataloader.dataset.ann_file=ImageSets/Segmentation/train.txt']
sys.path.insert(0, {tools!r})
import runpy
runpy.run_path({tool!r}, run_name='__main__')
'''


@pytest.mark.faults
@pytest.mark.parametrize('n_train', [60])
def test_gen_cams_resume_after_kill(repo_root, tmp_path, n_train):
    from mmwsss.datasets.synthetic import preset, write_synthetic_dataset
    data = str(tmp_path / 'data')
    write_synthetic_dataset(data, preset('tiny', num_train=n_train, num_val=1),
                            show_progress=False)
    model, _ = model_and_data(repo_root, data)
    ckpt = str(tmp_path / 'model.pth')
    torch.save(dict(state_dict=model.state_dict(), meta={}), ckpt)

    def script(out):
        return GEN.format(root=repo_root, cfg=osp.join(repo_root, CFG),
                          ckpt=ckpt, out=out, data=data,
                          tools=osp.join(repo_root, 'tools'),
                          tool=osp.join(repo_root, 'tools', 'gen_cams.py'))

    env = dict(os.environ, OMP_NUM_THREADS='1')
    killed = str(tmp_path / 'killed')
    proc = subprocess.Popen([sys.executable, '-c', script(killed)], env=env,
                            stdout=subprocess.DEVNULL)
    deadline = time.time() + 180
    while time.time() < deadline:
        done = os.listdir(killed) if osp.isdir(killed) else []
        if len([f for f in done if f.endswith('.npz')]) >= 5:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = [f for f in os.listdir(killed)
            if f.endswith('.npz') and not f.startswith(TMP_PREFIX)]
    assert 5 <= len(done) < n_train, 'the job was not interrupted mid-run'
    subprocess.run([sys.executable, '-c', script(killed)], check=True,
                   env=env, stdout=subprocess.DEVNULL)
    clean = str(tmp_path / 'clean')
    subprocess.run([sys.executable, '-c', script(clean)], check=True,
                   env=env, stdout=subprocess.DEVNULL)
    names = sorted(f for f in os.listdir(clean) if f.endswith('.npz'))
    assert len(names) == n_train
    assert sorted(f for f in os.listdir(killed) if f.endswith('.npz')
                  and not f.startswith(TMP_PREFIX)) == names
    for f in names:
        a = load_cam_file(osp.join(killed, f))
        b = load_cam_file(osp.join(clean, f))
        assert np.array_equal(a['cams'], b['cams']), f
        assert np.array_equal(a['keys'], b['keys'])


def test_prefetch_batches_and_writer_thread_give_the_same_files(
        repo_root, tiny_synthetic, tmp_path, monkeypatch):
    """Workers, same-size batches and the writer thread change nothing in
    the files; a failed write is raised, not lost."""
    model, ds = model_and_data(repo_root, tiny_synthetic, 'val')
    model.test_cfg.update(scales=(1.0, ), flip=True)
    ref = str(tmp_path / 'ref')
    generate_cams(model, ds, ref, num_workers=0, batch_size=1,
                  show_progress=False)
    fast = str(tmp_path / 'fast')
    res = generate_cams(model, ds, fast, num_workers=2, batch_size=4,
                        overlay_dir=str(tmp_path / 'ov'), num_overlays=3,
                        show_progress=False)
    assert res == dict(written=12, skipped=0, complete=True)
    assert len(os.listdir(tmp_path / 'ov')) == 3
    for f in sorted(os.listdir(ref)):
        if not f.endswith('.npz'):
            continue
        a, b = load_cam_file(osp.join(ref, f)), load_cam_file(
            osp.join(fast, f))
        assert a['keys'].tolist() == b['keys'].tolist()
        assert np.allclose(a['cams'], b['cams'], atol=1e-5)
        assert np.allclose(a['scores'], b['scores'], atol=1e-6)
    # a write that fails in the writer thread is raised here
    import mmwsss.apis.gen_cams as gc
    real = gc.save_cam_file

    def full_disk(path, *args):
        if path.endswith('_00005.npz'):
            raise OSError(28, 'No space left on device', path)
        return real(path, *args)

    monkeypatch.setattr(gc, 'save_cam_file', full_disk)
    with pytest.raises(OSError, match='No space'):
        generate_cams(model, ds, str(tmp_path / 'disk'), num_workers=0,
                      show_progress=False)
    monkeypatch.setattr(gc, 'save_cam_file', real)
    with pytest.raises(ValueError, match='batch_size'):
        generate_cams(model, ds, str(tmp_path / 'x'), batch_size=0)
