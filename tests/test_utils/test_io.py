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


def test_recompute_deletes_old_results_before_recording(tmp_path):
    """Issue 15.1: the record never names settings a file in the folder
    was not made with - the old results go before the new record."""
    from mmwsss.utils.io import (check_run_settings, mark_run_complete,
                                 read_run_record)
    d = str(tmp_path / 'out')
    assert check_run_settings(d, dict(a=1), suffix='.png')
    for n in ('x.png', 'y.png', 'notes.txt'):
        open(osp.join(d, n), 'w').close()
    os.makedirs(osp.join(d, 'overlays'))
    assert mark_run_complete(d, dict(a=1), [osp.join(d, 'x.png')])
    assert read_run_record(d)['complete'] is True
    assert not check_run_settings(d, dict(a=2), 'recompute', suffix='.png')
    # old labels gone, other files kept, new record not complete
    assert sorted(os.listdir(d)) == ['notes.txt', 'overlays', 'settings.json']
    rec = read_run_record(d)
    assert rec['settings'] == dict(a=2) and rec['complete'] is False
    # complete only when every expected file is there, for these settings
    assert not mark_run_complete(d, dict(a=2), [osp.join(d, 'x.png')])
    open(osp.join(d, 'x.png'), 'w').close()
    assert not mark_run_complete(d, dict(a=1), [osp.join(d, 'x.png')])
    assert mark_run_complete(d, dict(a=2), [osp.join(d, 'x.png')])
    assert read_run_record(d)['complete'] is True
    # a rerun of the same settings keeps the record and its state
    assert check_run_settings(d, dict(a=2), 'recompute', suffix='.png')
    assert read_run_record(d)['complete'] is True


def test_corrupt_record_is_named(tmp_path):
    """Issue 15.11: a corrupt settings.json names the file; recompute
    replaces it."""
    from mmwsss.utils.io import (RunRecordError, check_run_settings,
                                 read_run_record)
    d = tmp_path / 'out'
    d.mkdir()
    (d / 'settings.json').write_text('{"format": 2, "sett')   # truncated
    (d / 'a.png').write_text('')
    with pytest.raises(RunRecordError, match=r'out/settings.json.*corrupt'):
        check_run_settings(str(d), dict(a=1))
    assert not check_run_settings(str(d), dict(a=1), 'recompute',
                                  suffix='.png')
    assert read_run_record(str(d))['settings'] == dict(a=1)
    assert not (d / 'a.png').exists()
    (d / 'settings.json').write_text('[1, 2]')
    with pytest.raises(RunRecordError, match='JSON object'):
        read_run_record(str(d))
    # a record of the old flat format (no input identity) does not match
    # settings that identify the inputs
    (d / 'settings.json').write_text('{"a": 1}')
    with pytest.raises(ValueError, match=r'other settings \(cams differ'):
        check_run_settings(str(d), dict(a=1, cams='x'))


def test_disk_full_names_the_file_and_keeps_the_old_one(tmp_path,
                                                         monkeypatch):
    """Issue 15.11: ENOSPC during an atomic write names the target; the
    previous file is untouched and no temp file is left."""
    import errno
    from mmwsss.utils import io as io_mod
    target = tmp_path / 'labels' / 'a.png'
    io_mod.atomic_write_bytes(str(target), b'old')

    def full(fd):
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))

    monkeypatch.setattr(io_mod.os, 'fsync', full)
    with pytest.raises(OSError, match=r'No space left.*labels/a\.png') as e:
        io_mod.atomic_write_bytes(str(target), b'new')
    assert e.value.errno == errno.ENOSPC and e.value.filename == str(target)
    assert target.read_bytes() == b'old'
    assert os.listdir(target.parent) == ['a.png']
