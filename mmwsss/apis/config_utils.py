"""What the pipeline tools share: their model-run options, a dataset from a
config, and the per-image file paths of a pipeline stage."""
from __future__ import annotations

import argparse
import os.path as osp
from typing import List, Optional, Sequence, Tuple

from mmengine.config import Config, DictAction
from mmengine.dist import get_dist_info, init_dist
from mmengine.registry import init_default_scope
from mmengine.runner import load_state_dict
from mmengine.runner.checkpoint import CheckpointLoader
from mmseg.registry import DATASETS, MODELS

from mmwsss.utils.dist import init_cpu_process_group
from mmwsss.utils.io import output_names


def load_config(path: str, cfg_options: Optional[dict] = None) -> Config:
    """Load a config, apply ``--cfg-options`` and set mmseg's default scope
    (so mmwsss and mmseg types build outside a Runner)."""
    cfg = Config.fromfile(path)
    if cfg_options:
        cfg.merge_from_dict(cfg_options)
    init_default_scope(cfg.get('default_scope', 'mmseg'))
    return cfg


def checkpoint_state_dict(checkpoint: str) -> dict:
    """The ``state_dict`` of ``checkpoint`` (read once), without the
    ``module.`` prefix of wrapped models, as mmengine's loader strips it."""
    ckpt = CheckpointLoader.load_checkpoint(checkpoint, map_location='cpu')
    state = ckpt.get('state_dict', ckpt) if isinstance(ckpt, dict) else {}
    return {k[len('module.'):] if k.startswith('module.') else k: v
            for k, v in state.items()}


def state_dict_mismatch(model, state: dict
                        ) -> Tuple[List[str], List[str], List[str]]:
    """``(missing, unexpected, wrong_shape)`` parameter/buffer names of
    ``model`` vs ``state``."""
    own = model.state_dict()
    have, want = set(state), set(own)
    shapes = sorted(k for k in have & want
                    if hasattr(state[k], 'shape')
                    and tuple(state[k].shape) != tuple(own[k].shape))
    return sorted(want - have), sorted(have - want), shapes


def load_model(cfg: Config, checkpoint: str, device: str = 'cpu',
               strict: bool = True):
    """``cfg.model`` built from mmseg's registry with ``checkpoint`` loaded,
    on ``device``.

    With ``strict`` (default) a checkpoint whose parameters do not match the
    model's (missing or unexpected names: another model, a truncated
    save) is a ValueError naming the checkpoint, the config's model type
    and the first names; results from a partly loaded model are never
    produced. ``strict=False`` loads what matches (mmengine's behaviour).
    """
    model = MODELS.build(cfg.model)
    state = checkpoint_state_dict(checkpoint)
    if strict:
        missing, unexpected, shapes = state_dict_mismatch(model, state)
        if missing or unexpected or shapes:
            raise ValueError(
                f'{checkpoint} does not match the {cfg.model.type} of the '
                f'config: {len(missing)} missing (e.g. {missing[:3]}), '
                f'{len(unexpected)} unexpected (e.g. {unexpected[:3]}), '
                f'{len(shapes)} of another shape (e.g. {shapes[:3]}) '
                'parameter names; pass --non-strict to load it anyway')
    load_state_dict(model, state, strict=False)
    return model.to(device)


def add_model_run_arguments(parser: argparse.ArgumentParser,
                            written: str) -> None:
    """The options of a tool that runs a trained model over a dataset and
    writes one file per image (``written``, e.g. 'CAM files'): ``--shard
    K/N``, ``--recompute``, ``--device``, ``--non-strict``, ``--launcher``
    (:func:`resolve_shard`, :func:`load_model`) and ``--cfg-options``."""
    parser.add_argument('--shard', default='0/1', help='K/N')
    parser.add_argument('--recompute', action='store_true',
                        help=f'rewrite {written} in --out made by another '
                        'model or other settings (default: refuse)')
    parser.add_argument('--device', default='cpu')
    parser.add_argument('--non-strict', action='store_true',
                        help='load a checkpoint whose parameter names do '
                        'not match the model (default: refuse)')
    parser.add_argument('--launcher', choices=['none', 'pytorch', 'slurm'],
                        default='none')
    parser.add_argument('--cfg-options', nargs='+', action=DictAction)


def resolve_shard(shard: str, launcher: str = 'none') -> Tuple[int, int]:
    """``(k, n)`` from ``--shard K/N``, or this rank of a distributed launch
    (``--launcher pytorch|slurm``, which also initialises it)."""
    if launcher != 'none':
        # torchrun on a CPU-only machine: gloo (mmwsss.utils.dist)
        if not (launcher == 'pytorch' and init_cpu_process_group()):
            init_dist(launcher)
        return get_dist_info()
    k, n = (int(v) for v in shard.split('/'))
    return k, n


def build_dataset(cfg: Config,
                  loader: str = 'train_dataloader',
                  split_file: Optional[str] = None,
                  pipeline: Sequence[dict] = ()):
    """The dataset of ``cfg[loader]``, optionally with another image list
    (``split_file``, relative to ``data_root``) and pipeline."""
    ds_cfg = cfg[loader].dataset.copy()
    if split_file:
        ds_cfg.ann_file = split_file
    ds_cfg.pipeline = list(pipeline)
    return DATASETS.build(ds_cfg)


def stage_items(dataset, cam_dir: Optional[str] = None,
                require_gt: bool = False) -> List[dict]:
    """``dict(name, img_path, cam_path, gt_path)`` per image of a dataset;
    ``gt_path`` is None where the image has no mask (or an error naming the
    mask with ``require_gt``)."""
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    names = output_names([info['img_path'] for info in infos])
    items = []
    for info, name in zip(infos, names):
        seg = info.get('seg_map_path')
        has_gt = bool(seg) and osp.isfile(seg)
        if require_gt and not has_gt:
            raise FileNotFoundError(f'ground-truth mask not found: {seg}')
        items.append(dict(
            name=name, img_path=info['img_path'],
            cam_path=osp.join(cam_dir, name + '.npz') if cam_dir else None,
            gt_path=seg if has_gt else None))
    return items
