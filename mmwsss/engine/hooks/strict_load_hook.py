"""Refuse a checkpoint that does not fit the model, in mmengine's Runner."""
from __future__ import annotations

from mmengine.hooks import Hook
from mmseg.registry import HOOKS

from mmwsss.apis.config_utils import state_dict_mismatch
from mmwsss.utils.model import unwrap_model


@HOOKS.register_module()
class StrictLoadHook(Hook):
    """Make ``load_from`` / ``--resume`` / ``tools/test.py CHECKPOINT``
    strict.

    mmengine's Runner loads checkpoints with ``strict=False``: a checkpoint
    of another model (or a truncated one) only logs a warning and the run -
    a test's metrics, a fine-tuning - goes on with an un-loaded model.
    This hook checks the checkpoint before it is loaded
    (``after_load_checkpoint``) and raises a ValueError naming the file's
    missing, unexpected and wrongly shaped parameter names. Set
    ``strict=False`` (``--cfg-options default_hooks.strict_load.strict=
    False``) to load a partial checkpoint on purpose.
    """

    priority = 'VERY_HIGH'

    def __init__(self, strict: bool = True) -> None:
        self.strict = strict

    def after_load_checkpoint(self, runner, checkpoint: dict) -> None:
        if not self.strict:
            return
        # DDP wrappers and TTA models hold the segmentor as ``module``
        model = unwrap_model(runner.model, tta=True)
        state = checkpoint.get('state_dict', checkpoint) \
            if isinstance(checkpoint, dict) else {}
        state = {k[len('module.'):] if k.startswith('module.') else k: v
                 for k, v in state.items()}
        missing, unexpected, shapes = state_dict_mismatch(model, state)
        if missing or unexpected or shapes:
            source = getattr(runner, '_load_from', None) or 'the checkpoint'
            raise ValueError(
                f'{source} does not fit the {type(model).__name__} of the '
                f'config: {len(missing)} missing (e.g. {missing[:3]}), '
                f'{len(unexpected)} unexpected (e.g. {unexpected[:3]}), '
                f'{len(shapes)} of another shape (e.g. {shapes[:3]}) '
                'parameter names; set default_hooks.strict_load.strict=False '
                'to load it anyway')
