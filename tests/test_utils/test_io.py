import os
import os.path as osp

import numpy as np
import pytest

from mmwsss.utils.io import (TMP_PREFIX, atomic_write, is_complete,
                             read_label_png, save_png)


def test_atomic_write_keeps_old_file_on_failure(tmp_path):
    path = str(tmp_path / 'a.txt')
    with atomic_write(path, 'w') as f:
        f.write('old')
    with pytest.raises(RuntimeError):
        with atomic_write(path, 'w') as f:
            f.write('half')
            raise RuntimeError('killed')
    assert open(path).read() == 'old'
    assert not [n for n in os.listdir(tmp_path) if n.startswith(TMP_PREFIX)]


def test_palette_png_round_trip(tmp_path):
    mask = np.array([[0, 1, 255], [2, 2, 0]], np.uint8)
    path = str(tmp_path / 'm.png')
    save_png(path, mask, palette=[(0, 0, 0), (128, 0, 0), (0, 128, 0)])
    assert np.array_equal(read_label_png(path), mask)
    assert is_complete(path)
    assert not is_complete(str(tmp_path / (TMP_PREFIX + 'm.png')))


def test_read_errors_name_file(tmp_path):
    with pytest.raises(FileNotFoundError, match='nope.png'):
        read_label_png(str(tmp_path / 'nope.png'))
    bad = tmp_path / 'bad.png'
    bad.write_bytes(b'garbage')
    with pytest.raises(OSError, match='bad.png'):
        read_label_png(str(bad))


def test_check_run_settings(tmp_path):
    from mmwsss.utils.io import check_run_settings
    d = str(tmp_path / 'out')
    assert check_run_settings(d, dict(a=1))          # new folder
    open(osp.join(d, 'x.png'), 'w').close()
    assert check_run_settings(d, dict(a=1))          # same record
    with pytest.raises(ValueError, match=r'out.*\ba\b differ'):
        check_run_settings(d, dict(a=2))
    assert not check_run_settings(d, dict(a=2), 'recompute')
    assert check_run_settings(d, dict(a=2))          # recorded now
    legacy = str(tmp_path / 'legacy')                # files, no record
    os.makedirs(legacy)
    open(osp.join(legacy, 'y.png'), 'w').close()
    with pytest.raises(ValueError, match='no record'):
        check_run_settings(legacy, dict(a=1))
    assert not check_run_settings(legacy, dict(a=1), 'recompute')
    assert check_run_settings(legacy, dict(a=1))
