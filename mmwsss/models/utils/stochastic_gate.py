"""Stochastic Gate (SG), Araslanov & Roth, CVPR 2020, §3.4 eq. 9-10."""
from __future__ import annotations

from typing import Optional

import torch
import torch.nn as nn
from torch import Tensor


def stochastic_gate(deep: Tensor, shallow: Tensor, psi: float = 0.3,
                    training: bool = True,
                    generator: Optional[torch.Generator] = None,
                    gate: Optional[Tensor] = None) -> Tensor:
    """Mix deep and shallow features.

    Training (eq. 9): an element-wise Bernoulli gate ``b`` with
    ``P(b = 1) = 1 - psi`` picks ``(deep - psi * shallow) / (1 - psi)`` or
    ``shallow``, so ``E[out] = deep``. Test (eq. 10): the deterministic
    ``(1 - psi) * deep + psi * shallow``. A new gate is drawn for every call
    and shape (no cached mask), from ``generator`` if given; ``gate`` (0/1,
    broadcastable to ``deep``; 1 = the deep path) replaces the draw, to
    reproduce a run or compare with another implementation.
    """
    if deep.shape != shallow.shape:
        raise ValueError(f'SG: deep {tuple(deep.shape)} and shallow '
                         f'{tuple(shallow.shape)} features differ')
    if not training:
        return (1 - psi) * deep + psi * shallow
    if not 0 <= psi < 1:
        raise ValueError(f'SG: psi must be in [0, 1), got {psi}')
    if gate is not None:
        keep = gate.to(device=deep.device, dtype=deep.dtype)
        if not bool(((keep == 0) | (keep == 1)).all()):
            raise ValueError('SG: gate must hold 0 (shallow) or 1 (deep)')
    else:
        keep = (torch.rand(deep.shape, generator=generator,
                           device=deep.device) >= psi).to(deep.dtype)
    deep = (deep - psi * shallow) / (1 - psi)
    return keep * deep + (1 - keep) * shallow


class StochasticGate(nn.Module):
    """:func:`stochastic_gate` as a module (train/eval from ``self.training``).

    Args:
        psi: Rate of shallow features (paper: 0.3). ``psi=0`` disables SG
            (the output is the deep features).
    """

    def __init__(self, psi: float = 0.3) -> None:
        super().__init__()
        self.psi = psi

    def forward(self, deep: Tensor, shallow: Tensor,
                gate: Optional[Tensor] = None) -> Tensor:
        """``gate``: optional 0/1 draw to use instead of a random one."""
        return stochastic_gate(deep, shallow, self.psi, self.training,
                               gate=gate)

    def extra_repr(self) -> str:
        return f'psi={self.psi}'
