import os.path as osp

import pytest
from mmengine.config import Config
from mmengine.runner import Runner

CFG = 'configs/cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'


def test_class_count_mismatch_fails_before_training(repo_root,
                                                    tiny_synthetic,
                                                    tmp_path):
    import mmwsss  # noqa: F401
    cfg = Config.fromfile(osp.join(repo_root, CFG))
    cfg.work_dir = str(tmp_path)
    cfg.model.cam_head.num_classes = 21
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = tiny_synthetic
        cfg[loader].num_workers = 0
        cfg[loader].persistent_workers = False
    cfg.train_cfg.max_iters = 1
    runner = Runner.from_cfg(cfg)
    with pytest.raises(ValueError,
                       match=r'11 classes.*num_classes=21'):
        runner.train()
    assert not osp.exists(osp.join(str(tmp_path), 'iter_1.pth'))
