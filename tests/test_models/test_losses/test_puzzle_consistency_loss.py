"""PuzzleConsistencyLoss alone and inside the CAM classifier."""
import copy
import os.path as osp
import random
import re

import pytest
import torch
import torch.nn as nn
from mmengine.config import Config
from mmengine.logging import MessageHub
from mmseg.registry import MODELS

from mmwsss.models.losses import PuzzleConsistencyLoss, multilabel_cls_loss
from mmwsss.functional.consistency_ops import (apply_view, invert_view,
                                                  reconstruction_loss)
from tests.test_models.test_losses.test_isl_fsl_loss import samples
from tests.utils import run_tool, tiny_train_options

PUZZLE = ('configs/consistency_cam/'
          'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_puzzle.py')
CONSISTENCY = ('configs/consistency_cam/'
               'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_consistency.py')


def gap(c):
    return c.mean(dim=(2, 3))


def test_pointwise_model_has_zero_reconstruction_loss():
    conv = nn.Conv2d(3, 4, 1)
    x = torch.randn(2, 3, 16, 16)
    labels = torch.tensor([[1., 0, 1, 0], [0, 1, 0, 0]])
    loss = PuzzleConsistencyLoss(grids=[(2, 2), (4, 1)], flip_prob=0.5)
    cams = conv(x)
    for _ in range(5):
        out = loss(conv, x, cams, labels, gap)
        assert out['loss_puzzle_re'].item() == pytest.approx(0, abs=1e-6)
        assert out['loss_puzzle_pcls'].item() == pytest.approx(
            MODELS.build(multilabel_cls_loss())(gap(cams), labels).item(),
            rel=1e-5)


def test_loss_by_hand_and_gradients_reach_both_branches():
    """A model that sees its tile: the CAM is the pixel value times a
    weight plus the tile's mean, so tiling changes it and L_re = the
    hand-computed masked L1."""
    w = nn.Parameter(torch.tensor(1.0))

    def model(x):
        return w * x[:, :2] + x[:, :2].mean(dim=(2, 3), keepdim=True)

    x = torch.randn(1, 3, 4, 4)
    labels = torch.tensor([[1., 0.]])
    cams = model(x)
    loss = PuzzleConsistencyLoss(grids=[(2, 2)], alpha=4.0, pcls_weight=0)
    hub = MessageHub.get_instance('puzzle_test_no_iter')
    hub.runtime_info.pop('iter', None)
    out = loss(model, x, cams, labels, gap)
    assert set(out) == {'loss_puzzle_re'}
    tiles = [x[:, :2, :2, :2], x[:, :2, :2, 2:], x[:, :2, 2:, :2],
             x[:, :2, 2:, 2:]]
    diff = sum((t.mean(dim=(2, 3)) - x[:, :2].mean(dim=(2, 3)))[0, 0].abs()
               * 4 for t in tiles)
    expect = 4.0 * diff / (2 * 16)
    assert out['loss_puzzle_re'].item() == pytest.approx(expect.item(),
                                                         rel=1e-5)
    # d/dw is zero (w x cancels), so check the inputs: both branches
    xg = x.clone().requires_grad_(True)
    out = loss(model, xg, model(xg), labels, gap)
    out['loss_puzzle_re'].backward()
    assert xg.grad.abs().sum() > 0


def test_alpha_follows_the_runner_iteration():
    conv = nn.Conv2d(3, 2, 3, padding=1)
    x = torch.randn(2, 3, 8, 8)
    labels = torch.tensor([[1., 1.], [1., 0.]])
    loss = PuzzleConsistencyLoss(grids=[(2, 2)], alpha=4.0, ramp_iters=100)
    hub = MessageHub.get_instance('puzzle_test_iter')
    cams = conv(x)
    for it, factor in ((25, 1.0), (50, 2.0), (500, 4.0)):
        hub.update_info('iter', it)
        out = loss(conv, x, cams, labels, gap)
        view = loss.last_view
        ref = reconstruction_loss(
            cams, invert_view(conv(apply_view(x, view)), view, (8, 8)),
            labels)
        assert out['loss_puzzle_re'].item() == pytest.approx(
            factor * ref.item(), rel=1e-5)
        assert ref.item() > 0


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match='grids'):
        PuzzleConsistencyLoss(grids=[(2, 0)])
    with pytest.raises(ValueError, match='flip_prob'):
        PuzzleConsistencyLoss(flip_prob=1.5)
    with pytest.raises(ValueError, match='scale_range'):
        PuzzleConsistencyLoss(scale_range=(1.2, 0.8))


def build(repo_root, path, **model):
    cfg = Config.fromfile(osp.join(repo_root, path))
    mcfg = copy.deepcopy(cfg.model)
    mcfg.update(model)
    torch.manual_seed(0)
    return MODELS.build(mcfg)


@pytest.mark.parametrize('path', [PUZZLE, CONSISTENCY])
def test_classifier_losses_never_read_masks(repo_root, path):
    model = build(repo_root, path)
    x = torch.randn(2, 3, 64, 64)
    results = []
    for batch in (samples(2), samples(2, lambda: torch.randint(0, 11, (1, 64,
                                                                       64)))):
        torch.manual_seed(3)
        random.seed(3)
        results.append({k: v.item() for k, v in model.loss(x, batch).items()})
    assert results[0] == results[1]
    assert set(results[0]) == {'loss_cls', 'loss_puzzle_pcls',
                               'loss_puzzle_re'}


def test_classifier_rejects_clashing_loss_names(repo_root):
    model = build(repo_root, PUZZLE, consistency_losses=[
        dict(type='PuzzleConsistencyLoss'),
        dict(type='PuzzleConsistencyLoss')])
    with pytest.raises(KeyError, match='loss_puzzle_pcls'):
        model.loss(torch.randn(2, 3, 64, 64), samples(2))


def test_consistency_config_trains(repo_root, tiny_synthetic, tmp_path):
    opts = tiny_train_options(tiny_synthetic, 3)
    out = run_tool(repo_root, 'tools/train.py', CONSISTENCY, '--work-dir',
                   str(tmp_path / 'w'), '--cfg-options', *opts)
    assert len(re.findall(r'loss_puzzle_re: [\d.]+', out)) == 3
    assert re.search(r'loss_puzzle_pcls: [\d.]+', out)
    assert re.search(r'cam/mIoU: \d', out)


def test_composes_with_hfpl_losses(repo_root):
    """HFPL's CAM losses act on the whole-image CAMs, the consistency loss
    on the extra view: all five losses come out, finite."""
    model = build(repo_root, 'configs/hfpl/'
                  'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_isl-fsl.py',
                  consistency_losses=[dict(type='PuzzleConsistencyLoss',
                                           grids=[(2, 2), (1, 2)],
                                           flip_prob=0.5)])
    out = model.loss(torch.randn(2, 3, 64, 64), samples(2))
    assert set(out) == {'loss_cls', 'loss_isl', 'loss_fsl',
                        'loss_puzzle_pcls', 'loss_puzzle_re'}
    assert all(torch.isfinite(v) for v in out.values())
    sum(out.values()).backward()
    assert model.cam_head.classifier.weight.grad.abs().sum() > 0
