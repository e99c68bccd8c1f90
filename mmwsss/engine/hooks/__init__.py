from .atomic_checkpoint_hook import AtomicCheckpointHook
from .buffer_sync_hook import BufferSyncHook
from .cyclic_pseudo_mask_hook import (CyclicPseudoMaskHook, leaf_datasets,
                                      redirect_seg_maps)
from .mile_hook import MILeHook
from .num_class_check_hook import (NumClassCheckHook, check_label_values,
                                   check_num_classes)
from .strict_load_hook import StrictLoadHook
from .support_ema_hook import SupportEMAHook

__all__ = [
    'AtomicCheckpointHook', 'BufferSyncHook', 'StrictLoadHook',
    'SupportEMAHook', 'MILeHook',
    'NumClassCheckHook', 'check_num_classes', 'check_label_values',
    'CyclicPseudoMaskHook', 'leaf_datasets', 'redirect_seg_maps'
]
