"""Shared helpers of the end-to-end recipes (``projects/*/run.py``): point
a config at a dataset and work dir, train-or-load with mmengine's Runner,
time stages. Recipe code, not library: ``mmwsss`` never imports it."""
from __future__ import annotations

import glob
import json
import logging
import os
import os.path as osp
import re
import time
from typing import Dict, List, Optional, Tuple

import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmengine.runner import Runner

from mmwsss.utils.io import atomic_write


class CaptureMetrics(Hook):
    """Keeps every validation/test result: ``history`` (list of dicts, in
    order) and ``metrics`` (the last)."""

    priority = 'VERY_LOW'

    def __init__(self) -> None:
        self.history: List[dict] = []

    @property
    def metrics(self) -> dict:
        return self.history[-1] if self.history else {}

    def after_val_epoch(self, runner, metrics=None) -> None:
        self.history.append(dict(metrics or {}, iter=runner.iter))

    after_test_epoch = after_val_epoch


def point_config_at(cfg, data_root: str, work_dir: str,
                    iters: Optional[int] = None, workers: int = 2):
    """Set the data root of every loader and the work dir; optionally
    shorten the schedule to ``iters`` (warm-up + decay scaled, one
    checkpoint at the end; RCM + MAM's ``mam_start_iter`` scaled with it)
    and run loaders in-process (``workers=0``)."""
    cfg.work_dir = work_dir
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        if cfg.get(loader) is None:
            continue   # e.g. AffinityNet: no validation or test
        cfg[loader].dataset.data_root = data_root
        if workers == 0:
            cfg[loader].num_workers = 0
            cfg[loader].persistent_workers = False
    if iters:
        # RCM + MAM: MAM switches on at the same fraction of the schedule
        model_train = cfg.model.get('train_cfg') or {}
        if 'mam_start_iter' in model_train:
            model_train['mam_start_iter'] = round(
                model_train['mam_start_iter'] * iters /
                cfg.train_cfg.max_iters)
        cfg.train_cfg.max_iters = iters
        cfg.train_cfg.val_interval = iters
        cfg.param_scheduler[-1].end = iters
        cfg.param_scheduler[0].end = min(cfg.param_scheduler[0].end,
                                         max(1, iters // 10))
        cfg.param_scheduler[-1].begin = cfg.param_scheduler[0].end
        cfg.default_hooks.checkpoint.interval = iters
    return cfg


#: The config every synthetic network's backbone comes from; its init_cfg
#: names the benchmark's start.
BACKBONE_BASE = osp.join(
    osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__)))), 'configs',
    '_base_', 'models', 'r18-w32-d16.py')
#: The synthetic benchmark's start: the backbone pre-trained on the proxy
#: corpus that ships with the configs, read from :data:`BACKBONE_BASE`.
SHIPPED_BACKBONE = osp.normpath(
    Config.fromfile(BACKBONE_BASE).model.backbone.init_cfg.checkpoint)


def add_start_arguments(parser, networks: str = 'every classifier\'s'
                        ) -> None:
    """``--pretrained CKPT`` / ``--scratch`` (exclusive): where
    ``networks`` backbone(s) start; neither means the config's own start
    (the shipped backbone, :data:`SHIPPED_BACKBONE`)."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        '--pretrained', metavar='CKPT',
        help=f'start {networks} backbone from these weights (a backbone from '
        'tools/pretrain_backbone.py) instead of the shipped one')
    group.add_argument(
        '--scratch', action='store_true',
        help=f'start {networks} backbone from random weights (the '
        'benchmark before the pre-trained start)')


def abs_path(path: str) -> str:
    """argparse ``type`` of a recipe's ``--work-dir``: absolute, because
    the recipes put work-dir paths (pseudo-label folders, split files) into
    dataset configs, where a relative path would be read against the
    dataset's ``data_root``."""
    return osp.abspath(osp.expanduser(path))


def require_files(parser, args, names) -> None:
    """``parser.error`` naming the option if one of ``args``' ``names``
    (attribute names) is given but no file; the given ones are stored with
    ``~`` expanded."""
    for name in names:
        path = getattr(args, name, None)
        if not path:
            continue
        if not osp.isfile(osp.expanduser(path)):
            parser.error(f'--{name.replace("_", "-")}: no file {path}')
        setattr(args, name, osp.expanduser(path))


def use_pretrained(cfg, checkpoint: Optional[str],
                   scratch: bool = False) -> None:
    """Start ``cfg.model``'s backbone from ``checkpoint`` (a backbone state
    from tools/pretrain_backbone.py) through its ``init_cfg``, or from
    random weights if ``scratch``; neither leaves the config as it is."""
    if checkpoint or scratch:
        cfg.model.backbone.init_cfg = None if scratch else dict(
            type='Pretrained', checkpoint=checkpoint)
        # mmseg backbones refuse init_cfg next to a `pretrained` path
        cfg.model.pop('pretrained', None)
        cfg.model.backbone.pop('pretrained', None)


def backbone_start(args) -> Tuple[Optional[str], str]:
    """Where ``args`` (:func:`add_start_arguments`) start the backbones:
    ``(checkpoint, name for reports)``; ``(None, 'random weights ...')`` for
    ``--scratch``, else ``--pretrained`` or :data:`SHIPPED_BACKBONE`."""
    if getattr(args, 'scratch', False):
        return None, 'random weights (from scratch)'
    path = getattr(args, 'pretrained', None) or SHIPPED_BACKBONE
    return path, osp.basename(path)


