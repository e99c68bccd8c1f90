"""``mmwsss::`` config paths and the ``mmwsss`` registry scope."""
import os.path as osp

from mmengine.config import Config
from mmengine.config import config as mmengine_config
from mmengine.config import utils as mmengine_config_utils
from mmengine.registry import MODELS as MMENGINE_MODELS

import mmwsss
from mmwsss.utils import config_scope

CAM = 'cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'


def test_mmengine_hooks_still_exist():
    """The two mmengine names the scope relies on (fails loudly if a new
    mmengine moves them)."""
    assert mmengine_config_utils.MODULE2PACKAGE['mmwsss'] == 'mmwsss'
    assert mmengine_config.get_installed_path is config_scope.installed_path


def test_installed_path_falls_back_to_the_package(monkeypatch, tmp_path):
    monkeypatch.setattr(config_scope, '_mmengine_installed_path',
                        lambda package: str(tmp_path / package))
    # an editable install: mmengine's folder has no .mim -> the package's
    assert config_scope.installed_path('mmwsss') == osp.dirname(
        mmwsss.__file__)
    assert config_scope.installed_path('mmseg') == str(tmp_path / 'mmseg')
    (tmp_path / 'mmwsss' / '.mim').mkdir(parents=True)
    assert config_scope.installed_path('mmwsss') == str(tmp_path / 'mmwsss')


def test_outside_config_inherits_and_builds_in_the_mmwsss_scope(tmp_path):
    cfg_file = tmp_path / 'mine.py'
    cfg_file.write_text(f"_base_ = 'mmwsss::{CAM}'\n"
                        'model = dict(cam_head=dict(dropout_ratio=0.2))\n')
    cfg = Config.fromfile(str(cfg_file))
    assert cfg.model._scope_ == 'mmwsss'  # mmengine tags inherited types
    assert cfg.model.cam_head.dropout_ratio == 0.2
    model = MMENGINE_MODELS.build(cfg.model)  # as the Runner builds it
    assert type(model).__name__ == 'CAMClassifier'
