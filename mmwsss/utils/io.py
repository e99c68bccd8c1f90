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
import hashlib
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

    On an exception the temporary file is removed and ``path`` is untouched;
    an ``OSError`` of the write itself (a full disk) is re-raised naming
    ``path``.
    """
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    fd, tmp = tempfile.mkstemp(
        prefix=TMP_PREFIX + os.path.basename(path) + '.', dir=directory)
    try:
        try:
            with os.fdopen(fd, mode) as f:
                yield f
                f.flush()
                os.fsync(f.fileno())
            os.replace(tmp, path)
        except OSError as e:
            if e.filename is not None or e.errno is None:
                raise
            # a failed write (ENOSPC, EIO) names no file: name the target
            raise type(e)(e.errno, e.strerror, path) from e
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


RECORD_NAME = 'settings.json'
RECORD_FORMAT = 2


class RunRecordError(ValueError):
    """A run record (``settings.json``) that cannot be read."""


def record_path(out_dir: str) -> str:
    return os.path.join(out_dir, RECORD_NAME)


def read_run_record(out_dir: str) -> Optional[dict]:
    """The run record of a results folder, or None when it has none.

    A record is ``dict(format=2, settings={...}, complete=bool)``:
    ``settings`` identify how every result file in the folder was made
    (including the identity of the inputs), ``complete`` says that every
    expected result is there (:func:`mark_run_complete`). A record of the
    older flat format is returned as ``settings`` of an incomplete run
    (it lacks the input identity that the tools now record, so it does
    not match their settings). A record that is not JSON or not an
    object raises :class:`RunRecordError` naming the file.
    """
    path = record_path(out_dir)
    if not os.path.isfile(path):
        return None
    try:
        with open(path) as f:
            record = json.load(f)
    except (ValueError, UnicodeDecodeError) as e:
        raise RunRecordError(f'{path}: corrupt run record ({e}); it says how '
                             'the files beside it were made - delete the '
                             'folder (or rerun with recompute)') from None
    if not isinstance(record, dict):
        raise RunRecordError(f'{path}: a run record must be a JSON object, '
                             f'got {type(record).__name__}')
    if record.get('format') != RECORD_FORMAT:
        return dict(format=record.get('format', 1), settings=record,
                    complete=False)
    if not isinstance(record.get('settings'), dict):
        raise RunRecordError(f'{path}: run record without a settings object')
    return record


def _write_record(out_dir: str, settings: dict, complete: bool) -> None:
    with atomic_write(record_path(out_dir), 'w') as f:
        json.dump(dict(format=RECORD_FORMAT, settings=settings,
                       complete=bool(complete)), f, indent=1)


def normalise_settings(settings: dict) -> dict:
    """``settings`` as a run record holds them (a JSON round trip)."""
    return json.loads(json.dumps(settings, default=str))


def _results(out_dir: str, suffix: Optional[str] = None) -> List[str]:
    """Finished result files of a folder: not the record, not temp files
    of a writer (another shard may be writing right now)."""
    return sorted(
        n for n in os.listdir(out_dir)
        if n != RECORD_NAME and not n.startswith(TMP_PREFIX) and (
            suffix is None or (n.endswith(suffix)
                               and os.path.isfile(os.path.join(out_dir, n)))))


def check_run_settings(out_dir: str, settings: dict,
                       on_change: str = 'error',
                       suffix: Optional[str] = None) -> bool:
    """Guard a resumable results folder against mixing runs.

    The folder's run record (``OUT_DIR/settings.json``, see
    :func:`read_run_record`) holds the ``settings`` (JSON-able) that every
    result file in it was made with. Returns whether the files already
    there may be reused: True when the folder is new (nothing in it) or
    its record has the same settings - an interrupted run then resumes.
    Files without a record count as made with other settings.

    When the settings differ, ``on_change='error'`` raises a ValueError
    naming the folder and the fields that differ. ``'recompute'`` first
    deletes the old results (files ending with ``suffix``; every file but
    the record when ``suffix`` is None), then records the new settings,
    and returns False. The record therefore never names settings that a
    file in the folder was not made with: a recompute killed half-way
    leaves either the old record with a subset of its files or the new
    record with a subset of the new files, and rerunning it resumes
    instead of reusing old files. A corrupt record is a
    :class:`RunRecordError` naming it with ``'error'`` and is replaced with
    ``'recompute'``.
    """
    if on_change not in ('error', 'recompute'):
        raise ValueError(f'on_change must be error or recompute, got '
                         f'{on_change!r}')
    os.makedirs(out_dir, exist_ok=True)
    path = record_path(out_dir)
    settings = normalise_settings(settings)
    try:
        record = read_run_record(out_dir)
    except RunRecordError:
        if on_change == 'error':
            raise
        record, why = None, f'a corrupt record ({path})'
        changed = ['record']
    else:
        if record is not None:
            old = record['settings']
            changed = sorted(k for k in set(old) | set(settings)
                             if old.get(k) != settings.get(k))
            why = (f'files made with other settings ({", ".join(changed)} '
                   f'differ, see {path})')
        else:  # files written before settings were recorded: unknown
            changed = _results(out_dir)
            why = f'files but no record of their settings ({path})'
    if not changed:
        if record is None:  # a new folder
            _write_record(out_dir, settings, complete=False)
        return True
    if on_change == 'error':
        raise ValueError(f'{out_dir} holds {why}; use a new output directory '
                         "or on_change='recompute'")
    for name in _results(out_dir, suffix):
        with contextlib.suppress(FileNotFoundError):
            os.remove(os.path.join(out_dir, name))
    _write_record(out_dir, settings, complete=False)
    return False


def mark_run_complete(out_dir: str, settings: dict,
                      expected: Sequence[str]) -> bool:
    """Record that the run is complete when every path of ``expected`` is a
    finished file and the record still holds ``settings`` (no other run
    took the folder over). Any shard may call it when it is done: the
    last one to finish finds everything. Returns whether the run is
    complete."""
    record = read_run_record(out_dir)
    if record is None or record['settings'] != normalise_settings(settings):
        return False
    if not all(is_complete(p) for p in expected):
        return False
    if not record.get('complete'):
        _write_record(out_dir, record['settings'], complete=True)
    return True


def run_identity(out_dir: str) -> Optional[str]:
    """SHA-1 of the settings recorded for a results folder (None when it has
    no record): what a downstream step records as the identity of this
    folder as its input."""
    record = read_run_record(out_dir)
    if record is None:
        return None
    return hashlib.sha1(json.dumps(record['settings'], sort_keys=True)
                        .encode()).hexdigest()


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
