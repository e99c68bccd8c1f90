"""configs/hfpl: every config builds; lambda and FSL's spatial extent
follow HFPL (sigma 5 px on a 56 x 56 grid, i.e. 5/56 of the side)."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmseg.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
HFPL = osp.join(ROOT, 'configs', 'hfpl')
# the grid FSL sees: training crop / output stride / FSL pooling
GRID = {
    'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_isl-fsl.py': 128 / 16,
    'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_fsl.py': 128 / 16,
    'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_multicrop_isl-fsl.py':
    96 / 16,
    'cam_r50_4xb4-3300it_voc12aug-448x448_isl-fsl.py': 448 / 16,
    'cam_r101_4xb4-3300it_voc12aug-448x448_multicrop_isl-fsl.py': 448 / 16,
    'single-stage_r18-w32-d16_1xb16-1500it_synthetic-128x128_isl-fsl.py':
    128 / 4 / 2,
    'single-stage_r101-d16_4xb4-13k_voc12aug-448x448_isl-fsl.py': 448 / 4 / 2,
}


def hfpl_losses(cfg):
    owner = cfg.model.get('cam_head', cfg.model)
    return owner.loss_cls, {c.type: c for c in owner.cam_losses}


@pytest.mark.parametrize('path', sorted(glob.glob(osp.join(HFPL, '*.py'))),
                         ids=osp.basename)
def test_config_builds_with_hfpl_settings(path):
    cfg = Config.fromfile(path)
    model = MODELS.build(cfg.model)
    assert model is not None
    loss_cls, extra = hfpl_losses(cfg)
    if 'ISLLoss' in extra:
        assert extra['ISLLoss'].loss_weight == pytest.approx(0.2)
        assert loss_cls.loss_weight == pytest.approx(0.8)
        assert extra['ISLLoss'].get('num_samples', 10) == 10
    if 'FSLLoss' in extra:
        fsl = extra['FSLLoss']
        assert fsl.mu == 2.5
        name = osp.basename(path)
        if name.endswith('_fsl-sigma5.py'):
            assert fsl.sigma == 5.0      # the paper's pixel value, on purpose
        else:
            assert fsl.sigma / GRID[name] == pytest.approx(5 / 56, rel=0.02), name


def test_every_fsl_config_has_its_grid_listed():
    for path in glob.glob(osp.join(HFPL, '*.py')):
        _, extra = hfpl_losses(Config.fromfile(path))
        name = osp.basename(path)
        if 'FSLLoss' in extra and not name.endswith('_fsl-sigma5.py'):
            assert name in GRID, name
