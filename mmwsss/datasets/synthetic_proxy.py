"""A single-label pre-training corpus ("proxy ImageNet") from the synthetic
generator.

Every method mmwsss implements assumes an ImageNet-pretrained backbone;
ImageNet cannot be downloaded here. This corpus plays its part for the
synthetic benchmark:

* **more classes than the WSSS split labels**: the generator draws a class
  as a body group (shape + texture, 5) and a part colour (5). The WSSS
  split uses 10 of the 25 combinations; the corpus uses all 25 (the first
  10 are the WSSS classes, in their order, so their weights transfer);
* **a different stream**: its own seed, many more images;
* **one label per image although several objects are often present** (the
  label ambiguity MILe addresses): the class of the largest visible object;
  the true multi-labels are kept aside for evaluation only, as
  ImageNet-ReaL does for ImageNet.

Layout (what mmpretrain's ``CustomDataset`` reads with ``ann_file``)::

    root/images/{train,val}/proxy_{split}_NNNNNN.jpg
    root/meta/{train,val}.txt          "proxy_train_000000.jpg 7" per line
    root/meta/classes.txt              one class name per line
    root/meta/{train,val}_multilabels.json  {file: [class ids]} (evaluation)
    root/meta/{train,val}_real.json    the same as mmpretrain's
                                       MultiLabelDataset annotation file
    root/meta.json                     generator settings

Files are written atomically; a rerun with the same settings continues
where an interrupted one stopped (labels are flushed every ``chunk``
images).
"""
from __future__ import annotations

import dataclasses
import json
import os
from multiprocessing import get_context
from typing import Dict, List, Tuple

import numpy as np
from mmengine.utils import ProgressBar

from mmwsss.utils.io import atomic_write, is_complete, save_jpeg
from .synthetic import (SYNTHETIC_CLASSES, ClassSpec, SyntheticConfig,
                        class_specs, generate_sample)

#: The 15 classes the WSSS split never labels (body group, part colour).
EXTRA_CLASSES: Tuple[str, ...] = (
    'acorn', 'bell', 'cone', 'drum', 'fern', 'gourd', 'harp', 'ibis', 'jar',
    'kelp', 'lute', 'mace', 'newt', 'oar', 'plum')

#: The corpus' 25 classes (no background): the WSSS classes first.
PROXY_CLASSES: Tuple[str, ...] = tuple(SYNTHETIC_CLASSES[1:]) + EXTRA_CLASSES

#: Default corpus: 20,000 training and 2,000 validation images at 128 px.
PROXY_CONFIG = SyntheticConfig(num_train=20000, num_val=2000)

#: The corpus' seed (the WSSS default uses 0).
PROXY_SEED = 1000


def proxy_class_specs() -> List[ClassSpec]:
    """All 25 (group, part colour) combinations: the WSSS classes (same
    specs, same order), then the others in (group, colour) order."""
    specs = class_specs()
    used = {(s.group, s.part_colour) for s in specs}
    extra = [(g, c) for g in range(5) for c in range(5)
             if (g, c) not in used]
    assert len(extra) == len(EXTRA_CLASSES)
    return specs + [ClassSpec(n, g, c)
                    for n, (g, c) in zip(EXTRA_CLASSES, extra)]


def largest_object_label(mask: np.ndarray) -> Tuple[int, List[int]]:
    """``(label, present)`` of a VOC-id mask: the 0-based class of the
    largest visible object (ties: the lower id) and every class present.
    Raises a ValueError for a mask with no object."""
    ids, counts = np.unique(mask, return_counts=True)
    keep = (ids > 0) & (ids != 255)
    ids, counts = ids[keep], counts[keep]
    if not ids.size:
        raise ValueError('the mask holds no object')
    label = int(ids[np.argmax(counts)]) - 1     # argmax: first of ties
    return label, [int(i) - 1 for i in ids]


def proxy_name(split: str, index: int) -> str:
    return f'proxy_{split}_{index:06d}.jpg'


def _write_one(args) -> Tuple[str, int, List[int]]:
    root, cfg, seed, split, index = args
    img, mask = generate_sample(cfg, seed * 2 + (split != 'train'), index,
                                proxy_class_specs())
    name = proxy_name(split, index)
    save_jpeg(os.path.join(root, 'images', split, name), img)
    label, present = largest_object_label(mask)
    return name, label, present


