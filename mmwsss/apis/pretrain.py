"""Backbone pre-training on the proxy corpus: train an mmpretrain
``ImageClassifier`` config, evaluate it on the hidden multi-labels, and
store its backbone in a cache outside the checkout with its provenance."""
from __future__ import annotations

import datetime
import hashlib
import json
import os
import os.path as osp
import subprocess
from typing import Dict, Optional, Tuple

import torch

from mmwsss.datasets.synthetic_proxy import write_proxy_dataset
from mmwsss.utils.fingerprint import file_digest
from mmwsss.utils.io import atomic_write

#: Where pre-trained backbones are kept (the synthetic configs' init_cfg
#: points here).
DEFAULT_CACHE = osp.join('~', '.cache', 'mmwsss', 'pretrained')


def git_commit(repo: str) -> Dict[str, object]:
    """``{'commit': sha or None, 'dirty': bool}`` of the checkout at
    ``repo`` (None outside a git checkout)."""
    try:
        sha = subprocess.run(['git', 'rev-parse', 'HEAD'], cwd=repo,
                             capture_output=True, text=True,
                             check=True).stdout.strip()
        dirty = bool(subprocess.run(
            ['git', 'status', '--porcelain', '--untracked-files=no'],
            cwd=repo, capture_output=True, text=True,
            check=True).stdout.strip())
        return dict(commit=sha, dirty=dirty)
    except (OSError, subprocess.CalledProcessError):
        return dict(commit=None, dirty=None)


def backbone_state(state_dict: Dict[str, torch.Tensor],
                   prefix: str = 'backbone.') -> Dict[str, torch.Tensor]:
    """The ``backbone.*`` entries of a classifier's state dict, without the
    prefix (what ``init_cfg=dict(type='Pretrained')`` on a backbone
    loads). A ValueError when there are none."""
    out = {k[len(prefix):]: v.detach().cpu().clone()
           for k, v in state_dict.items() if k.startswith(prefix)}
    if not out:
        raise ValueError(f'no {prefix!r} entries in the state dict')
    return out


def save_pretrained(path: str, state: Dict[str, torch.Tensor],
                    provenance: dict) -> dict:
    """Write ``{'state_dict', 'meta'}`` to ``path`` and the provenance with
    the file's SHA-256 to ``path[:-4] + '.json'``, both atomically.
    Returns the provenance as written."""
    with atomic_write(path, 'wb') as f:
        torch.save(dict(state_dict=state, meta=provenance), f)
    record = dict(provenance, file=osp.basename(path),
                  sha256=file_digest(path, algorithm='sha256'),
                  bytes=os.path.getsize(path))
    with atomic_write(path[:-4] + '.json', 'w') as f:
        json.dump(record, f, indent=1, sort_keys=True)
    return record


def verify_pretrained(path: str) -> dict:
    """The provenance record of a cached backbone, after checking that the
    file's SHA-256 is the recorded one (a ValueError names the file
    otherwise)."""
    with open(path[:-4] + '.json') as f:
        record = json.load(f)
    digest = file_digest(path, algorithm='sha256')
    if digest != record['sha256']:
        raise ValueError(f'{path}: SHA-256 {digest} differs from the '
                         f'recorded {record["sha256"]}')
    return record


def provenance(cfg, config_path: str, data_root: str, metrics: dict,
               repo: Optional[str] = None) -> dict:
    """What produced a pre-trained backbone: the config (path and the
    SHA-1 of its resolved text), the corpus (its meta.json: generator,
    seed, settings, statistics), the code (git commit), the metrics and
    the schedule."""
    meta_path = osp.join(data_root, 'meta.json')
    data_meta = None
    if osp.isfile(meta_path):
        with open(meta_path) as f:
            data_meta = json.load(f)
    text = cfg.pretty_text
    return dict(
        config=config_path,
        config_sha1=hashlib.sha1(text.encode()).hexdigest(),
        data_root=data_root,
        data=data_meta,
        code=git_commit(repo or osp.dirname(osp.abspath(config_path))),
        metrics={k: float(v) for k, v in metrics.items()
                 if isinstance(v, (int, float))},
        max_iters=int(cfg.train_cfg.max_iters),
        created=datetime.datetime.now(datetime.timezone.utc).isoformat(
            timespec='seconds'))


def pretrain_backbone(cfg, config_path: str, cache_dir: str = DEFAULT_CACHE,
                      repo: Optional[str] = None) -> Tuple[str, dict]:
    """Train an mmpretrain pre-training config (``cfg.work_dir`` set;
    writes the proxy corpus at its data root if missing; resumes an
    interrupted run, only loads a finished one), validate it on the hidden
    multi-labels and cache its backbone (:func:`save_pretrained`) as
    ``cache_dir/<config name>.pth``.

    Returns:
        tuple: the file's path and its provenance record.
    """
    from mmengine.registry import DefaultScope
    from mmengine.runner import Runner
    data_root = cfg.train_dataloader.dataset.data_root
    if not osp.isfile(osp.join(data_root, 'meta.json')):
        write_proxy_dataset(data_root)
    final = osp.join(cfg.work_dir, f'iter_{cfg.train_cfg.max_iters}.pth')
    finished = osp.isfile(final)
    if finished:  # only validate (resuming would replay the data loader)
        cfg.load_from = final
    else:
        cfg.resume = True  # continue an interrupted run of this work_dir
    with DefaultScope.overwrite_default_scope(
            cfg.get('default_scope', 'mmpretrain')):
        runner = Runner.from_cfg(cfg)
        if finished:
            metrics = runner.val()
        else:
            runner.train()
            metrics = runner.val_loop.run()
    model = runner.model.module if hasattr(runner.model,
                                           'module') else runner.model
    name = osp.splitext(osp.basename(config_path))[0]
    out = osp.join(osp.expanduser(cache_dir), name + '.pth')
    rel = config_path if repo is None else osp.relpath(
        osp.abspath(config_path), repo)
    record = save_pretrained(out, backbone_state(model.state_dict()),
                             provenance(cfg, rel, data_root, metrics,
                                        repo=repo))
    runner.logger.info(f'backbone saved to {out} (sha256 '
                       f'{record["sha256"][:12]}); metrics '
                       f'{record["metrics"]}')
    return out, record
