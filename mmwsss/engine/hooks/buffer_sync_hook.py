"""Keep the model's buffers equal on every rank."""
from __future__ import annotations

from mmengine.hooks import Hook
from mmseg.registry import HOOKS

from mmwsss.utils.dist import sync_buffers
from mmwsss.utils.model import unwrap_model


@HOOKS.register_module()
class BufferSyncHook(Hook):
    """Average the buffers (BatchNorm running statistics) over the ranks
    after every training iteration.

    With plain BatchNorm (CPU has no SyncBN) and mmseg's
    ``broadcast_buffers=False``, each rank's running statistics follow its
    own batches: validation then averages the metrics of different models,
    none of which is the checkpoint (rank 0's), and hooks that predict
    with the model (:class:`CyclicPseudoMaskHook`) get a different model on
    each rank. Synchronised after every iteration, before the checkpoint
    hook and validation, every rank holds the saved model. Running
    statistics become the mean over the ranks' batches, as SyncBN's do. A
    no-op in a single process.
    """

    # before CheckpointHook / CyclicPseudoMaskHook (VERY_LOW) and validation
    priority = 'BELOW_NORMAL'

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        sync_buffers(unwrap_model(runner.model))
