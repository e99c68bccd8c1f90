"""Helpers shared by the tests."""
import os
import subprocess
import sys


def run_tool(repo_root, *args, timeout=600, extra_path=None):
    """Run ``python *args`` in the repo root; assert it succeeds; return its
    output. Tools and recipes import the installed ``mmwsss`` (nothing of
    the checkout is put on the path); ``extra_path`` is the ``PYTHONPATH``
    (test-only modules) if given."""
    env = dict(os.environ)
    env.pop('PYTHONPATH', None)
    if extra_path is not None:
        env['PYTHONPATH'] = str(extra_path)
    proc = subprocess.run([sys.executable, *args], cwd=repo_root, env=env,
                          capture_output=True, text=True, timeout=timeout)
    out = proc.stdout + proc.stderr
    assert proc.returncode == 0, out[-4000:]
    return out


def tiny_train_options(data_root, iters, checkpoint_interval=None):
    """``--cfg-options`` for a few in-process iterations of a synthetic
    config on ``data_root``: every loader pointed there with no worker
    processes, ``iters`` iterations validated at the end, batch 4, a log
    line per iteration (and a checkpoint every ``checkpoint_interval``)."""
    opts = []
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        opts += [f'{loader}.dataset.data_root={data_root}',
                 f'{loader}.num_workers=0',
                 f'{loader}.persistent_workers=False']
    opts += [f'train_cfg.max_iters={iters}', f'train_cfg.val_interval={iters}',
             'train_dataloader.batch_size=4',
             'default_hooks.logger.interval=1']
    if checkpoint_interval is not None:
        opts.append(f'default_hooks.checkpoint.interval={checkpoint_interval}')
    return opts


def assert_backbone_starts_from(model_cfg, pth):
    """Build ``model_cfg`` (mmseg scope), run its ``init_weights`` and check
    that its backbone holds exactly the weights saved in ``pth`` (a
    backbone file of tools/pretrain_backbone.py)."""
    import torch
    from mmengine.registry import DefaultScope
    from mmseg.registry import MODELS
    with DefaultScope.overwrite_default_scope('mmseg'):
        model = MODELS.build(model_cfg)
    model.init_weights()
    saved = torch.load(pth, map_location='cpu',
                       weights_only=False)['state_dict']
    got = model.backbone.state_dict()
    assert set(got) == set(saved)
    for k, v in saved.items():
        assert torch.equal(got[k], v), k
