"""The pre-trained backbone shipped with the configs
(configs/_base_/pretrained/): the file is the one its record describes
(SHA-256), the record says what produced it, and it is the start of every
synthetic network built on configs/_base_/models/r18-w32-d16.py (the
`_scratch` and pre-training configs start from random weights)."""
import glob
import os.path as osp
import re

import pytest
from mmengine.config import Config

from mmwsss.apis.pretrain import verify_pretrained
from mmwsss.datasets.synthetic_proxy import PROXY_SEED
from tests.utils import assert_backbone_starts_from

SHIPPED = 'configs/_base_/pretrained'
NAME = 'imgcls_r18-w32-d16_1xb32-3k_proxy-128_softmax'
STEM = 'r18-w32-d16_1xb16-1500it_synthetic-128x128'
# one config of each model type on the shared backbone
BUILT = [f'configs/cam/cam_{STEM}.py', f'configs/seam/seam_{STEM}.py',
         f'configs/rcm_mam/rcm-mam_{STEM}.py',
         f'configs/single_stage/single-stage_{STEM}.py',
         'configs/affinity/'
         'affinitynet_r18-w32-d16_1xb16-800it_synthetic-128x128.py']


def shared_backbone_configs(repo_root):
    """Every synthetic config (configs/, projects/*/configs/) with the
    half-width ResNet-18: ``{path: resolved config}``."""
    paths = sorted(glob.glob(osp.join(repo_root, 'configs', '**', '*.py'),
                             recursive=True) +
                   glob.glob(osp.join(repo_root, 'projects', '*', 'configs',
                                      '*.py')))
    found = {}
    for p in paths:
        if '_base_' in p.split(osp.sep):
            continue
        cfg = Config.fromfile(p)
        if (cfg.get('model') or {}).get('backbone', {}).get(
                'base_channels') == 32 and 'synthetic' in osp.basename(p):
            found[p] = cfg
    return found


def test_shipped_backbone_matches_its_record(repo_root):
    files = sorted(glob.glob(osp.join(repo_root, SHIPPED, '*.pth')))
    assert [osp.basename(f) for f in files] == [NAME + '.pth']
    record = verify_pretrained(files[0])  # raises on a hash mismatch
    assert record['file'] == NAME + '.pth'
    assert record['bytes'] == osp.getsize(files[0])
    # what produced it: a config of this repository at its full schedule,
    # the proxy corpus' seed, a committed (clean) checkout, the metrics on
    # the hidden multi-labels
    assert record['config'] == f'configs/mile/{NAME}.py'
    cfg = Config.fromfile(osp.join(repo_root, record['config']))
    assert record['max_iters'] == cfg.train_cfg.max_iters
    assert record['data']['seed'] == PROXY_SEED
    assert re.fullmatch('[0-9a-f]{40}', record['code']['commit'])
    assert record['code']['dirty'] is False
    assert 0 < record['metrics']['multi-label/mAP'] <= 100


def test_synthetic_networks_start_from_the_shipped_backbone(repo_root):
    shipped = osp.join(repo_root, SHIPPED, NAME + '.pth')
    starts, final = {}, []
    for p, cfg in shared_backbone_configs(repo_root).items():
        init = cfg.model.backbone.get('init_cfg')
        ckpt = None if init is None else init['checkpoint']
        if cfg.model.type == 'EncoderDecoder':
            # the final stage (mmseg's DeepLabv3+ / PSPNet): random weights
            # (the PMM recipe starts its PSPNets from the shipped backbone)
            assert ckpt is None, p
            final.append(p)
        else:
            starts[osp.relpath(p, repo_root)] = ckpt
    assert len(final) >= 4 and len(starts) >= 30
    for p, ckpt in starts.items():
        name = osp.basename(p)
        if name.endswith('_scratch.py') or name.startswith('imgcls_'):
            assert ckpt is None, p  # random weights
        elif '_pretrained-' in name:  # the other pre-trainings (cached)
            assert ckpt.startswith('~/.cache/mmwsss/pretrained/'), p
        else:  # resolved next to the configs, from any directory
            assert osp.samefile(ckpt, shipped), p


def test_each_model_type_loads_the_shipped_weights(repo_root):
    """Built and initialised as the Runner does, each network's backbone
    holds exactly the shipped weights."""
    shipped = osp.join(repo_root, SHIPPED, NAME + '.pth')
    for rel in BUILT:
        cfg = Config.fromfile(osp.join(repo_root, rel))
        assert_backbone_starts_from(cfg.model, shipped)


def test_scratch_config_starts_from_random_weights(repo_root):
    cfg = Config.fromfile(osp.join(repo_root, 'configs', 'cam',
                                   f'cam_{STEM}_scratch.py'))
    assert cfg.model.backbone.init_cfg is None
    with pytest.raises(AssertionError):  # not the shipped weights
        assert_backbone_starts_from(
            cfg.model, osp.join(repo_root, SHIPPED, NAME + '.pth'))
