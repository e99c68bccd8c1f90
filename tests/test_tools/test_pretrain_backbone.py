"""tools/pretrain_backbone.py: trains a pre-training config on a proxy
corpus, caches the backbone with its provenance (hash checked), and the
CAM classifier's pretrained configs start from exactly those weights."""
import json
import os.path as osp

import pytest
import torch
from mmengine.config import Config

from mmwsss.apis.pretrain import backbone_state, verify_pretrained
from mmwsss.datasets.synthetic import preset
from mmwsss.datasets.synthetic_proxy import write_proxy_dataset
from tests.utils import assert_backbone_starts_from, run_tool

MILE = 'configs/mile/imgcls_r18-w32-d16_1xb32-3k_proxy-128_mile.py'
CAM = ('configs/cam/'
       'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_pretrained-mile.py')


def test_backbone_state_strips_the_prefix():
    sd = {'backbone.a.weight': torch.ones(2), 'head.fc.bias': torch.zeros(1)}
    assert list(backbone_state(sd)) == ['a.weight']
    with pytest.raises(ValueError, match='backbone'):
        backbone_state({'head.x': torch.ones(1)})


def test_pretrain_cache_provenance_and_downstream_init(repo_root, tmp_path):
    root = str(tmp_path / 'proxy')
    write_proxy_dataset(root, preset('tiny', num_train=16, num_val=8),
                        show_progress=False)
    cache = str(tmp_path / 'cache')
    opts = []
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [f'{loader}.dataset.data_root={root}',
                 f'{loader}.num_workers=0',
                 f'{loader}.persistent_workers=False']
    opts += ['train_dataloader.batch_size=4', 'train_cfg.max_iters=4',
             'train_cfg.val_interval=4', 'custom_hooks.0.k1=2',
             'custom_hooks.0.k2=2', 'default_hooks.logger.interval=1']
    run_tool(repo_root, 'tools/pretrain_backbone.py', MILE, '--work-dir',
             str(tmp_path / 'w'), '--cache-dir', cache, '--cfg-options',
             *opts)
    name = osp.splitext(osp.basename(MILE))[0]
    pth = osp.join(cache, name + '.pth')
    record = verify_pretrained(pth)
    assert record['config'] == MILE and record['max_iters'] == 4
    assert record['data']['seed'] == 1000
    assert record['data']['generator'] == 'mmwsss.datasets.synthetic_proxy'
    assert 'multi-label/mAP' in record['metrics']
    assert len(record['code']['commit'] or '') in (0, 40)
    assert len(record['config_sha1']) == 40
    # a changed file no longer matches its record
    saved = torch.load(pth, map_location='cpu', weights_only=False)
    assert saved['meta']['config'] == MILE
    bad = str(tmp_path / 'bad.pth')
    torch.save(dict(saved, extra=1), bad)
    with open(bad[:-4] + '.json', 'w') as f:
        json.dump(record, f)
    with pytest.raises(ValueError, match='SHA-256'):
        verify_pretrained(bad)
    # the CAM classifier's pretrained config starts from these weights
    cfg = Config.fromfile(osp.join(repo_root, CAM))
    assert cfg.model.backbone.init_cfg.checkpoint.endswith(name + '.pth')
    cfg.model.backbone.init_cfg.checkpoint = pth
    assert_backbone_starts_from(cfg.model, pth)
    # a rerun resumes the finished run (no training) and rewrites the cache
    log = run_tool(repo_root, 'tools/pretrain_backbone.py', MILE,
                   '--work-dir', str(tmp_path / 'w'), '--cache-dir', cache,
                   '--cfg-options', *opts)
    assert 'Iter(train)' not in log and 'resumed' not in log
    assert 'Advance dataloader' not in log  # no replay of the data
    assert 'Load checkpoint from' in log
