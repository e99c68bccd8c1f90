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
