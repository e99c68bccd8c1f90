"""configs/single_stage: every config builds; the paper's settings hold."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmseg.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
DIR = osp.join(ROOT, 'configs', 'single_stage')


@pytest.mark.parametrize('path', sorted(glob.glob(osp.join(DIR, '*.py'))),
                         ids=osp.basename)
def test_config_builds_with_paper_settings(path):
    cfg = Config.fromfile(path)
    model = MODELS.build(cfg.model)
    tc = model.train_cfg
    assert (tc['focal_p'], tc['focal_lambda'], tc['eps']) == (3.0, 0.01, 1.0)
    assert (tc['bg_cutoff'], tc['fg_cutoff'], tc['cutoff_floor']) == (
        0.7, 0.6, 0.2)
    assert tc['pamr_iters'] == 10
    assert tuple(tc['pamr_dilations']) == (1, 2, 4, 8, 12, 24)
    assert model.decode_head.sg.psi == 0.3
    assert model.test_cfg['bg_power'] == 3.0
    assert model.test_cfg['score_thr'] == 0.1
    # a quarter of the schedule (paper: 5 of 20 epochs)
    warm = model.train_cfg['warmup_iters']
    assert abs(warm / cfg.train_cfg.max_iters - 0.25) < 0.01
