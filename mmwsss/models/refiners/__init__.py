from .cvs import CVS, coefficient_of_variation, cov_smoothing
from .dense_crf import CRF_PRESETS, DenseCRF, dense_crf
from .ppmg import PPMG, ppmg_label

__all__ = [
    'DenseCRF', 'dense_crf', 'CRF_PRESETS', 'CVS', 'cov_smoothing',
    'coefficient_of_variation', 'PPMG', 'ppmg_label'
]
