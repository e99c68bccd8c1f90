import json
import os
import os.path as osp

import numpy as np
import pytest

from mmwsss.datasets.synthetic import (CO_OCCURRENCE, SYNTHETIC_CLASSES,
                                       class_specs, generate_sample,
                                       image_labels_from_mask, preset,
                                       write_synthetic_dataset)
from mmwsss.utils.io import read_label_png


def test_deterministic_per_seed_and_index():
    cfg = preset('tiny')
    a_img, a_mask = generate_sample(cfg, 3, 5)
    b_img, b_mask = generate_sample(cfg, 3, 5)
    assert np.array_equal(a_img, b_img) and np.array_equal(a_mask, b_mask)
    c_img, _ = generate_sample(cfg, 4, 5)
    d_img, _ = generate_sample(cfg, 3, 6)
    assert not np.array_equal(a_img, c_img)
    assert not np.array_equal(a_img, d_img)


def test_sample_shapes_and_ids():
    cfg = preset('default')
    img, mask = generate_sample(cfg, 0, 0)
    assert img.shape == (128, 128, 3) and img.dtype == np.uint8
    assert mask.shape == (128, 128) and mask.dtype == np.uint8
    ids = set(np.unique(mask).tolist())
    assert ids <= set(range(len(SYNTHETIC_CLASSES))) | {255}


def test_statistics_make_wsss_hard():
    """Multi-label, varied object count, co-occurrence, and classes that
    share body appearance (only the part tells them apart)."""
    cfg = preset('default')
    counts, pairs, fg = [], {p: 0 for p in CO_OCCURRENCE}, []
    per_class = np.zeros(10)
    for i in range(300):
        _, mask = generate_sample(cfg, 0, i)
        lab = image_labels_from_mask(mask, len(SYNTHETIC_CLASSES))
        counts.append(lab.sum())
        per_class += lab
        fg.append((mask > 0).mean())
        for a, b in CO_OCCURRENCE:
            pairs[(a, b)] += int(lab[a] and lab[b])
    counts = np.array(counts)
    assert (counts >= 2).mean() > 0.3  # multi-label
    assert counts.max() >= 3
    assert per_class.min() > 0  # every class appears
    # each co-occurring pair appears together far more than chance
    for (a, b), n in pairs.items():
        chance = per_class[a] * per_class[b] / 300
        assert n > 2 * chance, (a, b, n, chance)
    assert 0.1 < np.mean(fg) < 0.5
    # body groups are shared by two classes; part colours by two groups
    specs = class_specs()
    groups = [s.group for s in specs]
    colours = [s.part_colour for s in specs]
    assert all(groups.count(g) == 2 for g in set(groups))
    assert all(colours.count(c) == 2 for c in set(colours))
    assert len({(s.group, s.part_colour) for s in specs}) == 10


def test_part_is_small_relative_to_object():
    """The discriminative part is a small fraction of each object."""
    cfg = preset('default')
    from mmwsss.datasets import synthetic as syn
    rng = np.random.RandomState(0)
    s = 60
    body = syn._shape_mask('ellipse', 128, 64, 64, s, rng)
    part = syn._part_mask(128, 64, 64, cfg.part_scale * s / 2, rng)
    assert part.sum() < 0.2 * body.sum()


def test_write_voc_layout_and_resume(tmp_path):
    root = str(tmp_path / 'syn')
    cfg = preset('tiny', num_train=6, num_val=3)
    write_synthetic_dataset(root, cfg, seed=1, show_progress=False)
    train = open(osp.join(root, 'ImageSets/Segmentation/train.txt')).read()
    names = train.split()
    assert len(names) == 6
    for n in names:
        assert osp.isfile(osp.join(root, 'JPEGImages', n + '.jpg'))
        mask = read_label_png(osp.join(root, 'SegmentationClass', n + '.png'))
        _, ref = generate_sample(cfg, 2, int(n.split('_')[-1]))
        assert np.array_equal(mask, ref)  # lossless, same stream
    labels = json.load(open(osp.join(root, 'cls_labels.json')))
    assert labels['classes'] == list(SYNTHETIC_CLASSES)
    assert len(labels['labels']) == 9
    # interrupted run: a lost image is rewritten, others are kept
    victim = osp.join(root, 'JPEGImages', names[0] + '.jpg')
    keep = osp.join(root, 'JPEGImages', names[1] + '.jpg')
    os.remove(victim)
    mtime = os.stat(keep).st_mtime_ns
    write_synthetic_dataset(root, cfg, seed=1, show_progress=False)
    assert osp.isfile(victim)
    assert os.stat(keep).st_mtime_ns == mtime
    # other settings into the same folder are refused
    with pytest.raises(FileExistsError, match='other settings'):
        write_synthetic_dataset(root, cfg, seed=2, show_progress=False)
