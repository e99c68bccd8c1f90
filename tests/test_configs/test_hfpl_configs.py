"""configs/hfpl: every config builds with HFPL's settings: lambda 0.2
(GAP-BCE weighted 0.8), 10 ISL samples, mu 2.5, and sigma 5 CAM pixels
except in the variants named after their sigma; variants named ``x0.1``
scale ISL (lambda) and FSL by 0.1 as HFPL does for SIPE/MCTformer-like
baselines."""
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


@pytest.mark.parametrize('path', sorted(
    glob.glob(osp.join(HFPL, '*.py')) +
    glob.glob(osp.join(ROOT, 'projects', 'hfpl', 'configs', '*.py')) +
    glob.glob(osp.join(ROOT, 'projects', 'single_stage', 'configs', '*.py'))),
                         ids=osp.basename)
def test_config_builds_with_hfpl_settings(path):
    cfg = Config.fromfile(path)
    model = MODELS.build(cfg.model)
    assert model is not None
    loss_cls, extra = hfpl_losses(cfg)
    name = osp.basename(path)
    scaled = re.search(r'-x([\d.]+)\.py$', name)
    scale = float(scaled.group(1)) if scaled else 1.0
    if 'ISLLoss' in extra:
        assert extra['ISLLoss'].loss_weight == pytest.approx(0.2 * scale)
        assert loss_cls.loss_weight == pytest.approx(1 - 0.2 * scale)
        assert extra['ISLLoss'].get('num_samples', 10) == 10
    if 'FSLLoss' in extra:
        fsl = extra['FSLLoss']
        assert fsl.mu == 2.5
        if scaled:
            assert fsl.loss_weight == pytest.approx(scale)
        named = re.search(r'sigma([\d.]+)\.py$', name)
        expect = float(named.group(1)) if named else 5.0
        assert fsl.sigma == pytest.approx(expect), name


def test_coco_config_weights_fsl_02_and_builds_its_dataset(tmp_path):
    from mmseg.registry import DATASETS

    from mmwsss.datasets.coco_wsss import coco_instances_to_masks
    from tests.trees import make_coco_tree
    cfg = Config.fromfile(osp.join(
        HFPL, 'cam_r50_4xb4-25600it_coco2014-448x448_isl-fsl.py'))
    _, extra = hfpl_losses(cfg)
    assert extra['FSLLoss'].loss_weight == 0.2
    assert cfg.model.cam_head.num_classes == 81
    assert cfg.train_cfg.max_iters == cfg.param_scheduler[0].end == 25600
    root = make_coco_tree(str(tmp_path / 'coco'))
    coco_instances_to_masks(
        osp.join(root, 'annotations/instances_train2014.json'),
        osp.join(root, 'mask', 'train2014'), str(tmp_path / 'labels.json'))
    dcfg = cfg.train_dataloader.dataset
    dcfg.data_root = root
    ds = DATASETS.build(dcfg)
    assert len(ds) > 0 and len(ds.metainfo['classes']) == 81
