import json
import os
import os.path as osp
import signal
import subprocess
import sys
import time

import cv2
import numpy as np
import pytest

from mmwsss.apis import make_pseudo_labels, pseudo_label_from_cams
from mmwsss.datasets.synthetic import SYNTHETIC_PALETTE, generate_sample, preset
from mmwsss.utils.cam_io import load_cam_file, save_cam_file
from mmwsss.utils.io import TMP_PREFIX, read_label_png, save_jpeg, save_png


def test_threshold_rule_hand_values():
    cams = np.array([[[0.9, 0.1, 0.3]], [[0.2, 0.05, 0.6]]], np.float32)
    keys = np.array([2, 7])
    label = pseudo_label_from_cams(cams, keys, bg_threshold=0.25)
    assert label.tolist() == [[3, 0, 8]]
    # alpha background: (1 - max)^1 = [0.1, 0.9, 0.4]
    label = pseudo_label_from_cams(cams, keys, bg_alpha=1.0)
    assert label.tolist() == [[3, 0, 8]]


def test_all_zero_cam_gives_background_no_nan():
    img = np.full((6, 7, 3), 128, np.uint8)
    from mmwsss.models.refiners import DenseCRF
    for keys in (np.array([0, 3]), np.array([], np.int64)):
        cams = np.zeros((len(keys), 6, 7), np.float32)
        for kw in (dict(bg_threshold=0.25), dict(bg_alpha=4.0)):
            label = pseudo_label_from_cams(
                cams, keys, img, refiners=[DenseCRF()], **kw) if len(keys) \
                else pseudo_label_from_cams(cams, keys, img, **kw)
            assert label.shape == (6, 7) and (label == 0).all()
    nan_cams = np.full((1, 6, 7), np.nan, np.float32)
    assert (pseudo_label_from_cams(nan_cams, [0]) == 0).all()


def make_cam_set(root, n, size=128, seed=0):
    """Images + GT from the generator and CAM files made by blurring the GT
    (a stand-in for a classifier's CAMs)."""
    cfg = preset('default', size=size)
    items = []
    for i in range(n):
        img, mask = generate_sample(cfg, seed, i)
        name = f'img_{i:04d}'
        save_jpeg(osp.join(root, 'img', name + '.jpg'), img)
        save_png(osp.join(root, 'gt', name + '.png'), mask)
        keys = np.unique(mask)
        keys = keys[(keys > 0) & (keys < 255)] - 1
        cams = np.stack([cv2.GaussianBlur((mask == k + 1).astype(np.float32),
                                          (0, 0), 4) for k in keys]) \
            if len(keys) else np.zeros((0, size, size), np.float32)
        if len(keys):
            cams /= cams.max(axis=(1, 2), keepdims=True) + 1e-5
        save_cam_file(osp.join(root, 'cams', name + '.npz'), cams, keys,
                      np.zeros(10))
        items.append(dict(name=name, img_path=osp.join(root, 'img',
                                                       name + '.jpg'),
                          cam_path=osp.join(root, 'cams', name + '.npz'),
                          gt_path=osp.join(root, 'gt', name + '.png')))
    return items


def test_make_pseudo_labels_summary_and_crf(tmp_path):
    items = make_cam_set(str(tmp_path), 12, size=64)
    kw = dict(num_classes=11, palette=SYNTHETIC_PALETTE, show_progress=False)
    plain = make_pseudo_labels(items, str(tmp_path / 'plain'),
                               bg_threshold=0.5, **kw)
    crf = make_pseudo_labels(items, str(tmp_path / 'crf'), bg_alpha=1.0,
                             refiners=[dict(type='DenseCRF', preset='psa')],
                             nproc=2, **kw)
    for s in (plain, crf):
        assert s['images'] == 12 and s['coverage'] == 1.0
        assert abs(sum(s['class_fraction'].values()) - 1) < 1e-6
        assert 0 < s['mIoU'] <= 100 and len(s['IoU']) == 11
    assert plain['mIoU'] > 50  # blurred GT at 0.5 is close to the GT
    lab = read_label_png(str(tmp_path / 'crf' / 'img_0000.png'))
    assert lab.shape == (64, 64) and lab.dtype == np.uint8


