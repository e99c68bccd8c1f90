"""HFPL losses inside the CAM classifier: lambda = 0 is GAP-BCE, masks are
never read, and the ISL+FSL config trains through tools/train.py."""
import copy
import os.path as osp
import re

import pytest
import torch
from mmengine.config import Config
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from mmwsss.models.losses import FSLLoss
from tests.utils import run_tool, tiny_train_options

CFG = 'configs/hfpl/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_isl-fsl.py'
BASE = 'configs/cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'


def build(repo_root, path, **head):
    cfg = Config.fromfile(osp.join(repo_root, path))
    mcfg = copy.deepcopy(cfg.model)
    mcfg.cam_head.update(head)
    torch.manual_seed(0)
    return MODELS.build(mcfg)


def samples(n, masks=None):
    out = []
    for i in range(n):
        s = SegDataSample()
        lab = torch.zeros(10)
        lab[[i % 10, (i + 4) % 10]] = 1
        s.set_data(dict(gt_img_labels=lab))
        if masks is not None:
            s.gt_sem_seg = PixelData(data=masks())
        out.append(s)
    return out


def test_lambda_zero_is_gap_bce(repo_root):
    x = torch.randn(2, 3, 64, 64)
    plain = build(repo_root, BASE).loss(x, samples(2))
    hfpl = build(repo_root, CFG,
                 loss_cls=dict(type='mmpretrain.CrossEntropyLoss',
                               use_sigmoid=True, loss_weight=1.0),
                 cam_losses=[dict(type='ISLLoss', loss_weight=0.0)])
    out = hfpl.loss(x, samples(2))
    assert out['loss_cls'].item() == pytest.approx(plain['loss_cls'].item())
    assert out['loss_isl'].item() == 0


def test_hfpl_losses_never_read_masks(repo_root):
    model = build(repo_root, CFG)
    x = torch.randn(2, 3, 64, 64)
    results = []
    for batch in (samples(2), samples(2, lambda: torch.randint(0, 11, (1, 64,
                                                                       64)))):
        torch.manual_seed(3)
        results.append({k: v.item() for k, v in model.loss(x, batch).items()})
    assert results[0] == results[1]
    assert set(results[0]) == {'loss_cls', 'loss_isl', 'loss_fsl'}


def test_fsl_needs_the_image():
    with pytest.raises(ValueError, match='image'):
        FSLLoss()(torch.randn(1, 2, 4, 4), torch.ones(1, 2))


def test_isl_fsl_config_trains(repo_root, tiny_synthetic, tmp_path):
    opts = tiny_train_options(tiny_synthetic, 2)
    out = run_tool(repo_root, 'tools/train.py', CFG, '--work-dir',
                   str(tmp_path / 'w'), '--cfg-options', *opts)
    assert re.search(r'loss_isl: [\d.]+', out)
    assert re.search(r'loss_fsl: -?[\d.]+', out)
    assert re.search(r'cam/mIoU: \d', out)
    assert re.search(r'contour/JF: \d', out)


SS_CFG = ('configs/hfpl/'
          'single-stage_r18-w32-d16_1xb16-1500it_synthetic-128x128_isl-fsl.py')


def ss_samples(n, size, masks=None):
    out = samples(n, masks)
    for s in out:
        s.set_metainfo(dict(ori_shape=size, img_shape=size, pad_shape=size,
                            padding_size=[0, 0, 0, 0]))
    return out


def test_single_stage_with_isl_fsl_never_reads_masks(repo_root):
    """HFPL on the single-stage model: ISL and FSL on its foreground logits,
    in the warm-up too; losses identical with random masks and none."""
    cfg = Config.fromfile(osp.join(repo_root, SS_CFG))
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    x = torch.randn(2, 3, 64, 64)
    results = []
    for batch in (ss_samples(2, (64, 64)),
                  ss_samples(2, (64, 64),
                             lambda: torch.randint(0, 11, (1, 64, 64)))):
        torch.manual_seed(3)
        results.append({k: v.item() for k, v in model.loss(x, batch).items()})
    assert results[0] == results[1]
    assert set(results[0]) == {'loss_cls', 'loss_isl', 'loss_fsl', 'loss_seg'}
    model.seg_loss_enabled = False
    torch.manual_seed(3)
    warm = model.loss(x, ss_samples(2, (64, 64)))
    assert warm['loss_seg'].item() == 0
    assert warm['loss_fsl'].item() == pytest.approx(results[0]['loss_fsl'],
                                                    rel=1e-5)


def test_fsl_pool_is_the_loss_of_the_pooled_cams():
    """``pool=2`` equals FSL computed on 2x2 average-pooled CAMs."""
    torch.manual_seed(0)
    cams = torch.randn(2, 3, 16, 16)
    labels = torch.tensor([[1., 0., 1.], [0., 1., 1.]])
    img = torch.rand(2, 3, 64, 64)
    pooled = FSLLoss(sigma=1.5, pool=2)(cams, labels, img)
    direct = FSLLoss(sigma=1.5)(torch.nn.functional.avg_pool2d(cams, 2),
                                labels, img)
    assert torch.allclose(pooled, direct)
    with pytest.raises(ValueError, match='pool'):
        FSLLoss(pool=0)
