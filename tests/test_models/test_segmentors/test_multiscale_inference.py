import copy
import os.path as osp

import torch
from mmengine.config import Config
from mmseg.registry import MODELS

CFG = 'configs/cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'


def build(repo_root, model_type=None, **test_cfg):
    cfg = Config.fromfile(osp.join(repo_root, CFG))
    mcfg = copy.deepcopy(cfg.model)
    mcfg.test_cfg.update(test_cfg)
    if model_type is not None:
        mcfg.type = model_type
    torch.manual_seed(0)
    model = MODELS.build(mcfg)
    model.eval()
    return model


def test_single_scale_equals_plain_forward(repo_root):
    model = build(repo_root)
    x = torch.randn(2, 3, 48, 48)
    with torch.no_grad():
        cams, scores = model.infer_cams(x)
        raw = model._forward(x)
    assert cams.shape == (2, 10, 48, 48)
    assert torch.allclose(scores, model.class_scores(raw))
    assert (cams >= 0).all()


def test_flip_makes_cams_flip_equivariant(repo_root):
    model = build(repo_root, scales=(1.0, 1.5), flip=True)
    x = torch.randn(1, 3, 48, 48)
    with torch.no_grad():
        a, sa = model.infer_cams(x)
        b, sb = model.infer_cams(x.flip(-1))
    assert torch.allclose(a, b.flip(-1), atol=1e-4)
    assert torch.allclose(sa, sb, atol=1e-5)


def test_sum_and_mean_agree_after_normalisation(repo_root):
    from mmwsss.functional import normalize_cams
    x = torch.randn(1, 3, 48, 48)
    with torch.no_grad():
        s, _ = build(repo_root, scales=(0.5, 1.0), aggregate='sum'
                     ).infer_cams(x)
        m, _ = build(repo_root, scales=(0.5, 1.0), aggregate='mean'
                     ).infer_cams(x)
    assert torch.allclose(s, 2 * m, atol=1e-5)
    assert torch.allclose(normalize_cams(s, eps=1e-12),
                          normalize_cams(m, eps=1e-12), atol=1e-4)
