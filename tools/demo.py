"""The embedded default, end to end on CPU (what `make demo` runs).

1. write the synthetic dataset (VOC layout) to data/synthetic
2. train the CAM classifier (configs/cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py)
3. evaluate on synthetic val: image-level classification mAP and the CAM
   mIoU at the best background threshold; CAM overlays as PNGs
4. write work_dirs/demo/results.md

Every stage reuses what an earlier run left (dataset, checkpoint), so a rerun
after an interruption continues; --fresh starts over.
"""
import argparse
import os
import os.path as osp
import shutil
import sys
import time

sys.path.insert(0, osp.dirname(osp.dirname(osp.abspath(__file__))))

import mmwsss  # noqa: E402,F401
from mmengine.config import Config  # noqa: E402
from mmengine.hooks import Hook  # noqa: E402
from mmengine.runner import Runner  # noqa: E402

from mmwsss.datasets.synthetic import preset, write_synthetic_dataset  # noqa: E402,E501

HERE = osp.dirname(osp.dirname(osp.abspath(__file__)))
CAM_CONFIG = osp.join(HERE, 'configs', 'cam',
                      'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py')


class _CaptureMetrics(Hook):
    priority = 'VERY_LOW'

    def __init__(self):
        self.metrics = {}

    def after_val_epoch(self, runner, metrics=None):
        self.metrics = dict(metrics or {})

    after_test_epoch = after_val_epoch


def parse_args():
    parser = argparse.ArgumentParser(description='mmwsss demo')
    parser.add_argument('--data', default=osp.join(HERE, 'data', 'synthetic'))
    parser.add_argument('--work-dir', default=osp.join(HERE, 'work_dirs',
                                                       'demo'))
    parser.add_argument('--iters', type=int, help='override max_iters')
    parser.add_argument('--fresh', action='store_true',
                        help='retrain even if a checkpoint exists')
    parser.add_argument('--num-overlays', type=int, default=8)
    return parser.parse_args()


def cam_config(args, work_dir):
    cfg = Config.fromfile(CAM_CONFIG)
    cfg.work_dir = work_dir
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].dataset.data_root = args.data
    if args.iters:
        cfg.train_cfg.max_iters = args.iters
        cfg.train_cfg.val_interval = args.iters
        cfg.param_scheduler[-1].end = args.iters
    return cfg


def save_overlays(runner, out_dir, n):
    import numpy as np
    import torch
    from mmengine.dataset import pseudo_collate

    from mmwsss.apis import cam_overlay_panel
    from mmwsss.utils.io import save_png
    ds = runner.test_dataloader.dataset
    meta = ds.metainfo
    model = runner.model
    model.eval()
    for i in range(min(n, len(ds))):
        item = ds[i]
        with torch.no_grad():
            out = model.test_step(pseudo_collate([item]))[0]
        rgb = item['inputs'].numpy()[::-1].transpose(1, 2, 0)  # BGR->RGB
        cams = out.seg_logits.data[1:].cpu().numpy()
        labels = np.flatnonzero(out.gt_img_labels.cpu().numpy())
        panel = cam_overlay_panel(
            np.ascontiguousarray(rgb), cams, meta['classes'],
            meta['palette'], pred=out.pred_sem_seg.data[0].cpu().numpy(),
            gt=out.gt_sem_seg.data[0].cpu().numpy(), classes=labels)
        name = osp.splitext(osp.basename(out.img_path))[0]
        save_png(osp.join(out_dir, name + '.png'), panel)


def main():
    args = parse_args()
    os.makedirs(args.work_dir, exist_ok=True)
    times = {}

    t = time.time()
    write_synthetic_dataset(args.data, preset('default'), seed=0)
    times['dataset'] = time.time() - t

    cam_dir = osp.join(args.work_dir, 'cam')
    if args.fresh and osp.isdir(cam_dir):
        shutil.rmtree(cam_dir)
    cfg = cam_config(args, cam_dir)
    final_ckpt = osp.join(cam_dir, f'iter_{cfg.train_cfg.max_iters}.pth')
    capture = _CaptureMetrics()
    t = time.time()
    if not osp.isfile(final_ckpt):
        cfg.resume = True  # continue an interrupted run
        runner = Runner.from_cfg(cfg)
        runner.register_hook(capture)
        runner.train()
        metrics = capture.metrics
    else:
        cfg.load_from = final_ckpt
        runner = Runner.from_cfg(cfg)
        runner.register_hook(capture)
        runner.test()
        metrics = capture.metrics
    times['cam_train_and_eval'] = time.time() - t

    t = time.time()
    save_overlays(runner, osp.join(args.work_dir, 'cam_overlays'),
                  args.num_overlays)
    times['overlays'] = time.time() - t

    m_ap = metrics.get('cls/mAP')
    miou = metrics.get('cam/mIoU')
    thr = metrics.get('cam/best_bg_threshold')
    lines = [
        '# mmwsss demo: embedded synthetic dataset', '',
        '| stage | figure |', '|---|---|',
        f'| CAM classifier: classification mAP (val) | {m_ap} |',
        f'| CAM mIoU at best bg threshold (val) | {miou} (t = {thr}) |',
        '', '| stage | time (s) |', '|---|---|'
    ] + [f'| {k} | {v:.1f} |' for k, v in times.items()] + [
        '', f'CAM overlays: {osp.join(args.work_dir, "cam_overlays")}', ''
    ]
    from mmwsss.utils.io import atomic_write
    with atomic_write(osp.join(args.work_dir, 'results.md'), 'w') as f:
        f.write('\n'.join(lines))
    print('\n'.join(lines))


if __name__ == '__main__':
    main()
