"""Identify what a folder of results was made from: the model, the
dataset, the input folder."""
from __future__ import annotations

import hashlib
import json
import os
import re
from typing import Dict, Iterable, List, Sequence

from .io import run_identity


def model_fingerprint(model) -> str:
    """SHA-1 of a model's parameters and buffers (names, shapes, values)
    and its ``test_cfg``: identifies the model that wrote a CAM folder."""
    h = hashlib.sha1()
    for name, t in model.state_dict().items():
        h.update(name.encode())
        h.update(str(tuple(t.shape)).encode())
        h.update(t.detach().cpu().contiguous().numpy().tobytes())
    h.update(json.dumps(dict(getattr(model, 'test_cfg', {}) or {}),
                        sort_keys=True, default=str).encode())
    return h.hexdigest()


def files_fingerprint(paths: Sequence[str]) -> str:
    """SHA-1 of a list of input files, by path and size (in order): other
    images under the same names almost always differ in size, and no file
    is read. A missing file is a FileNotFoundError naming it."""
    h = hashlib.sha1()
    for p in paths:
        try:
            size = os.path.getsize(p)
        except FileNotFoundError:
            raise FileNotFoundError(f'input file not found: {p}') from None
        h.update(f'{p}\0{size}\n'.encode())
    return h.hexdigest()


def dataset_fingerprint(dataset) -> dict:
    """Identity of what a dataset feeds a model: its image files
    (:func:`files_fingerprint`) and its pipeline's transforms (their
    ``repr``, object addresses removed)."""
    paths = [dataset.get_data_info(i)['img_path']
             for i in range(len(dataset))]
    pipeline = re.sub(r' at 0x[0-9a-fA-F]+', '',
                      repr(getattr(dataset, 'pipeline', None)))
    return dict(images=len(paths), files=files_fingerprint(paths),
                pipeline=hashlib.sha1(pipeline.encode()).hexdigest())


def folder_fingerprint(folder: str, files: Sequence[str]) -> str:
    """Identity of a results folder used as an input (CAM files for
    pseudo-labels): the SHA-1 of its run record's settings when it has one
    (:func:`~mmwsss.utils.io.run_identity`: the model, the dataset, ...),
    else of the given files' names, sizes and modification times."""
    ident = run_identity(folder)
    if ident is not None:
        return 'record:' + ident
    h = hashlib.sha1()
    for p in files:
        st = os.stat(p)
        h.update(f'{os.path.basename(p)}\0{st.st_size}\0{st.st_mtime_ns}\n'
                 .encode())
    return 'files:' + h.hexdigest()


def file_digest(path: str, chunk: int = 1 << 20,
                algorithm: str = 'sha1') -> str:
    """Hex digest of a file's content (a checkpoint or config a refiner
    loads: retrained weights keep the file's size, so size is not enough),
    SHA-1 by default; ``algorithm`` is any :func:`hashlib.new` name (the
    pretrained-backbone records use ``'sha256'``)."""
    h = hashlib.new(algorithm)
    try:
        with open(path, 'rb') as f:
            for block in iter(lambda: f.read(chunk), b''):
                h.update(block)
    except FileNotFoundError:
        raise FileNotFoundError(f'file not found: {path}') from None
    return h.hexdigest()


#: keys of a refiner / generator config that name a file it loads
FILE_KEYS = ('config', 'checkpoint')


def referenced_files(cfgs: Iterable[dict]) -> List[str]:
    """The files named under :data:`FILE_KEYS` in (nested) config dicts,
    sorted and unique."""
    found = set()

    def walk(obj):
        if isinstance(obj, dict):
            for k, v in obj.items():
                if k in FILE_KEYS and isinstance(v, str):
                    found.add(v)
                else:
                    walk(v)
        elif isinstance(obj, (list, tuple)):
            for v in obj:
                walk(v)
    walk(list(cfgs))
    return sorted(found)


def referenced_file_digests(cfgs: Iterable[dict]) -> Dict[str, str]:
    """``{path: content SHA-1}`` of :func:`referenced_files` (a missing file
    is a FileNotFoundError naming it)."""
    return {p: file_digest(p) for p in referenced_files(cfgs)}
