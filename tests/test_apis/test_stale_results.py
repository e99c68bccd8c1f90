"""Issue 15.1-2: results folders are never reused for other settings or other
inputs, also after a recompute that was killed half-way."""
import json
import os
import os.path as osp
import subprocess
import sys

import numpy as np
import pytest

from mmwsss.apis import generate_cams, make_pseudo_labels
from mmwsss.datasets.synthetic import SYNTHETIC_PALETTE
from mmwsss.utils.cam_io import load_cam_file, save_cam_file
from mmwsss.utils.io import check_run_settings, read_run_record
from tests.test_apis.test_gen_cams import model_and_data
from tests.test_apis.test_pseudo_labels import make_cam_set

KW = dict(num_classes=11, palette=SYNTHETIC_PALETTE, show_progress=False)

# make_pseudo_labels in a child process that is SIGKILLed right after its
# KILL_AFTER-th label file is renamed into place
KILLED_RUN = r'''
import json, os, signal, sys
import mmwsss.apis.pseudo_labels as pl
from mmwsss.datasets.synthetic import SYNTHETIC_PALETTE
items, out, thr, kill_after = json.load(open(sys.argv[1]))
_save, count = pl.save_png, []


def save_png(*args, **kwargs):
    _save(*args, **kwargs)
    count.append(1)
    if len(count) == kill_after:
        os.kill(os.getpid(), signal.SIGKILL)


pl.save_png = save_png
pl.make_pseudo_labels(items, out, num_classes=11, palette=SYNTHETIC_PALETTE,
                      bg_threshold=thr, show_progress=False,
                      on_change='recompute')
'''


def pngs(folder):
    return {f: open(osp.join(folder, f), 'rb').read()
            for f in sorted(os.listdir(folder)) if f.endswith('.png')}


def test_killed_recompute_is_finished_not_mixed(tmp_path):
    items = make_cam_set(str(tmp_path), 8, size=48)
    out = str(tmp_path / 'labels')
    make_pseudo_labels(items, out, bg_threshold=0.1, **KW)
    old = pngs(out)
    args = tmp_path / 'args.json'
    args.write_text(json.dumps([items, out, 0.8, 3]))
    proc = subprocess.run([sys.executable, '-c', KILLED_RUN, str(args)],
                          capture_output=True, text=True, timeout=300)
    assert proc.returncode == -9, proc.stderr[-2000:]
    # the folder holds the new record and only files made with it
    rec = read_run_record(out)
    assert rec['settings']['bg_threshold'] == 0.8 and not rec['complete']
    assert len(pngs(out)) == 3
    # a rerun (even without recompute) finishes the recompute
    summary = make_pseudo_labels(items, out, bg_threshold=0.8, **KW)
    assert summary['complete'] and read_run_record(out)['complete']
    fresh = str(tmp_path / 'fresh')
    make_pseudo_labels(items, fresh, bg_threshold=0.8, **KW)
    assert pngs(out) == pngs(fresh) != old


def test_labels_are_not_reused_after_the_cams_change(tmp_path):
    items = make_cam_set(str(tmp_path), 4, size=48)
    out = str(tmp_path / 'labels')
    make_pseudo_labels(items, out, bg_threshold=0.3, **KW)
    assert make_pseudo_labels(items, out, bg_threshold=0.3, **KW)['complete']
    # CAM files without a run record (e.g. from another toolbox): their
    # names, sizes and times identify them; rewrite one
    rec = load_cam_file(items[0]['cam_path'])
    save_cam_file(items[0]['cam_path'], rec['cams'] * 0.5, rec['keys'],
                  rec['scores'])
    with pytest.raises(ValueError, match=r'labels.*cams differ'):
        make_pseudo_labels(items, out, bg_threshold=0.3, **KW)
    redo = make_pseudo_labels(items, out, bg_threshold=0.3,
                              on_change='recompute', **KW)
    fresh = str(tmp_path / 'fresh')
    assert make_pseudo_labels(items, fresh, bg_threshold=0.3, **KW) == redo
    assert pngs(out) == pngs(fresh)
    # a CAM folder with a run record (gen_cams): its record identifies it,
    # so regenerating the CAMs with another model invalidates the labels
    cam_dir = osp.dirname(items[0]['cam_path'])
    check_run_settings(cam_dir, dict(model='a'), 'recompute', suffix='.x')
    make_pseudo_labels(items, out, bg_threshold=0.3, on_change='recompute',
                       **KW)
    make_pseudo_labels(items, out, bg_threshold=0.3, **KW)      # reused
    check_run_settings(cam_dir, dict(model='b'), 'recompute', suffix='.x')
    with pytest.raises(ValueError, match='cams differ'):
        make_pseudo_labels(items, out, bg_threshold=0.3, **KW)


def test_labels_record_the_images_a_refiner_reads(tmp_path):
    items = make_cam_set(str(tmp_path), 2, size=48)
    out = str(tmp_path / 'labels')
    crf = [dict(type='DenseCRF', preset='psa')]
    make_pseudo_labels(items, out, refiners=crf, **KW)
    with open(items[1]['img_path'], 'ab') as f:   # another image there
        f.write(b'\0' * 16)
    with pytest.raises(ValueError, match='images differ'):
        make_pseudo_labels(items, out, refiners=crf, **KW)


def test_cams_of_other_images_with_the_same_names_are_not_reused(
        repo_root, tiny_synthetic, tmp_path):
    from mmwsss.datasets.synthetic import preset, write_synthetic_dataset
    other = str(tmp_path / 'other')
    write_synthetic_dataset(other, preset('tiny'), seed=1,
                            show_progress=False)
    model, ds = model_and_data(repo_root, tiny_synthetic, 'val')
    _, ds_other = model_and_data(repo_root, other, 'val')
    names = lambda d: sorted(  # noqa: E731
        osp.basename(d.get_data_info(i)['img_path']) for i in range(len(d)))
    assert names(ds) == names(ds_other)
    out = str(tmp_path / 'cams')
    assert generate_cams(model, ds, out, show_progress=False)['complete']
    with pytest.raises(ValueError, match=r'cams.*data differ'):
        generate_cams(model, ds_other, out, show_progress=False)
    redo = generate_cams(model, ds_other, out, show_progress=False,
                         on_change='recompute')
    assert redo['written'] == len(ds_other)
    fresh = str(tmp_path / 'fresh')
    generate_cams(model, ds_other, fresh, show_progress=False)
    for f in os.listdir(fresh):
        if f.endswith('.npz'):
            a = load_cam_file(osp.join(out, f))['cams']
            assert np.array_equal(a, load_cam_file(osp.join(fresh, f))['cams'])
    # the record names the model and the data, and says complete
    rec = read_run_record(out)
    assert set(rec['settings']) == {'model', 'data'} and rec['complete']
