"""Atomic file writes and the image formats mmwsss writes.

Every file a long job writes goes through :func:`atomic_write`: the data lands
in a temporary file in the same directory, which is then renamed over the
target (``os.replace`` is atomic on POSIX). A reader - a dataloader, a resumed
job - therefore sees either the old file or the complete new one, never a
half-written file, and an interrupted job leaves only ``.tmp-*`` files behind,
which :func:`is_complete` and the resumable tools ignore.
"""
from __future__ import annotations

import contextlib
import io
import json
import os
import tempfile
from typing import Iterator, List, Optional, Sequence

import numpy as np
from PIL import Image

TMP_PREFIX = '.tmp-'


@contextlib.contextmanager
def atomic_write(path: str, mode: str = 'wb') -> Iterator[io.IOBase]:
    """Open a temporary file beside ``path``; rename it to ``path`` on success.

    On an exception the temporary file is removed and ``path`` is untouched.
    """
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=TMP_PREFIX + os.path.basename(path) + '.', dir=directory)
    try:
        with os.fdopen(fd, mode) as f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            os.remove(tmp)
        raise


def atomic_write_bytes(path: str, data: bytes) -> None:
    with atomic_write(path, 'wb') as f:
        f.write(data)


def encode_png(array: np.ndarray,
               palette: Optional[Sequence[Sequence[int]]] = None) -> bytes:
    """PNG bytes of an ``HxW`` uint8 label map (palette mode if given) or an
    ``HxWx3`` uint8 RGB image."""
    array = np.asarray(array)
    if array.dtype != np.uint8:
        raise TypeError(f'expected uint8, got {array.dtype}')
    img = Image.fromarray(array)
    if palette is not None:
        if array.ndim != 2:
            raise ValueError('a palette PNG needs an HxW label map')
        img = img.convert('P')
        flat = np.zeros((256, 3), np.uint8)
        flat[255] = (224, 224, 192)  # VOC's colour of the ignore label
        pal = np.asarray(palette, np.uint8).reshape(-1, 3)[:255]
        flat[:len(pal)] = pal
        img.putpalette(flat.reshape(-1).tolist())
    buf = io.BytesIO()
    img.save(buf, format='PNG')
    return buf.getvalue()


def save_png(path: str,
             array: np.ndarray,
             palette: Optional[Sequence[Sequence[int]]] = None) -> None:
    """Atomically write a PNG (see :func:`encode_png`)."""
    atomic_write_bytes(path, encode_png(array, palette))


def save_jpeg(path: str, rgb: np.ndarray, quality: int = 95) -> None:
    """Atomically write an ``HxWx3`` uint8 RGB array as JPEG."""
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format='JPEG', quality=quality)
    atomic_write_bytes(path, buf.getvalue())


def read_label_png(path: str) -> np.ndarray:
    """Read a label PNG as its raw indices (palette PNGs are not converted)."""
    try:
        with Image.open(path) as img:
            return np.asarray(img)
    except FileNotFoundError:
        raise FileNotFoundError(f'label file not found: {path}') from None
    except Exception as e:  # PIL raises several types for corrupt files
        raise OSError(f'cannot read label file {path}: {e}') from e


def is_complete(path: str) -> bool:
    """Whether ``path`` exists as a finished (renamed) file."""
    return os.path.isfile(path) and not os.path.basename(path).startswith(
        TMP_PREFIX)


def check_run_settings(out_dir: str, settings: dict,
                       on_change: str = 'error') -> bool:
    """Guard a resumable output folder against mixing runs.

    Records ``settings`` (JSON-able) in ``OUT_DIR/settings.json``. Returns
    whether the files already in ``out_dir`` may be reused: True when the
    folder is new (nothing in it) or has the same record. Files without a
    record count as other settings. When the recorded settings differ,
    ``on_change='error'`` raises a ValueError naming the folder and the
    fields that differ; ``'recompute'`` returns False (the caller rewrites
    everything) and records the new settings.
    """
    if on_change not in ('error', 'recompute'):
        raise ValueError(f'on_change must be error or recompute, got '
                         f'{on_change!r}')
    os.makedirs(out_dir, exist_ok=True)
    path = os.path.join(out_dir, 'settings.json')
    record = json.loads(json.dumps(settings, default=str))
    recorded = os.path.isfile(path)
    if recorded:
        with open(path) as f:
            old = json.load(f)
        changed = sorted(k for k in set(old) | set(record)
                         if old.get(k) != record.get(k))
        why = (f'files made with other settings ({", ".join(changed)} '
               f'differ, see {path})')
    else:  # files written before settings were recorded: unknown settings
        # (temp files of a concurrent writer - another shard recording the
        # same settings right now - are not results and do not count)
        changed = [n for n in os.listdir(out_dir) if n != 'settings.json'
                   and not n.startswith(TMP_PREFIX)]
        why = f'files but no record of their settings ({path})'
    if changed and on_change == 'error':
        raise ValueError(f'{out_dir} holds {why}; use a new output directory '
                         "or on_change='recompute'")
    if changed or not recorded:
        with atomic_write(path, 'w') as f:
            json.dump(record, f, indent=1)
    return not changed


def output_names(img_paths: Sequence[str]) -> List[str]:
    """The name under which each image's outputs (CAM file, pseudo-label
    PNG) are written: the file name without extension. Two images with
    the same name (``a/img.jpg``, ``b/img.jpg``) would share one output
    file, so that is a ValueError naming both."""
    names = [os.path.splitext(os.path.basename(p))[0] for p in img_paths]
    check_unique_names(names, img_paths)
    return names


def check_unique_names(names: Sequence[str], sources: Sequence[str],
                       where: str = '') -> None:
    """Raise a ValueError naming both sources when two of ``names`` (the
    output names of ``sources``) are equal: their files would overwrite
    each other."""
    seen = {}
    for name, source in zip(names, sources):
        if name in seen:
            raise ValueError(
                f'{seen[name]} and {source} have the same name {name!r}'
                f'{" in " + where if where else ""}: their CAM files and '
                'pseudo-labels would overwrite each other; rename one or '
                'split the dataset')
        seen[name] = source
