from .num_class_check_hook import NumClassCheckHook, check_num_classes

__all__ = ['NumClassCheckHook', 'check_num_classes']
