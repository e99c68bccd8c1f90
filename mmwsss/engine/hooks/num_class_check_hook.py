"""Fail early when the model's and the dataset's class counts disagree."""
from __future__ import annotations

from typing import Optional

from mmengine.hooks import Hook
from mmengine.model import is_model_wrapper
from mmseg.registry import HOOKS


def model_num_classes(model) -> Optional[int]:
    """Classes (background included) of a segmentor's head, if it has one."""
    if is_model_wrapper(model):
        model = model.module
    for name in ('cam_head', 'decode_head'):
        head = getattr(model, name, None)
        if head is not None and hasattr(head, 'num_classes'):
            return int(head.num_classes)
    return None


def check_num_classes(model, dataset, where: str) -> None:
    classes = (getattr(dataset, 'metainfo', None) or {}).get('classes')
    n_model = model_num_classes(model)
    if classes is None or n_model is None:
        return
    if len(classes) != n_model:
        raise ValueError(
            f'the {where} dataset {type(dataset).__name__} has '
            f'{len(classes)} classes but the model head has '
            f'num_classes={n_model}; set num_classes={len(classes)} in the '
            'model config')


@HOOKS.register_module()
class NumClassCheckHook(Hook):
    """Checks ``num_classes`` of the model head against the dataset classes
    before training, validation and testing, with a message naming both."""

    def before_train(self, runner) -> None:
        check_num_classes(runner.model, runner.train_dataloader.dataset,
                          'train')

    def before_val(self, runner) -> None:
        check_num_classes(runner.model, runner.val_dataloader.dataset, 'val')

    def before_test(self, runner) -> None:
        check_num_classes(runner.model, runner.test_dataloader.dataset,
                          'test')
