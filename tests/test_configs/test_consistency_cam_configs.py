"""configs/consistency_cam: every config builds; Puzzle-CAM's settings
(alpha 4 ramped over half the schedule, L1, L_p-cls on) and the view
distributions the names promise."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmseg.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CC = osp.join(ROOT, 'configs', 'consistency_cam')


@pytest.mark.parametrize('path', sorted(glob.glob(osp.join(CC, '*.py'))),
                         ids=osp.basename)
def test_config_builds_with_puzzle_settings(path):
    cfg = Config.fromfile(path)
    model = MODELS.build(cfg.model)
    [loss] = model.consistency_losses
    assert loss.alpha == 4.0 and loss.p == 1 and loss.pcls_weight == 1.0
    assert loss.ramp_iters == cfg.train_cfg.max_iters // 2
    if path.endswith('_puzzle.py'):
        assert loss.grids == [(2, 2)] and loss.flip_prob == 0
        assert loss.scale_range == (1.0, 1.0)
    else:
        assert path.endswith('_consistency.py')
        assert sorted(loss.grids) == [(r, c) for r in (1, 2, 4)
                                      for c in (1, 2, 4)]
        assert loss.flip_prob == 0.5 and loss.scale_range == (0.75, 1.25)
    crop = cfg.get('crop_size', (128, 128))
    for g in loss.grids:  # every grid tiles the training crop exactly
        assert crop[0] % g[0] == 0 and crop[1] % g[1] == 0
