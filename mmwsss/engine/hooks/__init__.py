from .atomic_checkpoint_hook import AtomicCheckpointHook
from .cyclic_pseudo_mask_hook import (CyclicPseudoMaskHook, leaf_datasets,
                                      redirect_seg_maps)
from .num_class_check_hook import NumClassCheckHook, check_num_classes

__all__ = [
    'AtomicCheckpointHook', 'NumClassCheckHook', 'check_num_classes',
    'CyclicPseudoMaskHook', 'leaf_datasets', 'redirect_seg_maps'
]