def write_proxy_dataset(root: str,
                        cfg: SyntheticConfig = PROXY_CONFIG,
                        seed: int = PROXY_SEED,
                        nproc: int = 1,
                        chunk: int = 2000,
                        show_progress: bool = True) -> Dict[str, object]:
    """Write the corpus to ``root`` (layout in the module docstring).

    Returns:
        dict: The contents of ``meta.json``; ``single_label_fraction`` per
        split says how many images hold exactly one class.
    """
    if cfg.empty_prob > 0:
        raise ValueError('a single-label corpus needs an object in every '
                         'image: empty_prob must be 0')
    settings = json.loads(json.dumps(dict(
        generator='mmwsss.datasets.synthetic_proxy', version=1, seed=seed,
        config=dataclasses.asdict(cfg), classes=PROXY_CLASSES)))
    meta_path = os.path.join(root, 'meta.json')
    if os.path.isfile(meta_path):
        with open(meta_path) as f:
            old = json.load(f)
        if {k: old.get(k) for k in settings} != settings:
            raise FileExistsError(
                f'{root} holds a proxy corpus made with other settings '
                f'({meta_path}); choose another folder or delete it')
    os.makedirs(os.path.join(root, 'meta'), exist_ok=True)
    with atomic_write(os.path.join(root, 'meta', 'classes.txt'), 'w') as f:
        f.write('\n'.join(PROXY_CLASSES) + '\n')
    stats = {}
    for split, num in (('train', cfg.num_train), ('val', cfg.num_val)):
        labels_path = os.path.join(root, 'meta', f'{split}_multilabels.json')
        done: Dict[str, dict] = {}
        if os.path.isfile(labels_path):
            with open(labels_path) as f:
                done = json.load(f)['images']
        todo = [i for i in range(num) if not (
            proxy_name(split, i) in done and is_complete(
                os.path.join(root, 'images', split, proxy_name(split, i))))]
        bar = ProgressBar(len(todo)) if show_progress and todo else None
        pool = get_context('spawn').Pool(nproc) if nproc > 1 else None
        try:
            for start in range(0, len(todo), chunk):
                args = [(root, cfg, seed, split, i)
                        for i in todo[start:start + chunk]]
                results = (pool.imap(_write_one, args, chunksize=16)
                           if pool else map(_write_one, args))
                for name, label, present in results:
                    done[name] = dict(label=label, present=present)
                    if bar:
                        bar.update()
                _dump(labels_path, done)
        finally:
            if pool:
                pool.close()
                pool.join()
        _dump(labels_path, done)
        names = [proxy_name(split, i) for i in range(num)]
        with atomic_write(os.path.join(root, 'meta', f'{split}.txt'),
                          'w') as f:
            f.write(''.join(f'{n} {done[n]["label"]}\n' for n in names))
        with atomic_write(os.path.join(root, 'meta', f'{split}_real.json'),
                          'w') as f:
            json.dump(dict(metainfo=dict(classes=PROXY_CLASSES),
                           data_list=[dict(img_path=n,
                                           gt_label=done[n]['present'])
                                      for n in names]), f)
        stats[split] = dict(
            images=num,
            single_label_fraction=float(np.mean(
                [len(done[n]['present']) == 1 for n in names])),
            labels_per_image=float(np.mean(
                [len(done[n]['present']) for n in names])))
    meta = dict(settings, stats=stats)
    with atomic_write(meta_path, 'w') as f:
        json.dump(meta, f, indent=1)
    return meta


def _dump(path: str, images: Dict[str, dict]) -> None:
    with atomic_write(path, 'w') as f:
        json.dump(dict(classes=PROXY_CLASSES, images=images), f)


def load_multilabels(root: str, split: str) -> Tuple[List[str], np.ndarray]:
    """The hidden true labels of a split: file names (in ``meta/{split}.txt``
    order) and an ``(N, 25)`` 0/1 array. For evaluation only."""
    with open(os.path.join(root, 'meta', f'{split}_multilabels.json')) as f:
        images = json.load(f)['images']
    with open(os.path.join(root, 'meta', f'{split}.txt')) as f:
        names = [line.split()[0] for line in f if line.strip()]
    out = np.zeros((len(names), len(PROXY_CLASSES)), np.uint8)
    for i, n in enumerate(names):
        if n not in images:
            raise KeyError(f'{n} of {split}.txt has no entry in '
                           f'{split}_multilabels.json ({root})')
        out[i, images[n]['present']] = 1
    return names, out
