"""tools/misc/check_dataset.py names every bad image and mask (issue
15.11)."""
import os
import os.path as osp
import shutil
import subprocess
import sys

import numpy as np

from mmwsss.utils.io import read_label_png, save_png
from tests.utils import run_tool

CFG = ('configs/final_stage/'
       'deeplabv3plus_r18-w32-d16_1xb16-800it_synthetic-128x128_gt.py')


def test_check_dataset_names_bad_files(repo_root, tiny_synthetic, tmp_path):
    opts = ['--cfg-options']
    out = run_tool(repo_root, 'tools/misc/check_dataset.py', CFG,
                   *opts,
                   f'train_dataloader.dataset.data_root={tiny_synthetic}')
    assert '0 bad files' in out
    root = str(tmp_path / 'data')
    shutil.copytree(tiny_synthetic, root)
    names = open(osp.join(root, 'ImageSets', 'Segmentation',
                          'train.txt')).read().split()
    img = lambda n: osp.join(root, 'JPEGImages', n + '.jpg')  # noqa: E731
    seg = lambda n: osp.join(root, 'SegmentationClass',  # noqa: E731
                             n + '.png')
    data = open(img(names[0]), 'rb').read()
    with open(img(names[0]), 'wb') as f:        # truncated
        f.write(data[:len(data) // 2])
    open(img(names[1]), 'wb').close()           # zero bytes
    mask = read_label_png(seg(names[2])).copy()
    mask[0, 0] = 12                             # outside 11 classes
    save_png(seg(names[2]), mask)
    save_png(seg(names[3]), np.zeros((10, 10), np.uint8))  # wrong size
    proc = subprocess.run(
        [sys.executable, 'tools/misc/check_dataset.py', CFG, *opts,
         f'train_dataloader.dataset.data_root={root}'],
        cwd=repo_root, capture_output=True, text=True, timeout=300,
        env={k: v for k, v in os.environ.items() if k != 'PYTHONPATH'})
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out[-3000:]
    assert '4 bad files' in out
    assert f'BAD {img(names[0])}: truncated JPEG' in out
    assert f'BAD {img(names[1])}: zero-byte' in out
    assert f'BAD {seg(names[2])}: label values [12]' in out
    assert f'BAD {seg(names[3])}: mask of size (10, 10)' in out
