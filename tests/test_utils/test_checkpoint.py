"""Remote checkpoints load with weights_only=True: a payload served over
http is refused and never runs (served from 127.0.0.1)."""
import functools
import http.server
import os.path as osp
import pathlib
import pickle
import threading

import mmengine.runner.checkpoint as mmengine_checkpoint
import pytest
import torch
from mmengine.runner.checkpoint import CheckpointLoader

import mmwsss  # noqa: F401  registers the loaders
from mmwsss.utils.checkpoint import load_url_weights_only


class _Payload:

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        return pathlib.Path.touch, (pathlib.Path(self.marker), )


@pytest.fixture
def server(tmp_path):
    handler = functools.partial(http.server.SimpleHTTPRequestHandler,
                                directory=str(tmp_path))
    handler.log_message = lambda *a, **k: None
    httpd = http.server.ThreadingHTTPServer(('127.0.0.1', 0), handler)
    thread = threading.Thread(target=httpd.serve_forever, daemon=True)
    thread.start()
    yield f'http://127.0.0.1:{httpd.server_address[1]}'
    httpd.shutdown()


def test_remote_checkpoint_payload_is_refused(server, tmp_path, monkeypatch):
    monkeypatch.setenv('TORCH_HOME', str(tmp_path / 'torch_home'))
    assert mmengine_checkpoint.load_url is load_url_weights_only
    ok = {'state_dict': {'w': torch.arange(3.0)}}
    torch.save(ok, tmp_path / 'ok.pth')
    marker = tmp_path / 'ran'
    torch.save({'state_dict': {'w': torch.zeros(1)},
                'meta': _Payload(str(marker))}, tmp_path / 'evil.pth',
               pickle_protocol=2)
    # the attack is real: full unpickling runs it
    torch.load(tmp_path / 'evil.pth', weights_only=False)
    assert marker.exists()
    marker.unlink()
    got = CheckpointLoader.load_checkpoint(f'{server}/ok.pth')
    assert torch.equal(got['state_dict']['w'], torch.arange(3.0))
    with pytest.raises(pickle.UnpicklingError):
        CheckpointLoader.load_checkpoint(f'{server}/evil.pth')
    assert not marker.exists()
    assert not osp.exists(tmp_path / 'ran')
