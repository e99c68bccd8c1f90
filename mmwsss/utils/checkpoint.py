"""Loading mmengine checkpoints under torch >= 2.6.

torch 2.6 made ``torch.load(weights_only=True)`` the default. mmengine 0.10.7
(the latest release) calls ``torch.load`` without ``weights_only``, and its
checkpoints hold pickled Python objects (the message hub's ``HistoryBuffer``,
numpy scalars, the config), so ``--resume``, ``load_from`` and
``tools/test.py CONFIG CKPT`` fail with an ``UnpicklingError``.

:func:`register_trusted_local_loader` (called when :mod:`mmwsss` is imported)
re-registers mmengine's loader for **local files only** (the scheme with no
prefix) with ``weights_only=False``. Full unpickling runs arbitrary code
from the file, so only load local checkpoints you trust - your own training
runs. Remote schemes must keep torch's safe ``weights_only=True``, but
mmengine downloads them (``http(s)://``, ``torchvision://``,
``open-mmlab://``, ``mmcls://`` ...) through
``torch.hub.load_state_dict_from_url``, whose default is
``weights_only=False``: :func:`register_safe_remote_loader` (also called on
import) makes mmengine's download call it with ``weights_only=True``, so a
payload served over the network is refused, never run. Set ``MMWSSS_WEIGHTS_ONLY=1`` to keep torch's default for local
files as well.

Every mmwsss config imports :mod:`mmwsss` through ``custom_imports``, so
mmseg's own ``tools/test.py``, ``mim test``, ``mmseg.apis.init_model`` and
``MMSegInferencer`` load our checkpoints once they have read the config.
"""
from __future__ import annotations

import os
import os.path as osp

import torch
import mmengine.runner.checkpoint as mmengine_checkpoint
from mmengine.runner.checkpoint import CheckpointLoader
from torch.hub import load_state_dict_from_url

ENV_OPT_OUT = 'MMWSSS_WEIGHTS_ONLY'


def load_from_local_trusted(filename: str, map_location=None):
    """mmengine's local loader with ``weights_only=False`` (trusted files).

    The name follows mmengine's ``load_from_<backend>`` convention: mmengine
    logs ``Loads checkpoint by local_trusted backend``.
    """
    filename = osp.expanduser(filename)
    if not osp.isfile(filename):
        raise FileNotFoundError(f'{filename} can not be found.')
    return torch.load(filename, map_location=map_location, weights_only=False)


def register_trusted_local_loader() -> bool:
    """Register :func:`load_from_local_trusted` for local paths.

    Returns False (and changes nothing) if ``MMWSSS_WEIGHTS_ONLY=1``.
    """
    if os.environ.get(ENV_OPT_OUT, '0') == '1':
        return False
    CheckpointLoader.register_scheme(
        prefixes='', loader=load_from_local_trusted, force=True)
    return True


def load_url_weights_only(url: str, model_dir=None, map_location=None,
                          progress: bool = True, check_hash: bool = False,
                          file_name=None):
    """``torch.hub.load_state_dict_from_url`` with ``weights_only=True``:
    tensors and plain containers load, any other pickled object is an
    UnpicklingError."""
    return load_state_dict_from_url(
        url, model_dir=model_dir, map_location=map_location,
        progress=progress, check_hash=check_hash, file_name=file_name,
        weights_only=True)


def register_safe_remote_loader() -> None:
    """Make every remote scheme of mmengine's ``CheckpointLoader`` load with
    ``weights_only=True`` (its download function is the module attribute
    ``mmengine.runner.checkpoint.load_url``; a test fails if mmengine
    renames it)."""
    if not hasattr(mmengine_checkpoint, 'load_url'):
        raise RuntimeError('mmengine.runner.checkpoint.load_url is gone: '
                           'update mmwsss.utils.checkpoint')
    mmengine_checkpoint.load_url = load_url_weights_only
