"""What the two mmwsss segmentors share: the backbone's ``pretrained``."""
import os.path as osp

import pytest
from mmengine.config import Config
from mmseg.registry import MODELS

CONFIGS = [
    'configs/cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py',
    'configs/single_stage/'
    'single-stage_r18-w32-d16_1xb16-1500it_synthetic-128x128.py',
]


@pytest.mark.parametrize('path', CONFIGS, ids=osp.basename)
def test_pretrained_sets_the_backbone_init_cfg(repo_root, path):
    """mmseg's EncoderDecoder argument: init_model and benchmark.py set
    ``model.pretrained = None``; a path becomes the backbone's init_cfg."""
    cfg = Config.fromfile(osp.join(repo_root, path))
    model = MODELS.build(dict(cfg.model, pretrained='weights.pth'))
    assert model.backbone.init_cfg == dict(type='Pretrained',
                                           checkpoint='weights.pth')
    model = MODELS.build(dict(cfg.model, pretrained=None))
    assert model.backbone.init_cfg != dict(type='Pretrained',
                                           checkpoint='weights.pth')
    assert model.out_channels == 11
