"""configs/consistency_cam: every config builds; Puzzle-CAM's settings
(alpha 4 ramped over half the schedule, or 1 in the ``-alpha1``
ablations; L1; L_p-cls on) and the view distributions the names
promise."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmseg.registry import MODELS

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CC = osp.join(ROOT, 'configs', 'consistency_cam')


@pytest.mark.parametrize('path', sorted(
    glob.glob(osp.join(CC, '*.py')) +
    glob.glob(osp.join(ROOT, 'projects', 'consistency_cam', 'configs',
                       '*.py'))),
                         ids=osp.basename)
def test_config_builds_with_puzzle_settings(path):
    cfg = Config.fromfile(path)
    model = MODELS.build(cfg.model)
    name = osp.basename(path)[:-3]
    losses = list(model.consistency_losses)
    if name.endswith('-2views'):
        # two views at half weight each: the total equals one view's
        assert [v.prefix for v in losses] == ['loss_view1', 'loss_view2']
        assert sum(v.alpha for v in losses) == 4.0
        assert sum(v.pcls_weight for v in losses) == 1.0
    else:
        assert len(losses) == 1
        assert losses[0].alpha == (1.0 if name.endswith('-alpha1') else 4.0)
        assert losses[0].pcls_weight == 1.0
    all_grids = [(r, c) for r in (1, 2, 4) for c in (1, 2, 4)]
    for loss in losses:
        assert loss.p == 1 and loss.exclude_identity
        assert loss.align == 'auto'
        assert loss.ramp_iters == cfg.train_cfg.max_iters // 2
        assert bool(loss.photometric) == name.endswith('-photometric')
        if '_puzzle' in name:
            assert loss.grids == [(2, 2)] and loss.flip_prob == 0
            assert loss.scale_range == (1.0, 1.0)
        elif name.endswith('_random-grids'):
            assert sorted(loss.grids) == all_grids and loss.flip_prob == 0
            assert loss.scale_range == (1.0, 1.0)
        else:
            assert '_consistency' in name
            assert sorted(loss.grids) == (
                [(1, 1), (2, 2), (4, 4)] if name.endswith('-square')
                else all_grids)
            assert loss.flip_prob == 0.5
            assert loss.scale_range == (0.75, 1.25)
        crop = cfg.get('crop_size', (128, 128))
        for g in loss.grids:  # every grid tiles the crop into whole cells
            assert crop[0] % (16 * g[0]) == 0 and crop[1] % (16 * g[1]) == 0
    if 'coco' in name:
        assert model.num_classes == 81
        assert cfg.train_dataloader.dataset.type == 'COCOWSSSDataset'
