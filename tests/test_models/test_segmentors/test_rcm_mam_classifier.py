"""RCMMAMClassifier: MainNet + EMA SupportNet with RCM and MAM."""
import copy
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.logging import MessageHub
from mmseg.registry import MODELS

from tests.test_models.test_segmentors.test_seam_classifier import samples

CFG = 'configs/rcm_mam/rcm-mam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'


def build(repo_root, path=CFG, **kw):
    cfg = Config.fromfile(osp.join(repo_root, path))
    mcfg = copy.deepcopy(cfg.model)
    mcfg.update(kw)
    torch.manual_seed(0)
    model = MODELS.build(mcfg)
    model.init_weights()
    return model


def _params(module):
    return [p.detach().clone() for p in module.parameters()]


def test_losses_support_copy_and_no_gradient_into_g(repo_root):
    model = build(repo_root)
    model.train()
    assert not model.support.training                # G always in eval
    assert not any(p.requires_grad for p in model.support.parameters())
    # before the first step G is not F (built separately)...
    main = _params(model.backbone)
    assert any(not torch.equal(a, b) for a, b in
               zip(main, _params(model.support['backbone'])))
    x = torch.randn(2, 3, 64, 64)
    losses = model.loss(x, samples(2))
    # ...the first loss call copies F into G
    assert bool(model.support_ready)
    for a, b in zip(main, _params(model.support['backbone'])):
        assert torch.equal(a, b)
    assert set(losses) == {'loss_cls', 'loss_rcm', 'loss_mam'}
    assert all(torch.isfinite(v) for v in losses.values())
    sum(losses.values()).backward()
    assert all(p.grad is None for p in model.support.parameters())
    assert model.proj[0].weight.grad.abs().sum() > 0
    # RCM and MAM alone reach F's backbone
    model.zero_grad()
    model.loss(x, samples(2))['loss_rcm'].backward()
    assert model.backbone.stem[0].weight.grad.abs().sum() > 0
    assert model.cam_head.classifier.weight.grad is None or \
        model.cam_head.classifier.weight.grad.abs().sum() == 0


def test_ema_update_is_exact(repo_root):
    model = build(repo_root)
    model.train()
    x = torch.randn(2, 3, 64, 64)
    opt = torch.optim.SGD([p for p in model.parameters() if p.requires_grad],
                          lr=0.1)
    sum(model.loss(x, samples(2)).values()).backward()
    opt.step()
    g0 = _params(model.support)
    f = [p.detach().clone() for _, m, _ in model._pairs()
         for p in m.parameters()]
    assert any(not torch.equal(a, b) for a, b in zip(f, g0))
    bn_f = model.backbone.stem[1].running_mean.clone()
    bn_g = model.support['backbone'].stem[1].running_mean.clone()
    model.ema_update(0.003)
    for a, g, new in zip(f, g0, _params(model.support)):
        assert torch.allclose(new, 0.997 * g + 0.003 * a, atol=1e-7)
    assert torch.allclose(model.support['backbone'].stem[1].running_mean,
                          0.997 * bn_g + 0.003 * bn_f, atol=1e-7)


def test_mam_switch_reads_the_iteration(repo_root):
    model = build(repo_root)
    model.train()
    x = torch.randn(2, 3, 64, 64)
    hub = MessageHub.get_instance('rcm_mam_switch_test')
    try:
        hub.update_info('iter', 449)
        assert model.loss(x, samples(2))['loss_mam'].item() == 0
        hub.update_info('iter', 450)
        assert model.loss(x, samples(2))['loss_mam'].item() > 0
    finally:
        hub.update_info('iter', None)


def test_rcm_memory_is_kept_and_saved(repo_root, tmp_path):
    model = build(repo_root)
    model.train()
    x = torch.randn(2, 3, 64, 64)
    model.loss(x, samples(2))
    rcm = model.rcm
    seen = rcm.seen.clone()
    # samples(2) labels foreground 0, 3 and 1, 4 (class ids 1, 4, 2, 5):
    # only those and the background can have a prototype
    assert seen.any()
    assert not seen[[3, 6, 7, 8, 9, 10]].any()
    norms = rcm.memory[seen].norm(dim=1)
    assert torch.allclose(norms, torch.ones_like(norms), atol=1e-5)
    path = str(tmp_path / 'm.pth')
    torch.save(model.state_dict(), path)
    fresh = build(repo_root)
    assert not fresh.rcm.seen.any()
    fresh.load_state_dict(torch.load(path))
    assert torch.equal(fresh.rcm.memory, rcm.memory)
    assert torch.equal(fresh.rcm.seen, seen) and bool(fresh.support_ready)
    # eval mode never writes the memory
    model.eval()
    before = rcm.memory.clone()
    model.rcm(torch.randn(1, 256, 4, 4), torch.randn(1, 256, 4, 4),
              torch.rand(1, 10, 4, 4), torch.ones(1, 10))
    assert torch.equal(rcm.memory, before)


def test_training_never_reads_pixel_masks(repo_root):
    model = build(repo_root)
    model.train()
    x = torch.randn(2, 3, 64, 64)
    out = []
    for masks in (None, lambda s: torch.zeros(1, s, s, dtype=torch.long),
                  lambda s: torch.randint(0, 11, (1, s, s))):
        m = copy.deepcopy(model)
        out.append({k: v.item() for k, v in
                    m.loss(x, samples(2, masks=masks)).items()})
    assert out[0] == out[1] == out[2]


def test_ablation_variants_and_inference(repo_root):
    x = torch.randn(2, 3, 64, 64)
    # F runs the other scales only where MAM reads them (not RCM, SMM)
    for tag, keys, f_views in (('rcm', {'loss_cls', 'loss_rcm'}, 1),
                               ('mam', {'loss_cls', 'loss_mam'}, 3),
                               ('smm', {'loss_cls', 'loss_mam'}, 1),
                               ('mmm', {'loss_cls', 'loss_mam'}, 3)):
        path = CFG.replace('.py', f'_{tag}.py')
        model = build(repo_root, path)
        model.train()
        calls = []
        forward_main = model.forward_main
        model.forward_main = lambda v: calls.append(v.shape) or \
            forward_main(v)
        assert set(model.loss(x, samples(2))) == keys, tag
        assert len(calls) == f_views, tag
    model = build(repo_root)
    model.train()
    model.loss(x, samples(2))
    model.ema_update(1.0)          # G = F
    model.eval()
    with torch.no_grad():
        cams_f, _ = model.infer_cams(x)
        model.test_cfg['use_support'] = True
        cams_g, _ = model.infer_cams(x)
    assert cams_f.shape == (2, 10, 64, 64)
    assert torch.allclose(cams_f, cams_g, atol=1e-5)
    with pytest.raises(ValueError, match='1.0'):
        build(repo_root, scales=(0.5, 2.0))
