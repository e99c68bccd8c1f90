"""Schedule-dependent behaviour in mmwsss: one pattern.

A module whose behaviour changes during training (a loss weight ramp, a
warm-up, a loss switched off after a pseudo-mask round) *reads* the training
state from mmengine's message hub when it runs; hooks only *publish* state
into the hub. mmengine's ``RuntimeInfoHook`` publishes ``iter`` and
``max_iters`` before every iteration;
:class:`~mmwsss.engine.CyclicPseudoMaskHook` publishes
``pseudo_mask_round``. The hub is saved in checkpoints and restored on
resume, so a resumed run is in the right phase; outside a Runner the keys
are absent and every module falls back to its unscheduled behaviour.

Readers: :class:`~mmwsss.models.PuzzleConsistencyLoss` (alpha ramp),
:class:`~mmwsss.models.SingleStageSegmentor` (``train_cfg.warmup_iters``),
:class:`~mmwsss.models.PUSLoss` (``off_from_round``).
"""
from __future__ import annotations

from typing import Any, Optional

from mmengine.logging import MessageHub

#: published by CyclicPseudoMaskHook: rounds of re-labelling done so far
PSEUDO_MASK_ROUND = 'pseudo_mask_round'


def get_runtime_info(key: str, default: Any = None) -> Any:
    """``key`` from the current message hub's runtime info, else
    ``default``."""
    hub = MessageHub.get_current_instance()
    value = hub.get_info(key)
    return default if value is None else value


def current_iter() -> Optional[int]:
    """The runner's iteration (0-based, of the iteration running now), or
    None outside a Runner."""
    return get_runtime_info('iter')


def publish_runtime_info(key: str, value: Any) -> None:
    """Set ``key`` in the current message hub (for the readers above)."""
    MessageHub.get_current_instance().update_info(key, value)
