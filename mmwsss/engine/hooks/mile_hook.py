"""Multi-label iterated learning (MILe) as a training hook."""
from __future__ import annotations

import copy
import logging
from typing import Optional

import torch
import torch.nn.functional as F
from mmengine.hooks import Hook
from mmengine.logging import print_log
from mmseg.registry import HOOKS
from torch import Tensor

from mmwsss.functional.mile_ops import IMITATION, mile_phase, mile_targets
from mmwsss.utils.model import unwrap_model

CKPT_KEY = 'mile'


def class_logits(model, inputs: Tensor) -> Tensor:
    """Per-class logits ``(N, C)`` of a classifier on normalised inputs:
    ``model.class_logits`` (mmwsss CAM classifiers: the pooled raw CAMs),
    else ``model(inputs, mode='tensor')`` (mmpretrain's ``ImageClassifier``:
    the head's ``cls_score``)."""
    if hasattr(model, 'class_logits'):
        return model.class_logits(inputs)
    out = model(inputs, mode='tensor')
    if isinstance(out, (list, tuple)):
        out = out[-1]
    if not isinstance(out, Tensor) or out.dim() != 2:
        raise TypeError(
            f'MILeHook: {type(model).__name__}(mode="tensor") does not give '
            '(N, C) class logits; give the model a class_logits(inputs) '
            'method')
    return out


def given_targets(data_samples, num_classes: int) -> Tensor:
    """The given labels of a batch as ``(N, C)`` 0/1: ``gt_img_labels``
    (mmwsss samples), else ``gt_score`` or one-hot ``gt_label``
    (mmpretrain samples)."""
    rows = []
    for s in data_samples:
        if 'gt_img_labels' in s:
            rows.append(s.gt_img_labels.float())
        elif 'gt_score' in s:
            rows.append(s.gt_score.float())
        elif 'gt_label' in s:
            rows.append(F.one_hot(s.gt_label.long(), num_classes).sum(0)
                        .clamp(max=1).float())
        else:
            raise KeyError('MILeHook: a data sample has neither '
                           'gt_img_labels, gt_score nor gt_label '
                           f'(img_path={s.metainfo.get("img_path")})')
    return torch.stack(rows)


def set_targets(data_samples, targets: Tensor) -> None:
    """Make ``targets`` ``(N, C)`` the labels the classifier's loss reads:
    ``gt_img_labels`` of mmwsss samples, ``gt_score`` of mmpretrain samples
    (its heads prefer ``gt_score`` to ``gt_label``)."""
    for s, t in zip(data_samples, targets):
        t = t.detach().cpu()
        if 'gt_img_labels' in s:
            s.gt_img_labels = t.to(s.gt_img_labels.dtype)
        else:
            s.set_gt_score(t)


