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


def test_mask_values_outside_the_head_are_named(repo_root):
    """Issue 15.11: instead of torch's "Target 12 is out of bounds" (no
    file), the hook names the mask."""
    import os.path as osp

    import pytest
    import torch
    from mmengine.config import Config
    from mmengine.structures import PixelData
    from mmseg.registry import MODELS
    from mmseg.structures import SegDataSample

    from mmwsss.engine.hooks import check_label_values
    cfg = Config.fromfile(osp.join(
        repo_root, 'configs/final_stage/'
        'deeplabv3plus_r18-w32-d16_1xb16-800it_synthetic-128x128_gt.py'))
    model = MODELS.build(cfg.model)

    def sample(values, path):
        s = SegDataSample(metainfo=dict(seg_map_path=path))
        s.gt_sem_seg = PixelData(data=torch.tensor(values).view(1, 1, -1))
        return s

    ok = sample([0, 10, 255], 'ok.png')
    check_label_values(model, [ok])                 # classes + ignore
    with pytest.raises(ValueError, match=r'bad\.png holds label values '
                       r'\[12\] outside the model\'s 11 classes'):
        check_label_values(model, [ok, sample([3, 12], 'bad.png')])
    # torch's own error for the same batch names no file
    logits = torch.zeros(1, 11, 1, 2)
    with pytest.raises((IndexError, RuntimeError), match='out of bounds'):
        torch.nn.functional.cross_entropy(logits, torch.tensor([[[3, 12]]]))
    check_label_values(model, [SegDataSample()])    # no mask: CAM training
