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
                 cam_losses=[dict(type='ISLLoss', loss_weight=0.0)],
                 pool_at_input_size=False)   # the plain config's GAP
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


def test_isl_takes_precomputed_samples():
    """Issue 16: ISL with given sample indices (hand value): logits at
    flat indices 1, 1, 3 of [[0, 2], [-1, 1]] are 2, 2, 1; target 1:
    (2 log(1 + e^-2) + log(1 + e^-1)) / 3."""
    import math

    from mmwsss.models.losses import ISLLoss
    cams = torch.tensor([[[[0.0, 2.0], [-1.0, 1.0]]]])
    labels = torch.tensor([[1.0]])
    idx = torch.tensor([[[1, 1, 3]]])
    want = (2 * math.log1p(math.exp(-2)) + math.log1p(math.exp(-1))) / 3
    loss = ISLLoss(loss_weight=1.0)(cams, labels, indices=idx)
    assert loss.item() == pytest.approx(want, rel=1e-6)
    with pytest.raises(ValueError, match='outside'):
        ISLLoss()(cams, labels, indices=torch.tensor([[[4]]]))
    with pytest.raises(ValueError, match=r'\(N, C, S\)'):
        ISLLoss()(cams, labels, indices=torch.tensor([[1]]))


def test_fsl_resizes_the_image_as_the_reference():
    """Issue 16.1: HFPL resizes the image to the CAM grid with
    align_corners=True: a 4x4 image on a 2x2 grid is its 4 corner pixels
    (align_corners=False averages 2x2 blocks instead)."""
    from mmwsss.functional.hfpl_ops import (feature_similarity_loss,
                                            gating_input)
    torch.manual_seed(0)
    image = torch.rand(1, 3, 4, 4)
    cams = torch.randn(1, 2, 2, 2)
    labels = torch.tensor([[1.0, 1.0]])
    corners = image[:, :, ::3, ::3]
    want = feature_similarity_loss(gating_input(cams, labels), corners,
                                   sigma=1.0)
    got = FSLLoss(sigma=1.0)(cams, labels, image)       # default: reference
    assert got.item() == pytest.approx(want.item(), rel=1e-6)
    blocks = torch.nn.functional.avg_pool2d(image, 2)
    old = FSLLoss(sigma=1.0, align_corners=False)(cams, labels, image)
    assert old.item() == pytest.approx(feature_similarity_loss(
        gating_input(cams, labels), blocks, sigma=1.0).item(), rel=1e-6)
    assert abs(old.item() - got.item()) > 1e-3


def test_gap_of_upsampled_cams(repo_root):
    """Issue 16.2: HFPL/SEAM pool the CAM upsampled to the input size
    (align_corners=True). A 3x3 CAM with 9 in the centre: GAP 1; at 5x5 the
    centre spreads with 1-D weights (0, .5, 1, .5, 0), so the mean is
    9 * 2 * 2 / 25 = 1.44."""
    from mmwsss.functional.hfpl_ops import gap_of_upsampled
    cams = torch.zeros(1, 1, 3, 3)
    cams[0, 0, 1, 1] = 9.0
    assert cams.mean().item() == 1.0
    assert gap_of_upsampled(cams, (5, 5)).item() == pytest.approx(1.44)
    # the head uses it for the classification loss when asked; the HFPL
    # configs ask
    from mmwsss.models.heads import CAMHead
    head = CAMHead(4, 2, pool_at_input_size=True)
    labels = torch.ones(1, 1)
    loss = head.loss_by_cams(cams, labels, input_size=(5, 5))['loss_cls']
    want = torch.nn.functional.binary_cross_entropy_with_logits(
        torch.tensor([[1.44]]), labels)
    assert loss.item() == pytest.approx(want.item(), rel=1e-5)
    with pytest.raises(ValueError, match='input size'):
        head.loss_by_cams(cams, labels)
    for name in ('cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_isl-fsl.py',
                 'cam_r50_4xb4-3300it_voc12aug-448x448_isl-fsl.py'):
        cfg = Config.fromfile(osp.join(repo_root, 'configs/hfpl', name))
        assert cfg.model.cam_head.pool_at_input_size is True
        fsl = [c for c in cfg.model.cam_head.cam_losses
               if c.type == 'FSLLoss'][0]
        assert fsl.get('align_corners', True) is True
