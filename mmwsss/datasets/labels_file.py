"""Image-level label files: read, validate and write.

Two formats are understood.

**JSON (the mmwsss format)**::

    {
      "classes": ["background", "aeroplane", ...],       # optional
      "labels": {
        "2007_000032": ["aeroplane", "person"],          # class names ...
        "2007_000039": [20],                             # ... or class ids
        "2007_000063": []                                # a negative image
      }
    }

Class ids are the dataset's class indices (0 is the background, which is
implied and may be listed or left out). If ``classes`` is present it must
equal the dataset's classes. A name that is not a class, or an id outside
``[0, num_classes)``, raises an error naming the file and the entry.

**NPY (psa / IRN ``cls_labels.npy``)**: a pickled dict mapping an image name
- or the integer form VOC names get there, ``2007000032`` for
``2007_000032`` - to a multi-hot vector over the *foreground* classes
(length ``num_classes - 1``).

Internally labels are float32 multi-hot vectors over the foreground classes
(length ``num_classes - 1``): index ``k`` is class id ``k + 1``.
"""
from __future__ import annotations

import json
import os.path as osp
import pickle
from typing import Dict, Mapping, Sequence, Union

import numpy as np

from mmwsss.utils.io import atomic_write

LabelDict = Dict[str, np.ndarray]


class LabelsFileError(ValueError):
    """A labels file that cannot be used; the message names file and entry."""


def _voc_int_key(key: Union[int, str]) -> str:
    """``2007000032`` -> ``'2007_000032'`` (psa/IRN's integer keys)."""
    s = str(int(key))
    if len(s) == 10:
        return f'{s[:4]}_{s[4:]}'
    return s


def _entry_to_multi_hot(path: str, name: str, entry, classes: Sequence[str]
                        ) -> np.ndarray:
    num_classes = len(classes)
    labels = np.zeros(num_classes - 1, np.float32)
    if not isinstance(entry, (list, tuple)):
        raise LabelsFileError(
            f'{path}: entry {name!r} must be a list of class names or ids, '
            f'got {type(entry).__name__}')
    for item in entry:
        if isinstance(item, str):
            if item not in classes:
                raise LabelsFileError(
                    f'{path}: entry {name!r} names unknown class {item!r}; '
                    f'the dataset classes are {list(classes)}')
            cid = classes.index(item)
        elif isinstance(item, (int, np.integer)) and not isinstance(
                item, bool):
            cid = int(item)
            if not 0 <= cid < num_classes:
                raise LabelsFileError(
                    f'{path}: entry {name!r} has class id {cid} out of range '
                    f'[0, {num_classes}) for {num_classes} classes')
        else:
            raise LabelsFileError(
                f'{path}: entry {name!r} has item {item!r} that is neither a '
                'class name nor an integer class id')
        if cid > 0:
            labels[cid - 1] = 1
    return labels


# What a psa/IRN ``cls_labels.npy`` (``np.save`` of a dict of arrays) may
# reference when unpickled; anything else is refused, never called.
_NPY_GLOBALS = {
    ('numpy.core.multiarray', '_reconstruct'),
    ('numpy._core.multiarray', '_reconstruct'),
    ('numpy.core.multiarray', 'scalar'),
    ('numpy._core.multiarray', 'scalar'),
    ('numpy', 'ndarray'),
    ('numpy', 'dtype'),
    ('_codecs', 'encode'),
}


class _ArraysOnlyUnpickler(pickle.Unpickler):
    """Unpickles numpy arrays, scalars and builtin containers only."""

    def find_class(self, module: str, name: str):
        if (module, name) in _NPY_GLOBALS:
            return super().find_class(module, name)
        raise pickle.UnpicklingError(
            f'refusing to load {module}.{name} (only numpy arrays and '
            'builtin containers are allowed)')


