"""Classification-only warm-up of the single-stage model."""
from __future__ import annotations

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmseg.registry import HOOKS


@HOOKS.register_module()
class SegLossWarmupHook(Hook):
    """Train with the classification loss only for the first
    ``warmup_iters`` iterations, then add the segmentation loss
    (Araslanov & Roth 2020: 5 of 20 epochs on VOC).

    Sets ``model.seg_loss_enabled`` before every iteration (so a resumed run
    is in the right phase) and logs the switch once.
    """

    priority = 'NORMAL'

    def __init__(self, warmup_iters: int) -> None:
        if warmup_iters < 0:
            raise ValueError(f'warmup_iters must be >= 0, got {warmup_iters}')
        self.warmup_iters = int(warmup_iters)
        self._logged = False

    def before_train_iter(self, runner, batch_idx: int,
                          data_batch=None) -> None:
        model = runner.model.module if is_model_wrapper(
            runner.model) else runner.model
        if not hasattr(model, 'seg_loss_enabled'):
            raise AttributeError(
                f'SegLossWarmupHook: {type(model).__name__} has no '
                'seg_loss_enabled switch (use SingleStageSegmentor)')
        enabled = runner.iter >= self.warmup_iters
        model.seg_loss_enabled = enabled
        if enabled and not self._logged:
            runner.logger.info(
                f'iteration {runner.iter + 1}: segmentation loss enabled '
                f'after {self.warmup_iters} classification-only iterations')
            self._logged = True
