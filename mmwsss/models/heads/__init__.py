from .cam_head import CAMHead, stack_img_labels

__all__ = ['CAMHead', 'stack_img_labels']
