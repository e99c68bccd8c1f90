"""``mmwsss::`` in config paths: mmwsss's configs as an mmengine scope.

OpenMMLab packages ship their configs in ``<package>/.mim/configs`` (mmwsss:
symlinks to ``configs/`` in the repository, real files in a wheel), and a
config elsewhere inherits one with ``_base_ = 'mmwsss::cam/<file>.py'``.
mmengine 0.10.7 resolves such a scope only for the packages in its
hard-coded ``MODULE2PACKAGE`` table, so importing :mod:`mmwsss` adds itself
there. mmengine parses ``_base_`` before ``custom_imports``, so the scope
works where mmwsss is imported before the config is read: mmwsss's tools,
``mim train/test mmwsss``, or Python code that imports mmwsss first (mmseg's
official ``tools/train.py`` reads the config first: use a relative or
absolute ``_base_`` path there).

mmengine finds the package folder through the installed distribution's
location. With an editable install (``pip install -e .``, setuptools >= 64)
that is site-packages while the code stays in the checkout, so mmengine's
``get_installed_path('mmwsss')`` points at a folder that does not exist;
:func:`installed_path` falls back to the imported package's own folder then.
"""
from __future__ import annotations

import os.path as osp

from mmengine.config import config as _config_module
from mmengine.config import utils as _config_utils

SCOPE = 'mmwsss'
PACKAGE_DIR = osp.dirname(osp.dirname(osp.abspath(__file__)))
_mmengine_installed_path = _config_module.get_installed_path


def installed_path(package: str) -> str:
    """mmengine's ``get_installed_path``; for mmwsss, the folder that holds
    ``.mim`` (the imported package's own folder for editable installs)."""
    path = _mmengine_installed_path(package)
    if package == SCOPE and not osp.isdir(osp.join(path, '.mim')):
        return PACKAGE_DIR
    return path


def register_config_scope() -> None:
    """Make ``mmwsss::`` resolve in ``_base_`` and ``Config.fromfile``."""
    _config_utils.MODULE2PACKAGE.setdefault(SCOPE, SCOPE)
    _config_module.get_installed_path = installed_path
