"""mmwsss: weakly-supervised semantic segmentation for OpenMMLab.

Importing the package registers every mmwsss module into mmseg's registries
(``mmseg.registry``), so a plain mmseg config with
``custom_imports=dict(imports=['mmwsss'], allow_failed_imports=False)`` can
use any mmwsss type. It also makes mmengine load *local* checkpoints with
``weights_only=False`` under torch >= 2.6 (see :mod:`mmwsss.utils.checkpoint`)
and lets configs inherit ours as ``_base_ = 'mmwsss::<dir>/<file>.py'`` (see
:mod:`mmwsss.utils.config_scope`).
"""
from .version import __version__, version_info
from .utils.checkpoint import (register_safe_remote_loader,
                               register_trusted_local_loader)
from .utils.config_scope import register_config_scope

register_trusted_local_loader()
register_safe_remote_loader()
register_config_scope()

from . import apis, datasets, engine, evaluation, models  # noqa: E402,F401

__all__ = ['__version__', 'version_info']
