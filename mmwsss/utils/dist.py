"""Distributed runs without GPUs (CPU processes, gloo)."""
from __future__ import annotations

import os
from typing import Callable, TypeVar

import torch
import torch.distributed as dist

T = TypeVar('T')


def init_cpu_process_group() -> bool:
    """Initialise a ``gloo`` process group from torchrun's environment when
    CUDA is absent (mmengine's ``init_dist('pytorch')`` would call
    ``torch.cuda.set_device`` and fail). Returns False with CUDA present
    (nothing done); raises naming the missing environment otherwise."""
    if torch.cuda.is_available():
        return False
    if 'RANK' not in os.environ:
        raise RuntimeError('--launcher pytorch needs torchrun\'s environment '
                           '(RANK, WORLD_SIZE, MASTER_ADDR, MASTER_PORT); '
                           'use tools/dist_train.sh')
    if not dist.is_initialized():
        dist.init_process_group(backend='gloo')
    return True


def setup_cpu_distributed(cfg) -> bool:
    """Make ``--launcher pytorch`` work on a machine without CUDA.

    mmengine 0.10.7's ``init_dist('pytorch')`` always calls
    ``torch.cuda.set_device`` and its DDP wrapper passes ``device_ids``,
    both of which fail on CPU. When CUDA is absent and the launcher is
    ``pytorch`` (torchrun's environment), this initialises a ``gloo``
    process group itself - the Runner then skips its own ``init_dist`` - and
    sets ``model_wrapper_cfg`` to a CPU DDP (``device_ids=None``) unless the
    config has one. With CUDA present it does nothing.

    Returns:
        bool: Whether the CPU process group was set up here.
    """
    if cfg.get('launcher', 'none') != 'pytorch' or \
            not init_cpu_process_group():
        return False
    if cfg.get('model_wrapper_cfg') is None:
        cfg.model_wrapper_cfg = dict(
            type='MMDistributedDataParallel', device_ids=None,
            broadcast_buffers=False, find_unused_parameters=False)
    return True


def sync_buffers(module: torch.nn.Module) -> int:
    """Make every rank's buffers equal: floating-point buffers (BatchNorm
    running statistics) become their mean over the ranks, others
    (``num_batches_tracked``) rank 0's. A no-op outside a process group.
    Returns the number of buffers synchronised."""
    if not (dist.is_available() and dist.is_initialized()) or \
            dist.get_world_size() == 1:
        return 0
    world = dist.get_world_size()
    n = 0
    for buf in module.buffers():
        if buf.is_floating_point():
            dist.all_reduce(buf.data, op=dist.ReduceOp.SUM)
            buf.data.div_(world)
        else:
            dist.broadcast(buf.data, src=0)
        n += 1
    return n


def rank0_decides(fn: Callable[[], T]) -> T:
    """``fn()`` run by rank 0 alone, its result (or its exception, as a
    RuntimeError naming it) given to every rank; just ``fn()`` outside a
    process group. For decisions with side effects that two ranks must not
    both take (a recompute deletes old results: two ranks doing it would
    delete each other's new files)."""
    if not (dist.is_available() and dist.is_initialized()) or \
            dist.get_world_size() == 1:
        return fn()
    box: list = [None]
    if dist.get_rank() == 0:
        try:
            box = [('ok', fn())]
        except Exception as e:  # every rank raises it, none waits forever
            box = [('error', f'{type(e).__name__}: {e}')]
    dist.broadcast_object_list(box, src=0)
    status, value = box[0]
    if status == 'error':
        raise RuntimeError(f'rank 0: {value}')
    return value
