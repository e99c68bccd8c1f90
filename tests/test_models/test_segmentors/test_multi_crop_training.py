"""The PMM multi-crop CAM config trains (re-tagged crops) and tests
(multi-crop inference) through tools/train.py on the tiny preset."""
import os.path as osp
import re

import cv2
import numpy as np

from mmwsss.utils.cam_io import save_cam_file
from mmwsss.utils.io import read_label_png
from tests.utils import run_tool, tiny_train_options

CFG = 'configs/pmm/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_multicrop.py'


def test_multicrop_cam_config_trains_and_tests(repo_root, tiny_synthetic,
                                               tmp_path):
    base = tmp_path / 'base_cams'
    names = open(osp.join(tiny_synthetic, 'ImageSets', 'Segmentation',
                          'train.txt')).read().split()
    for name in names:  # stand-in base CAMs: blurred masks
        gt = read_label_png(osp.join(tiny_synthetic, 'SegmentationClass',
                                     name + '.png'))
        keys = [int(v) - 1 for v in np.unique(gt) if 0 < v < 255]
        cams = np.stack([cv2.GaussianBlur((gt == k + 1).astype(np.float32),
                                          (0, 0), 2) for k in keys]) \
            if keys else np.zeros((0, ) + gt.shape, np.float32)
        if keys:
            cams /= cams.max(axis=(1, 2), keepdims=True) + 1e-6
        save_cam_file(str(base / f'{name}.npz'), cams, np.array(keys),
                      np.zeros(10))
    opts = [f'base_cam_dir={base}', 'crop=32']
    opts += tiny_train_options(tiny_synthetic, 2)
    opts += [  # the pipeline and test_cfg hold the crop size themselves
        f'train_dataloader.dataset.pipeline.1.base_dir={base}',
        'train_dataloader.dataset.pipeline.1.crop_size=32',
        'train_dataloader.dataset.pipeline.1.stride=24',
        'train_dataloader.dataset.pipeline.2.scale=(32,32)',
        'model.test_cfg.crop_size=32', 'model.test_cfg.stride=24']
    out = run_tool(repo_root, 'tools/train.py', CFG, '--work-dir',
                   str(tmp_path / 'work'), '--cfg-options', *opts)
    assert 'Iter(train) [2/2]' in out
    assert re.search(r'cam/mIoU: \d', out)   # multi-crop inference in val