def test_make_pseudo_labels_with_cvs_and_ppmg(tmp_path):
    """The PMM rules through the parallel job: CVS as a CAM transform before
    the threshold rule, and PPMG as the label generator (2 processes)."""
    items = make_cam_set(str(tmp_path), 6, size=64)
    kw = dict(num_classes=11, palette=SYNTHETIC_PALETTE, show_progress=False)
    plain = make_pseudo_labels(items, str(tmp_path / 'plain'),
                               bg_threshold=0.5, **kw)
    cvs = make_pseudo_labels(items, str(tmp_path / 'cvs'), bg_threshold=0.5,
                             cam_transforms=[dict(type='CVS')], **kw)
    ppmg = make_pseudo_labels(items, str(tmp_path / 'ppmg'), nproc=2,
                              generator=dict(type='PPMG'), **kw)
    # CVS lifts every confident value, so more pixels pass the threshold
    assert cvs['class_fraction'][0] < plain['class_fraction'][0]
    assert ppmg['coverage'] == 1.0 and ppmg['mIoU'] > 50
    from mmwsss.models.refiners import PPMG
    import mmcv
    rec = load_cam_file(items[0]['cam_path'])
    img = mmcv.imread(items[0]['img_path'], channel_order='rgb')
    expected = PPMG()(img, rec['cams'].astype(np.float32), rec['keys'])
    got = read_label_png(str(tmp_path / 'ppmg' / 'img_0000.png'))
    assert np.array_equal(got, expected)


def test_missing_cam_file_named(tmp_path):
    items = make_cam_set(str(tmp_path), 2, size=32)
    os.remove(items[1]['cam_path'])
    with pytest.raises(FileNotFoundError, match='img_0001.npz'):
        make_pseudo_labels(items, str(tmp_path / 'out'), 11,
                           SYNTHETIC_PALETTE, show_progress=False)


def test_cam_file_round_trip_and_nan_refused(tmp_path):
    path = str(tmp_path / 'a.npz')
    cams = np.random.rand(2, 5, 6).astype(np.float32)
    save_cam_file(path, cams, np.array([1, 4]), np.zeros(10))
    rec = load_cam_file(path)
    assert rec['keys'].tolist() == [1, 4]
    assert np.allclose(rec['cams'], cams, atol=1e-3)  # float16
    cams[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match='NaN'):
        save_cam_file(str(tmp_path / 'b.npz'), cams, [1, 4], np.zeros(10))
    with pytest.raises(OSError, match='c.npz'):
        (tmp_path / 'c.npz').write_bytes(b'junk')
        load_cam_file(str(tmp_path / 'c.npz'))


RUNNER = r'''
import json, sys
sys.path.insert(0, {root!r})
import mmwsss
from mmwsss.apis import make_pseudo_labels
from mmwsss.datasets.synthetic import SYNTHETIC_PALETTE
items = json.load(open({items!r}))
make_pseudo_labels(items, {out!r}, 11, SYNTHETIC_PALETTE, bg_alpha=2.0,
                   refiners=[dict(type='DenseCRF', preset='psa')],
                   show_progress=False)
'''


