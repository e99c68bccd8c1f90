"""The proxy pre-training corpus: classes, single labels, layout, resume,
and mmpretrain's CustomDataset reading it."""
import json
import os
import os.path as osp

import numpy as np
import pytest

from mmwsss.datasets.synthetic import class_specs, generate_sample, preset
from mmwsss.datasets.synthetic_proxy import (PROXY_CLASSES,
                                             largest_object_label,
                                             load_multilabels,
                                             proxy_class_specs,
                                             write_proxy_dataset)


def test_classes_extend_the_wsss_classes():
    specs = proxy_class_specs()
    assert len(specs) == len(PROXY_CLASSES) == 25
    assert specs[:10] == class_specs()
    combos = {(s.group, s.part_colour) for s in specs}
    assert combos == {(g, c) for g in range(5) for c in range(5)}
    assert [s.name for s in specs] == list(PROXY_CLASSES)


def test_largest_object_label_by_hand():
    mask = np.array([[0, 3, 3, 3],
                     [0, 3, 5, 5],
                     [255, 5, 5, 5],
                     [0, 0, 1, 0]], np.uint8)
    # class ids 3 (4 px), 5 (5 px), 1 (1 px): the largest is 5 -> label 4
    assert largest_object_label(mask) == (4, [0, 2, 4])
    tie = np.array([[2, 2, 7, 7]], np.uint8)
    assert largest_object_label(tie) == (1, [1, 6])
    with pytest.raises(ValueError, match='no object'):
        largest_object_label(np.zeros((2, 2), np.uint8))


def test_wsss_stream_is_unchanged_by_the_specs_argument():
    cfg = preset('tiny')
    for i in range(3):
        a = generate_sample(cfg, 0, i)
        b = generate_sample(cfg, 0, i, class_specs())
        assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])


def test_write_layout_labels_and_resume(tmp_path):
    cfg = preset('tiny', num_train=30, num_val=6)
    root = str(tmp_path / 'proxy')
    meta = write_proxy_dataset(root, cfg, seed=7, chunk=8,
                               show_progress=False)
    assert meta['classes'] == list(PROXY_CLASSES)
    lines = open(osp.join(root, 'meta', 'train.txt')).read().split('\n')
    pairs = [ln.split() for ln in lines if ln]
    assert len(pairs) == 30
    names, multi = load_multilabels(root, 'train')
    assert names == [p[0] for p in pairs]
    for (name, label), row in zip(pairs, multi):
        assert osp.isfile(osp.join(root, 'images', 'train', name))
        assert row[int(label)] == 1          # the label is a true class
    # extra classes appear; several images hold more than one class
    assert multi[:, 10:].any()
    assert 0 < meta['stats']['train']['single_label_fraction'] < 1
    assert meta['stats']['train']['labels_per_image'] > 1
    assert open(osp.join(root, 'meta', 'classes.txt')).read().split() == \
        list(PROXY_CLASSES)
    # resume: a lost image is regenerated, identical labels and bytes
    victim = osp.join(root, 'images', 'train', pairs[3][0])
    before = open(victim, 'rb').read()
    os.remove(victim)
    meta2 = write_proxy_dataset(root, cfg, seed=7, show_progress=False)
    assert open(victim, 'rb').read() == before
    assert meta2 == meta
    with pytest.raises(FileExistsError, match='other settings'):
        write_proxy_dataset(root, cfg, seed=8, show_progress=False)


def test_mmpretrain_custom_dataset_reads_it(tmp_path):
    from mmengine.registry import DefaultScope
    from mmpretrain.datasets import CustomDataset
    cfg = preset('tiny', num_train=10, num_val=4)
    root = str(tmp_path / 'proxy')
    write_proxy_dataset(root, cfg, show_progress=False)
    with DefaultScope.overwrite_default_scope('mmpretrain'):
        ds = CustomDataset(data_root=root, data_prefix='images/train',
                           ann_file='meta/train.txt', classes=PROXY_CLASSES,
                           pipeline=[dict(type='LoadImageFromFile'),
                                     dict(type='PackInputs')])
    assert len(ds) == 10
    names, multi = load_multilabels(root, 'train')
    item = ds[2]
    assert item['inputs'].shape == (3, 64, 64)
    label = int(item['data_samples'].gt_label)
    assert multi[2, label] == 1
    assert json.load(open(osp.join(root, 'meta.json')))['seed'] == 1000
