from .base import CAMTransform, LabelGenerator, ScoreRefiner, check_kind
from .cvs import CVS, coefficient_of_variation, cov_smoothing
from .dense_crf import CRF_PRESETS, DenseCRF, dense_crf, dense_crf_labels
from .irn_affinity_labels import IRNAffinityLabels
from .pamr import PAMR, pamr, pamr_affinity
from .ppmg import PPMG, ppmg_label
from .psa_affinity_labels import PSAAffinityLabels
from .random_walk import AffinityRandomWalk

__all__ = [
    'CAMTransform', 'LabelGenerator', 'ScoreRefiner', 'check_kind',
    'DenseCRF', 'dense_crf', 'CRF_PRESETS', 'CVS', 'cov_smoothing',
    'coefficient_of_variation', 'PPMG', 'ppmg_label', 'PAMR', 'pamr',
    'pamr_affinity', 'AffinityRandomWalk', 'dense_crf_labels',
    'PSAAffinityLabels', 'IRNAffinityLabels'
]
