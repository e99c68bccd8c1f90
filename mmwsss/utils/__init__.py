from .checkpoint import (load_from_local_trusted,
                         register_trusted_local_loader)
from .fingerprint import model_fingerprint
from .io import (atomic_write, atomic_write_bytes, is_complete,
                 read_label_png, save_jpeg, save_png)

__all__ = [
    'atomic_write', 'atomic_write_bytes', 'is_complete', 'read_label_png',
    'save_jpeg', 'save_png', 'load_from_local_trusted',
    'register_trusted_local_loader', 'model_fingerprint'
]
