from .dense_crf import CRF_PRESETS, DenseCRF, dense_crf

__all__ = ['DenseCRF', 'dense_crf', 'CRF_PRESETS']
