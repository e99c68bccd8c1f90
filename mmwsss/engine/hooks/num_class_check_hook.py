"""Fail early when the model's and the dataset's class counts disagree."""
from __future__ import annotations

from typing import Optional

from mmengine.hooks import Hook
from mmseg.registry import HOOKS

from mmwsss.utils.model import unwrap_model


def model_num_classes(model) -> Optional[int]:
    """Classes (background included) of a segmentor's head, if it has one."""
    model = unwrap_model(model)
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


def check_label_values(model, data_samples) -> None:
    """Raise a ValueError naming the mask file when a training mask holds a
    value that is neither a class of the model head nor its
    ``ignore_index`` (torch's cross-entropy would stop with "Target N is
    out of bounds", naming no file)."""
    n_model = model_num_classes(model)
    if n_model is None:
        return
    module = unwrap_model(model)
    head = getattr(module, 'decode_head', None)
    ignore = getattr(head, 'ignore_index', 255)
    for sample in data_samples or ():
        seg = getattr(sample, 'gt_sem_seg', None)
        if seg is None:
            continue
        values = seg.data.unique()
        bad = values[(values >= n_model) & (values != ignore)]
        if len(bad):
            path = sample.metainfo.get('seg_map_path', '(no seg_map_path)')
            raise ValueError(
                f'mask {path} holds label values {bad.tolist()[:10]} '
                f'outside the model\'s {n_model} classes (ignore_index '
                f'{ignore})')


@HOOKS.register_module()
class NumClassCheckHook(Hook):
    """Checks ``num_classes`` of the model head against the dataset classes
    before training, validation and testing, with a message naming both;
    and every training batch's masks (where it has any) against the head's
    classes (:func:`check_label_values`)."""

    def before_train_iter(self, runner, batch_idx: int,
                          data_batch=None) -> None:
        if isinstance(data_batch, dict):
            check_label_values(runner.model, data_batch.get('data_samples'))

    def before_train(self, runner) -> None:
        check_num_classes(runner.model, runner.train_dataloader.dataset,
                          'train')

    def before_val(self, runner) -> None:
        check_num_classes(runner.model, runner.val_dataloader.dataset, 'val')

    def before_test(self, runner) -> None:
        check_num_classes(runner.model, runner.test_dataloader.dataset,
                          'test')
