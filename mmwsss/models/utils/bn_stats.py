"""Run a module in training mode without moving its BatchNorm statistics."""
from __future__ import annotations

import contextlib
from typing import Iterator

import torch.nn as nn
from torch.nn.modules.batchnorm import _BatchNorm


@contextlib.contextmanager
def frozen_bn_stats(module: nn.Module) -> Iterator[None]:
    """Inside the block, every BatchNorm layer of ``module`` still normalises
    with the batch statistics (training mode) but leaves its running mean
    and variance unchanged (momentum 0); the momenta are restored after.

    Used for extra views (tiles, rescaled copies) whose statistics differ
    from the whole images the model is tested on.
    """
    saved = []
    for m in module.modules():
        if isinstance(m, _BatchNorm) and m.track_running_stats:
            saved.append((m, m.momentum, m.num_batches_tracked.clone()
                          if m.num_batches_tracked is not None else None))
            m.momentum = 0.0
    try:
        yield
    finally:
        for m, momentum, tracked in saved:
            m.momentum = momentum
            if tracked is not None:
                m.num_batches_tracked.copy_(tracked)
