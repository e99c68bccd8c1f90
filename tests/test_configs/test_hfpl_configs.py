"""configs/hfpl: every config builds with HFPL's settings: lambda 0.2
(GAP-BCE weighted 0.8), 10 ISL samples, mu 2.5, and sigma 5 CAM pixels
except in the variants named after their sigma."""
import glob
import os.path as osp
import re

import pytest
from mmengine.config import Config
from mmseg.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
HFPL = osp.join(ROOT, 'configs', 'hfpl')


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
        named = re.search(r'sigma([\d.]+)\.py$', name)
        expect = float(named.group(1)) if named else 5.0
        assert fsl.sigma == pytest.approx(expect), name