def test_resume_after_kill_is_identical(tmp_path, repo_root):
    import json
    n = 150
    items = make_cam_set(str(tmp_path), n)
    json.dump(items, open(tmp_path / 'items.json', 'w'))

    def script(out):
        return RUNNER.format(root=repo_root, items=str(tmp_path / 'items.json'),
                             out=out)

    killed = str(tmp_path / 'killed')
    proc = subprocess.Popen([sys.executable, '-c', script(killed)])
    deadline = time.time() + 120
    while time.time() < deadline:
        done = [f for f in os.listdir(killed)] if osp.isdir(killed) else []
        if len([f for f in done if f.endswith('.png')]) >= 10:
            break
        time.sleep(0.005)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    done = [f for f in os.listdir(killed) if f.endswith('.png')
            and not f.startswith(TMP_PREFIX)]
    assert 10 <= len(done) < n, 'the job was not interrupted mid-run'
    for f in done:  # every finished file is whole
        assert read_label_png(osp.join(killed, f)).shape == (128, 128)
    subprocess.run([sys.executable, '-c', script(killed)], check=True)
    clean = str(tmp_path / 'clean')
    subprocess.run([sys.executable, '-c', script(clean)], check=True)
    names = sorted(f for f in os.listdir(clean) if f.endswith('.png'))
    assert len(names) == n
    assert sorted(f for f in os.listdir(killed) if f.endswith('.png')
                  and not f.startswith(TMP_PREFIX)) == names
    for f in names:
        assert np.array_equal(read_label_png(osp.join(killed, f)),
                              read_label_png(osp.join(clean, f))), f


def test_labels_of_other_settings_are_never_reused(tmp_path):
    """A rerun into the same folder with another threshold must not mix
    old PNGs in: it raises naming the field, or recomputes everything."""
    items = make_cam_set(str(tmp_path), 6, size=48)
    kw = dict(num_classes=11, palette=SYNTHETIC_PALETTE, show_progress=False)
    out = str(tmp_path / 'labels')
    low = make_pseudo_labels(items, out, bg_threshold=0.1, **kw)
    assert make_pseudo_labels(items, out, bg_threshold=0.1, **kw) == low
    with pytest.raises(ValueError, match=r'labels.*bg_threshold'):
        make_pseudo_labels(items, out, bg_threshold=0.8, **kw)
    high = make_pseudo_labels(items, out, bg_threshold=0.8,
                              on_change='recompute', **kw)
    fresh = make_pseudo_labels(items, str(tmp_path / 'fresh'),
                               bg_threshold=0.8, **kw)
    assert high == fresh and high['class_fraction'] != low['class_fraction']
    with open(osp.join(out, 'settings.json')) as f:
        assert json.load(f)['settings']['bg_threshold'] == 0.8


def test_nonfinite_cams_are_counted_and_named(tmp_path):
    """No silent NaNs: a CAM file (written by another tool) holding NaN/inf
    is labelled as if they were 0 and named in the summary."""
    cams = np.random.RandomState(0).rand(2, 6, 6).astype(np.float32)
    items = []
    for name, bad in (('clean', False), ('broken', True)):
        c = cams.copy()
        if bad:
            c[0, :2, :2] = np.nan
            c[1, 0, 0] = np.inf
        path = str(tmp_path / f'{name}.npz')
        np.savez_compressed(path, cams=c.astype(np.float16),
                            keys=np.array([0, 1], np.int16),
                            scores=np.zeros(2, np.float16))
        items.append(dict(name=name, img_path='-', cam_path=path))
    s = make_pseudo_labels(items, str(tmp_path / 'out'), 3,
                           [[0, 0, 0], [1, 1, 1], [2, 2, 2]],
                           show_progress=False)
    assert s['nonfinite_cam_values'] == {items[1]['cam_path']: 5}
    label = read_label_png(str(tmp_path / 'out' / 'broken.png'))
    assert label.shape == (6, 6) and label.max() <= 2


def test_crf_size_mismatch_names_the_files(tmp_path):
    """Issue 15.11: CAMs of another size than their image (made for other
    images) are named before the CRF runs."""
    items = make_cam_set(str(tmp_path), 2, size=48)
    rec = load_cam_file(items[1]['cam_path'])
    save_cam_file(items[1]['cam_path'], rec['cams'][:, :32, :32],
                  rec['keys'], rec['scores'])
    with pytest.raises(ValueError, match=r'img_0001\.npz: CAMs of size '
                       r'\(32, 32\) for an image of size \(48, 48\)'):
        make_pseudo_labels(items, str(tmp_path / 'out'), num_classes=11,
                           palette=SYNTHETIC_PALETTE, show_progress=False,
                           refiners=[dict(type='DenseCRF', preset='psa')])
