"""The SupportNet's moving average (pixel-level self-supervision, RCM+MAM)."""
from __future__ import annotations

from mmengine.hooks import Hook
from mmseg.registry import HOOKS

from mmwsss.utils.model import unwrap_model


@HOOKS.register_module()
class SupportEMAHook(Hook):
    """After every ``interval`` optimiser steps, ``G <- (1 - momentum) G +
    momentum F`` for a model with a MainNet and a SupportNet
    (:meth:`~mmwsss.models.RCMMAMClassifier.ema_update`), as mmdet's
    ``MeanTeacherHook`` does for a teacher.

    momentum 0.003 is the paper's ``alpha = 0.997``. G is part of the
    model's state dict, so checkpoints hold it and ``--resume`` continues
    the average; the model copies F into G before its first step.

    Args:
        momentum: Weight of the MainNet in the update.
        interval: Update every this many iterations.
    """

    # after the optimiser step, before BufferSyncHook (BELOW_NORMAL) and
    # the checkpoint hook, so a saved checkpoint holds the updated G
    priority = 'NORMAL'

    def __init__(self, momentum: float = 0.003, interval: int = 1) -> None:
        if not 0 < momentum <= 1:
            raise ValueError(f'momentum must be in (0, 1], got {momentum}')
        self.momentum = momentum
        self.interval = interval

    def before_train(self, runner) -> None:
        model = self._model(runner)
        if not hasattr(model, 'ema_update'):
            raise TypeError(f'SupportEMAHook: {type(model).__name__} has no '
                            'SupportNet (ema_update); use it with '
                            'RCMMAMClassifier')

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        if (runner.iter + 1) % self.interval == 0:
            self._model(runner).ema_update(self.momentum)

    @staticmethod
    def _model(runner):
        return unwrap_model(runner.model)
