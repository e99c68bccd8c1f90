from .bn_stats import frozen_bn_stats
from .tta import multi_scale_flip

__all__ = ['frozen_bn_stats', 'multi_scale_flip']
