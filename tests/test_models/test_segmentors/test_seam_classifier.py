"""SEAMClassifier: the SEAM losses as composed by the authors' script."""
import copy
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmseg.registry import MODELS

from tests.test_models.test_segmentors.test_single_stage_segmentor import \
    samples as ss_samples

SEAM = 'configs/seam/seam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'
HFPL = ('configs/seam/'
        'seam_r18-w32-d16_1xb16-1500it_synthetic-128x128_isl-fsl.py')


def build(repo_root, path=SEAM, **kw):
    cfg = Config.fromfile(osp.join(repo_root, path))
    mcfg = copy.deepcopy(cfg.model)
    mcfg.update(kw)
    torch.manual_seed(0)
    return MODELS.build(mcfg)


def samples(n, size=64, masks=None):
    return ss_samples(n, (size, size),
                      None if masks is None else lambda hw: masks(hw[0]))


def test_losses_and_pcm_shapes(repo_root):
    model = build(repo_root)
    x = torch.randn(2, 3, 64, 64)
    logits, cam_rv = model.forward_views(x)
    assert logits.shape == (2, 10, 4, 4)            # stride 16
    assert cam_rv.shape == (2, 11, 4, 4)            # + background
    losses = model.loss(x, samples(2))
    assert set(losses) == {'loss_cls', 'loss_rvmin', 'loss_er', 'loss_ecr'}
    assert all(torch.isfinite(v) for v in losses.values())
    # the PCM sees detached backbone features: ECR trains the PCM, not the
    # backbone through it
    model.zero_grad()
    losses['loss_ecr'].backward(retain_graph=True)
    assert model.pcm_embed.weight.grad.abs().sum() > 0
    stem = next(model.backbone.parameters())
    assert stem.grad is None or stem.grad.abs().sum() > 0  # via the CAM
    model.zero_grad()
    losses['loss_rvmin'].backward()
    assert model.pcm_embed.weight.grad.abs().sum() > 0
    assert stem.grad is None or stem.grad.abs().sum() == 0


def test_hfpl_composition(repo_root):
    """HFPL's script: loss_cls = ((1 - l) BCE_1 + l ISL_1 + BCE_2) / 2 (ISL
    halved with the first view), FSL at full weight; BCE of the GAP of the
    CAM upsampled to each view (ISL exact here, to compare values)."""
    import torch.nn.functional as F

    from mmwsss.models.segmentors.scored_predict import raw_images
    model = build(repo_root, HFPL)
    model.cam_head.cam_losses[0].exact = True
    x = torch.randn(2, 3, 64, 64)
    data = samples(2)
    losses = model.loss(x, data)
    assert set(losses) == {'loss_cls', 'loss_isl', 'loss_fsl', 'loss_rvmin',
                           'loss_er', 'loss_ecr'}
    labels = torch.stack([d.gt_img_labels for d in data])
    image = (raw_images(x, model.data_preprocessor) / 255).clamp(0, 1)
    logits1, _ = model.forward_views(x)
    ref = model.cam_head.loss_by_cams(logits1, labels, image, (64, 64))
    small = F.interpolate(x, scale_factor=0.3, mode='bilinear',
                          align_corners=True)
    logits2, _ = model.forward_views(small)
    cam2 = F.interpolate(logits2, small.shape[2:], mode='bilinear',
                         align_corners=True)
    bce2 = F.binary_cross_entropy_with_logits(cam2.mean((2, 3)), labels)
    assert losses['loss_cls'].item() == pytest.approx(
        0.5 * (ref['loss_cls'].item() + bce2.item()), rel=1e-5)
    assert losses['loss_isl'].item() == pytest.approx(
        0.5 * ref['loss_isl'].item(), rel=1e-5)
    assert losses['loss_fsl'].item() == pytest.approx(
        ref['loss_fsl'].item(), rel=1e-5)
    # the first view's BCE is (1 - lambda) x the GAP of the upsampled CAM
    gap1 = F.interpolate(logits1, (64, 64), mode='bilinear',
                         align_corners=True).mean((2, 3))
    assert ref['loss_cls'].item() == pytest.approx(
        0.8 * F.binary_cross_entropy_with_logits(gap1, labels).item(),
        rel=1e-5)


def test_training_never_reads_pixel_masks(repo_root):
    model = build(repo_root, HFPL)
    x = torch.randn(2, 3, 64, 64)
    zeros = samples(2, masks=lambda s: torch.zeros(1, s, s))
    noise = samples(2, masks=lambda s: torch.randint(0, 11, (1, s, s)))
    torch.manual_seed(3)        # the same ISL draw each time
    a = model.loss(x, zeros)
    torch.manual_seed(3)
    b = model.loss(x, noise)
    torch.manual_seed(3)
    c = model.loss(x, samples(2))
    for k in a:
        assert a[k].item() == b[k].item() == c[k].item(), k


def test_inference_uses_the_pcm(repo_root):
    model = build(repo_root).eval()
    x = torch.randn(1, 3, 64, 64)
    with torch.no_grad():
        pcm_cams, scores = model.infer_cams(x)
        model.test_cfg['use_pcm'] = False
        raw_cams, scores2 = model.infer_cams(x)
    assert pcm_cams.shape == raw_cams.shape == (1, 10, 64, 64)
    assert not torch.allclose(pcm_cams, raw_cams)
    assert torch.equal(scores, scores2)          # the head's scores
    with pytest.raises(ValueError, match='consistency'):
        build(repo_root, consistency_losses=[dict(type='ISLLoss')])
