"""Multi-label iterated learning (MILe) on tensors.

Rajeswar et al., "Multi-label Iterated Learning for Image Classification
with Label Ambiguity" (CVPR 2022). One network with a sigmoid per class
alternates two phases over one data stream:

* **interaction**, ``k1`` steps: the targets are the given labels (one-hot
  for single-label data);
* then the network is copied into a frozen **teacher**;
* **imitation**, ``k2`` steps: the targets are the teacher's binarised
  predictions on the same (augmented) batch,
  ``y~ = [sigmoid(teacher(x)) > tau]`` (or a Bernoulli sample of them),
  optionally OR-ed with the given label;

and the loss is the binary cross-entropy summed over classes and averaged
over the batch. The labels the student imitates grow from one per image to
the several classes the teacher finds, which is how MILe relaxes
single-label pre-training into multi-label.
"""
from __future__ import annotations

from typing import Optional, Tuple

import torch
from torch import Tensor

INTERACTION = 'interaction'
IMITATION = 'imitation'


def mile_phase(it: int, k1: int, k2: int) -> Tuple[str, int]:
    """The phase of iteration ``it`` (0-based) and the step inside it.

    Cycles of ``k1`` interaction steps followed by ``k2`` imitation steps,
    exactly: iterations ``0 .. k1 - 1`` interact, ``k1 .. k1 + k2 - 1``
    imitate, then the next cycle. The teacher is taken at the first
    imitation step (step 0 of the phase), from the weights after ``k1``
    interaction updates.
    """
    if k1 < 1 or k2 < 0:
        raise ValueError(f'MILe needs k1 >= 1 and k2 >= 0, got k1={k1}, '
                         f'k2={k2}')
    if it < 0:
        raise ValueError(f'iteration {it} < 0')
    pos = it % (k1 + k2)
    if pos < k1:
        return INTERACTION, pos
    return IMITATION, pos - k1


def mile_targets(logits: Tensor,
                 threshold: float = 0.5,
                 sample: bool = False,
                 temperature: float = 1.0,
                 given: Optional[Tensor] = None,
                 generator: Optional[torch.Generator] = None) -> Tensor:
    """Imitation targets from the teacher's logits ``(N, C)``.

    ``[sigmoid(z) > threshold]``, or with ``sample`` a draw of
    ``Bernoulli(sigmoid(z / temperature))``; OR-ed with the ``given``
    ``(N, C)`` 0/1 labels when those are passed. Returns float 0/1 of the
    logits' shape, without gradient.
    """
    z = logits.detach().float()
    if sample:
        if temperature <= 0:
            raise ValueError(f'temperature must be > 0, got {temperature}')
        p = torch.sigmoid(z / temperature)
        u = torch.rand(p.shape, generator=generator).to(p.device)
        t = u < p
    else:
        if not 0 < threshold < 1:
            raise ValueError(f'threshold must be in (0, 1), got {threshold}')
        t = torch.sigmoid(z) > threshold
    if given is not None:
        if given.shape != t.shape:
            raise ValueError(f'given labels {tuple(given.shape)} do not '
                             f'match the logits {tuple(t.shape)}')
        t = t | (given > 0).to(t.device)
    return t.to(logits.dtype)