def apply_start(cfg, args, explicit: bool = False) -> None:
    """Start ``cfg.model``'s backbone where ``args`` say
    (:func:`backbone_start`). Without an option the config keeps its own
    start, unless ``explicit``: then it gets the shipped backbone too (a
    config whose own start is random, e.g. mmseg's PSPNet)."""
    path, _ = backbone_start(args)
    if explicit or args.pretrained or args.scratch:
        use_pretrained(cfg, path, args.scratch)


def is_valid_checkpoint(path: str) -> bool:
    """Whether ``path`` loads as a checkpoint with a ``state_dict`` (a
    truncated or corrupt file does not)."""
    try:
        ckpt = torch.load(path, map_location='cpu', weights_only=False)
    except Exception:
        return False
    return isinstance(ckpt, dict) and isinstance(ckpt.get('state_dict'),
                                                 dict)


def set_aside_invalid_checkpoints(work_dir: str) -> List[str]:
    """From the newest ``iter_*.pth`` of ``work_dir`` down to the first one
    that loads (the only ones a rerun would use: the final checkpoint, or
    the one it resumes from), rename those that do not load to
    ``*.pth.corrupt`` and point ``last_checkpoint`` at that newest valid
    one (or remove it), so that a rerun retrains or resumes instead of
    failing on the broken file. Returns the renamed paths."""
    if not osp.isdir(work_dir):
        return []
    found = sorted(glob.glob(osp.join(work_dir, 'iter_*.pth')),
                   key=lambda p: int(re.findall(r'\d+', osp.basename(p))[0]),
                   reverse=True)
    bad, good = [], None
    for p in found:
        if is_valid_checkpoint(p):
            good = p
            break
        os.replace(p, p + '.corrupt')
        bad.append(p)
        print_log(f'{p} does not load (truncated or corrupt): set aside as '
                  f'{osp.basename(p)}.corrupt', logger='current',
                  level=logging.WARNING)
    last = osp.join(work_dir, 'last_checkpoint')
    if bad and osp.isfile(last):
        if good:
            with atomic_write(last, 'w') as f:
                f.write(good)
        else:
            os.remove(last)
    return bad


def train_or_load(cfg, checkpoint: Optional[str] = None
                  ) -> Tuple[object, CaptureMetrics]:
    """Train (resuming an interrupted run) or, if the final checkpoint
    exists or ``checkpoint`` is given, only test that. Returns
    ``(runner, capture)``; ``capture.metrics`` holds the last validation
    result and ``capture.history`` every one of the training run (kept in
    ``WORK_DIR/val_history.json``, so a rerun that only tests still
    reports the intermediate validations). Checkpoints of the work dir that
    do not load are set aside first (:func:`set_aside_invalid_checkpoints`):
    a truncated final checkpoint means training again, not failing."""
    set_aside_invalid_checkpoints(cfg.work_dir)
    final = osp.join(cfg.work_dir, f'iter_{cfg.train_cfg.max_iters}.pth')
    record = osp.join(cfg.work_dir, 'val_history.json')
    capture = CaptureMetrics()
    if checkpoint is not None:
        cfg.load_from = checkpoint
        runner = Runner.from_cfg(cfg)
        runner.register_hook(capture)
        runner.test()
    elif osp.isfile(final):
        cfg.load_from = final
        runner = Runner.from_cfg(cfg)
        runner.register_hook(capture)
        runner.test()
        if osp.isfile(record):
            with open(record) as f:
                earlier = json.load(f)
            capture.history = earlier[:-1] + capture.history
    else:
        cfg.resume = True
        runner = Runner.from_cfg(cfg)
        runner.register_hook(capture)
        runner.train()
        with atomic_write(record, 'w') as f:
            json.dump(capture.history, f, indent=1, default=float)
    return runner, capture


def train_to_checkpoint(cfg) -> str:
    """Train (resuming an interrupted run) unless the final checkpoint
    exists; its path. For models without a test loop (AffinityNet)."""
    set_aside_invalid_checkpoints(cfg.work_dir)
    final = osp.join(cfg.work_dir, f'iter_{cfg.train_cfg.max_iters}.pth')
    if not osp.isfile(final):
        cfg.resume = True
        Runner.from_cfg(cfg).train()
    return final


def test_checkpoint(cfg, checkpoint: str) -> dict:
    """Test ``checkpoint`` with ``cfg``'s test loop; the metrics."""
    cfg.load_from = checkpoint
    runner = Runner.from_cfg(cfg)
    capture = CaptureMetrics()
    runner.register_hook(capture)
    runner.test()
    return capture.metrics


class StageTimer:
    """``with timer('name'):`` prints a banner and records seconds."""

    def __init__(self) -> None:
        self.times: Dict[str, float] = {}

    def __call__(self, name: str):
        timer = self

        class _Stage:
            def __enter__(self):
                self.t = time.time()
                print(f'\n===== {name} =====', flush=True)

            def __exit__(self, *exc):
                timer.times[name] = time.time() - self.t
        return _Stage()
