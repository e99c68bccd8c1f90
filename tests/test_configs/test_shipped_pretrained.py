"""The pre-trained backbone shipped with the configs
(configs/_base_/pretrained/): the file is the one its record describes
(SHA-256), the record says what produced it, and the config that names it
loads exactly its weights."""
import glob
import os.path as osp
import re

from mmengine.config import Config

from mmwsss.apis.pretrain import verify_pretrained
from mmwsss.datasets.synthetic_proxy import PROXY_SEED
from tests.utils import assert_backbone_starts_from

SHIPPED = 'configs/_base_/pretrained'
NAME = 'imgcls_r18-w32-d16_1xb32-3k_proxy-128_softmax'
CAM = ('configs/cam/'
       'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_pretrained-softmax.py')


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


def test_pretrained_config_loads_the_shipped_weights(repo_root):
    cfg = Config.fromfile(osp.join(repo_root, CAM))
    path = cfg.model.backbone.init_cfg.checkpoint
    shipped = osp.join(repo_root, SHIPPED, NAME + '.pth')
    assert osp.samefile(path, shipped)  # resolved next to the config
    assert_backbone_starts_from(cfg.model, shipped)
