from .checkpoint import (load_trusted_local_checkpoint,
                         register_trusted_local_loader)
from .io import (atomic_write, atomic_write_bytes, is_complete,
                 read_label_png, save_jpeg, save_png)

__all__ = [
    'atomic_write', 'atomic_write_bytes', 'is_complete', 'read_label_png',
    'save_jpeg', 'save_png', 'load_trusted_local_checkpoint',
    'register_trusted_local_loader'
]