@HOOKS.register_module()
class MILeHook(Hook):
    """Multi-label iterated learning (Rajeswar et al., CVPR 2022).

    Cycles of ``k1`` **interaction** steps on the given labels and ``k2``
    **imitation** steps on a frozen teacher's predictions
    (:func:`~mmwsss.functional.mile_ops.mile_phase`). At the first
    imitation step the model is copied into the teacher (eval mode, no
    gradients); before every imitation step the teacher classifies the
    same batch the model is about to train on and its binarised
    predictions (:func:`~mmwsss.functional.mile_ops.mile_targets`) replace
    the batch's labels: ``gt_score`` for mmpretrain's classifiers (the
    head's loss then reads them), ``gt_img_labels`` for mmwsss's CAM
    classifiers. Use a sigmoid (binary cross-entropy) loss.

    The phase follows ``runner.iter`` and the teacher is saved in the
    checkpoint (key ``'mile'``), so ``--resume`` continues mid-phase with
    the same teacher. Logged: ``mile/imitation`` (1 in imitation) and
    ``mile/labels`` (mean positives per image of the targets).

    As published (the reference code's k1/k2 loop), except: exactly ``k1``
    and ``k2`` steps per phase (the reference switches one step early).
    Consistency-CAM's modification of MILe is not public.

    Args:
        k1: Interaction steps per cycle (2000 on ImageNet).
        k2: Imitation steps per cycle (2000 on ImageNet).
        threshold: ``sigmoid(teacher) > threshold`` (0.5).
        sample: Draw the targets from ``Bernoulli(sigmoid(z / temperature))``
            instead of thresholding.
        temperature: Of the Bernoulli draw.
        or_given: OR the teacher's targets with the given label (the
            reference's ``iterative_groundtruth``; off by default).
    """

    priority = 'NORMAL'

    def __init__(self,
                 k1: int = 2000,
                 k2: int = 2000,
                 threshold: float = 0.5,
                 sample: bool = False,
                 temperature: float = 1.0,
                 or_given: bool = False) -> None:
        mile_phase(0, k1, k2)  # validates
        if not sample and not 0 < threshold < 1:
            raise ValueError(f'MILeHook.threshold must be in (0, 1), got '
                             f'{threshold}')
        if sample and temperature <= 0:
            raise ValueError(f'MILeHook.temperature must be > 0, got '
                             f'{temperature}')
        self.k1, self.k2 = int(k1), int(k2)
        self.threshold = float(threshold)
        self.sample = bool(sample)
        self.temperature = float(temperature)
        self.or_given = bool(or_given)
        self.teacher: Optional[torch.nn.Module] = None
        self.teacher_iter: Optional[int] = None  # iteration it was taken at

    @staticmethod
    def _model(runner):
        return unwrap_model(runner.model)

    def before_train(self, runner) -> None:
        pre = getattr(self._model(runner), 'data_preprocessor', None)
        if getattr(pre, 'batch_augments', None) is not None:
            raise ValueError(
                'MILeHook: the data preprocessor has batch_augments (e.g. '
                'Mixup / CutMix); the teacher labels the batch before they '
                'mix it, so its targets would not describe the mixed images. '
                'Remove model.data_preprocessor.batch_augments')

    def _frozen_copy(self, runner) -> torch.nn.Module:
        """The model, copied, in eval mode, without gradients."""
        teacher = copy.deepcopy(self._model(runner))
        teacher.eval()
        for p in teacher.parameters():
            p.requires_grad_(False)
        return teacher

    def _take_teacher(self, runner) -> None:
        self.teacher = self._frozen_copy(runner)
        self.teacher_iter = runner.iter

    def before_train_iter(self, runner, batch_idx: int,
                          data_batch=None) -> None:
        phase, step = mile_phase(runner.iter, self.k1, self.k2)
        runner.message_hub.update_scalar('train/mile/imitation',
                                         float(phase == IMITATION))
        if phase != IMITATION or data_batch is None:
            return
        start = runner.iter - step
        if step == 0:
            self._take_teacher(runner)
        elif self.teacher is None or self.teacher_iter != start:
            raise RuntimeError(
                f'MILeHook: iteration {runner.iter} is step {step} of an '
                f'imitation phase that began at iteration {start}, but no '
                'teacher of that phase is loaded (resumed from a checkpoint '
                'saved without MILeHook?)')
        model = self._model(runner)
        samples = data_batch['data_samples']
        with torch.no_grad():
            data = model.data_preprocessor(
                dict(inputs=data_batch['inputs'],
                     data_samples=copy.deepcopy(samples)), True)
            logits = class_logits(self.teacher, data['inputs'])
            given = given_targets(samples, logits.shape[1]).to(
                logits.device) if self.or_given else None
            targets = mile_targets(logits, self.threshold, self.sample,
                                   self.temperature, given)
        set_targets(samples, targets)
        runner.message_hub.update_scalar('train/mile/labels',
                                         float(targets.sum(1).mean()))

    def before_save_checkpoint(self, runner, checkpoint: dict) -> None:
        checkpoint[CKPT_KEY] = dict(
            k1=self.k1, k2=self.k2, teacher_iter=self.teacher_iter,
            teacher=None if self.teacher is None else
            self.teacher.state_dict())

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        state = checkpoint.get(CKPT_KEY)
        if not state or state.get('teacher') is None:
            return
        if (state['k1'], state['k2']) != (self.k1, self.k2):
            # another cycle: the saved teacher belongs to no phase of this
            # one (a resume mid-imitation then stops with a clear error)
            print_log(
                f'MILeHook: the checkpoint has a teacher for k1='
                f'{state["k1"]}, k2={state["k2"]}; this run has k1={self.k1}'
                f', k2={self.k2}, so it is not used', logger='current',
                level=logging.WARNING)
            return
        teacher = self._frozen_copy(runner)
        teacher.load_state_dict(state['teacher'])
        self.teacher = teacher
        self.teacher_iter = state['teacher_iter']
