from .cls_loss import loss_key, multilabel_cls_loss
from .fsl_loss import FSLLoss
from .isl_loss import ISLLoss
from .mam_loss import MAMLoss
from .pus_loss import PUSLoss, pretended_underfitting
from .puzzle_consistency_loss import PuzzleConsistencyLoss
from .rcm_loss import RCMLoss

__all__ = [
    'multilabel_cls_loss', 'loss_key', 'PUSLoss', 'pretended_underfitting',
    'ISLLoss', 'FSLLoss', 'PuzzleConsistencyLoss', 'RCMLoss', 'MAMLoss'
]
