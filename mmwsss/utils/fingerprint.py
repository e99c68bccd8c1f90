"""Identify the model that wrote a folder of results."""
from __future__ import annotations

import hashlib
import json


def model_fingerprint(model) -> str:
    """SHA-1 of a model's parameters and buffers (names, shapes, values)
    and its ``test_cfg``: identifies the model that wrote a CAM folder."""
    h = hashlib.sha1()
    for name, t in model.state_dict().items():
        h.update(name.encode())
        h.update(str(tuple(t.shape)).encode())
        h.update(t.detach().cpu().contiguous().numpy().tobytes())
    h.update(json.dumps(dict(getattr(model, 'test_cfg', {}) or {}),
                        sort_keys=True, default=str).encode())
    return h.hexdigest()
