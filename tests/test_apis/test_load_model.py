"""Checkpoints of another model are refused by the tools' loader."""
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.registry import init_default_scope
from mmseg.registry import MODELS

from mmwsss.apis.config_utils import (checkpoint_state_dict, load_model,
                                      state_dict_mismatch)

CAM = 'configs/cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'
SS = ('configs/single_stage/'
      'single-stage_r18-w32-d16_1xb16-1500it_synthetic-128x128.py')


def _save(model, path, prefix=''):
    torch.save({'state_dict': {prefix + k: v
                               for k, v in model.state_dict().items()}},
               path)


def test_own_checkpoint_loads_another_models_is_named(repo_root, tmp_path):
    init_default_scope('mmseg')
    cfg = Config.fromfile(osp.join(repo_root, CAM))
    torch.manual_seed(3)
    cam = MODELS.build(cfg.model)
    own = str(tmp_path / 'cam.pth')
    _save(cam, own, prefix='module.')          # DDP-style names are fine
    loaded = load_model(cfg, own)
    for k, v in cam.state_dict().items():
        assert torch.equal(loaded.state_dict()[k], v), k
    other = str(tmp_path / 'single_stage.pth')
    _save(MODELS.build(Config.fromfile(osp.join(repo_root, SS)).model),
          other)
    missing, unexpected, _ = state_dict_mismatch(
        cam, checkpoint_state_dict(other))
    assert any(k.startswith('cam_head') for k in missing)
    assert any(k.startswith('decode_head') for k in unexpected)
    with pytest.raises(ValueError, match=r'single_stage\.pth does not match '
                       r'the CAMClassifier.*missing.*unexpected.*'
                       r'--non-strict'):
        load_model(cfg, other)
    load_model(cfg, other, strict=False)       # the explicit opt-out
    # same names, another shape (e.g. another number of classes)
    state = {k: v.clone() for k, v in cam.state_dict().items()}
    w = 'cam_head.classifier.weight'
    state[w] = torch.zeros((3, ) + tuple(state[w].shape[1:]))
    shaped = str(tmp_path / 'shaped.pth')
    torch.save(dict(state_dict=state, meta={}), shaped)
    assert state_dict_mismatch(cam, checkpoint_state_dict(shaped)) == (
        [], [], [w])
    with pytest.raises(ValueError, match=r'1 of another shape'):
        load_model(cfg, shaped)
