"""The segmentor inside a runner's model."""
from __future__ import annotations

from mmengine.model import BaseTTAModel, is_model_wrapper
from torch import nn


def unwrap_model(model: nn.Module, tta: bool = False) -> nn.Module:
    """The model a (DDP / FSDP) wrapper holds as ``module``; with ``tta``
    also the one inside a test-time-augmentation model (mmengine's
    checkpoint loader unwraps both the same way). Anything else is
    returned as is."""
    while is_model_wrapper(model) or (tta and isinstance(model,
                                                          BaseTTAModel)):
        model = model.module
    return model