def load_npy_dict(path: str) -> dict:
    """The dict of a pickled ``.npy`` labels file (psa/IRN
    ``cls_labels.npy``) without running code: the pickle may only build
    numpy arrays and builtin containers (``np.load(allow_pickle=True)``
    would call anything the file names). Raises a LabelsFileError naming
    the file otherwise."""
    try:
        with open(path, 'rb') as f:
            version = np.lib.format.read_magic(f)
            if version == (1, 0):
                shape, _, dtype = np.lib.format.read_array_header_1_0(f)
            else:
                shape, _, dtype = np.lib.format.read_array_header_2_0(f)
            if dtype.hasobject:
                arr = _ArraysOnlyUnpickler(f).load()
            else:
                raise LabelsFileError(
                    f'{path}: a {dtype} array of shape {shape}, not a '
                    'pickled dict of multi-hot vectors')
    except LabelsFileError:
        raise
    except Exception as e:
        raise LabelsFileError(
            f'{path}: not a pickled dict of multi-hot vectors ({e})') from e
    raw = arr.item() if isinstance(arr, np.ndarray) and arr.shape == () \
        else arr
    if not isinstance(raw, dict):
        raise LabelsFileError(f'{path}: holds a {type(raw).__name__}, not a '
                              'dict of multi-hot vectors')
    return raw


def load_labels_file(path: str, classes: Sequence[str]) -> LabelDict:
    """Load a labels file (JSON or NPY) as ``{image name: fg multi-hot}``.

    Args:
        path: The file.
        classes: The dataset's class names, background first.
    """
    classes = list(classes)
    if not osp.isfile(path):
        raise FileNotFoundError(f'labels file not found: {path}')
    if path.endswith('.npy'):
        raw = load_npy_dict(path)
        out: LabelDict = {}
        for key, vec in raw.items():
            name = _voc_int_key(key) if isinstance(
                key, (int, np.integer)) else str(key)
            vec = np.asarray(vec, np.float32).reshape(-1)
            if vec.shape[0] != len(classes) - 1:
                raise LabelsFileError(
                    f'{path}: entry {name!r} has {vec.shape[0]} labels but '
                    f'the dataset has {len(classes) - 1} foreground classes')
            if not np.isin(vec, (0, 1)).all():
                raise LabelsFileError(
                    f'{path}: entry {name!r} is not a 0/1 multi-hot vector')
            out[name] = vec
        return out
    try:
        with open(path) as f:
            raw = json.load(f)
    except json.JSONDecodeError as e:
        raise LabelsFileError(f'{path}: invalid JSON ({e})') from e
    if not isinstance(raw, dict) or 'labels' not in raw:
        raise LabelsFileError(
            f'{path}: expected an object with a "labels" field')
    if 'classes' in raw and list(raw['classes']) != classes:
        raise LabelsFileError(
            f'{path}: its {len(raw["classes"])} classes {raw["classes"]} '
            f'differ from the dataset\'s {len(classes)} classes {classes}')
    if not isinstance(raw['labels'], dict):
        raise LabelsFileError(f'{path}: "labels" must map names to lists')
    return {
        str(name): _entry_to_multi_hot(path, str(name), entry, classes)
        for name, entry in raw['labels'].items()
    }


def dump_labels_file(path: str, labels: Mapping[str, np.ndarray],
                     classes: Sequence[str]) -> None:
    """Atomically write ``{name: fg multi-hot}`` as JSON (or psa-style NPY
    when ``path`` ends with ``.npy``)."""
    classes = list(classes)
    for name, vec in labels.items():
        if len(vec) != len(classes) - 1:
            raise ValueError(
                f'labels of {name!r} have length {len(vec)}, expected '
                f'{len(classes) - 1} foreground classes')
    if path.endswith('.npy'):
        with atomic_write(path, 'wb') as f:
            np.save(f, {k: np.asarray(v, np.float32)
                        for k, v in labels.items()})
        return
    payload = {
        'classes': classes,
        'labels': {
            name: [classes[int(i) + 1] for i in np.flatnonzero(vec)]
            for name, vec in sorted(labels.items())
        }
    }
    with atomic_write(path, 'w') as f:
        json.dump(payload, f, indent=0)
