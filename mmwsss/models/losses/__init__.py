from .cls_loss import loss_key, multilabel_cls_loss
from .fsl_loss import FSLLoss
from .isl_loss import ISLLoss
from .pus_loss import PUSLoss, pretended_underfitting
from .puzzle_consistency_loss import PuzzleConsistencyLoss

__all__ = [
    'multilabel_cls_loss', 'loss_key', 'PUSLoss', 'pretended_underfitting',
    'ISLLoss', 'FSLLoss', 'PuzzleConsistencyLoss'
]
