import json

import numpy as np
import pytest

from mmwsss.datasets import LabelsFileError, dump_labels_file, load_labels_file

CLASSES = ('background', 'a', 'b', 'c')


def test_round_trip_json_and_npy(tmp_path):
    labels = {'x': np.array([1, 0, 1], np.float32),
              'y': np.zeros(3, np.float32)}
    for ext in ('json', 'npy'):
        path = str(tmp_path / f'l.{ext}')
        dump_labels_file(path, labels, CLASSES)
        back = load_labels_file(path, CLASSES)
        assert set(back) == {'x', 'y'}
        assert np.array_equal(back['x'], labels['x'])
        assert np.array_equal(back['y'], labels['y'])


def test_names_and_ids_and_background(tmp_path):
    path = tmp_path / 'l.json'
    path.write_text(json.dumps(
        {'labels': {'x': ['a', 3], 'y': [0], 'z': ['background', 'b']}}))
    back = load_labels_file(str(path), CLASSES)
    assert back['x'].tolist() == [1, 0, 1]
    assert back['y'].tolist() == [0, 0, 0]
    assert back['z'].tolist() == [0, 1, 0]


@pytest.mark.parametrize('entry,msg', [
    (['d'], "'bad'.*unknown class 'd'"),
    ([4], "'bad'.*class id 4 out of range"),
    ([-1], "'bad'.*class id -1 out of range"),
    ([1.5], "'bad'.*neither"),
    ('a', "'bad'.*must be a list"),
])
def test_errors_name_file_and_entry(tmp_path, entry, msg):
    path = tmp_path / 'l.json'
    path.write_text(json.dumps({'labels': {'ok': ['a'], 'bad': entry}}))
    with pytest.raises(LabelsFileError, match=str(path).replace('.', r'\.')
                       + '.*' + msg):
        load_labels_file(str(path), CLASSES)


def test_class_list_mismatch(tmp_path):
    path = tmp_path / 'l.json'
    path.write_text(json.dumps({'classes': ['background', 'a'],
                                'labels': {}}))
    with pytest.raises(LabelsFileError, match='2 classes.*4 classes'):
        load_labels_file(str(path), CLASSES)


def test_npy_wrong_length(tmp_path):
    path = str(tmp_path / 'l.npy')
    np.save(path, {'x': np.ones(5)})
    with pytest.raises(LabelsFileError, match="'x' has 5 labels.*3"):
        load_labels_file(path, CLASSES)


def test_missing_file():
    with pytest.raises(FileNotFoundError, match='nope.json'):
        load_labels_file('/nonexistent/nope.json', CLASSES)


class _Payload:
    """Unpickling calls ``Path.touch(marker)``: code a labels file runs."""

    def __init__(self, marker):
        self.marker = marker

    def __reduce__(self):
        import pathlib
        return pathlib.Path.touch, (pathlib.Path(self.marker), )


def _write_object_npy(path, obj):
    import pickle
    with open(path, 'wb') as f:
        np.lib.format.write_array_header_1_0(
            f, dict(descr='|O', fortran_order=False, shape=()))
        pickle.dump(obj, f, protocol=3)


def test_npy_labels_file_cannot_run_code(tmp_path):
    marker = tmp_path / 'ran'
    evil = str(tmp_path / 'evil.npy')
    _write_object_npy(evil, {'x': _Payload(str(marker))})
    # the attack is real: numpy's pickle loading runs it
    np.load(evil, allow_pickle=True)
    assert marker.exists()
    marker.unlink()
    with pytest.raises(LabelsFileError, match='evil.npy.*refusing to load '
                       'builtins.getattr'):
        load_labels_file(evil, CLASSES)
    assert not marker.exists()


def test_npy_psa_format_loads_without_pickle_execution(tmp_path):
    """psa/IRN's cls_labels.npy: ``np.save`` of {VOC int key: vector}."""
    path = str(tmp_path / 'cls_labels.npy')
    np.save(path, {2007000032: np.array([0, 1, 0], np.float32),
                   'b': np.array([1.0, 0, 1])})
    labels = load_labels_file(path, CLASSES)
    assert labels['2007_000032'].tolist() == [0, 1, 0]
    assert labels['b'].tolist() == [1, 0, 1]
    # a plain (non-object) array is named, not loaded
    np.save(str(tmp_path / 'plain.npy'), np.zeros((2, 3)))
    with pytest.raises(LabelsFileError, match='plain.npy: a float64 array'):
        load_labels_file(str(tmp_path / 'plain.npy'), CLASSES)
