from .multilabel_soft_margin_loss import (MultiLabelSoftMarginLoss,
                                          multilabel_soft_margin)
from .fsl_loss import FSLLoss
from .isl_loss import ISLLoss
from .pus_loss import PUSLoss, pretended_underfitting
from .puzzle_consistency_loss import PuzzleConsistencyLoss

__all__ = [
    'MultiLabelSoftMarginLoss', 'multilabel_soft_margin', 'PUSLoss',
    'pretended_underfitting', 'ISLLoss', 'FSLLoss', 'PuzzleConsistencyLoss'
]
