import os.path as osp

import pytest

from mmwsss.datasets import LabelsFileError, WSSSCustomDataset
from tests.trees import make_custom_tree


def build(root, **kw):
    return WSSSCustomDataset(
        data_root=root, labels_file='labels.json',
        data_prefix=dict(img_path='images', seg_map_path='masks'), **kw)


def test_custom_dataset(tmp_path):
    root = make_custom_tree(str(tmp_path / 'mine'))
    ds = build(root)
    assert ds.metainfo['classes'] == ('background', 'cat', 'dog')
    assert len(ds) == 3
    labels = [ds.get_data_info(i)['gt_img_labels'].tolist() for i in range(3)]
    assert labels == [[1, 0], [1, 1], [0, 0]]
    assert ds.label_summary['negatives'] == 1
    # the optional mask is attached where it exists
    assert 'seg_map_path' in ds.get_data_info(0)
    assert 'seg_map_path' not in ds.get_data_info(1)


def test_custom_split_file(tmp_path):
    root = make_custom_tree(str(tmp_path / 'mine'))
    with open(osp.join(root, 'train.txt'), 'w') as f:
        f.write('img_b\n')
    ds = build(root, ann_file='train.txt')
    assert len(ds) == 1
    assert ds.get_data_info(0)['gt_img_labels'].tolist() == [1, 1]


def test_unknown_class_name_names_file_and_entry(tmp_path):
    root = make_custom_tree(str(tmp_path / 'mine'),
                            labels={'img_a': ['cat'], 'img_b': ['horse']})
    with pytest.raises(LabelsFileError,
                       match=r"labels.json.*'img_b'.*'horse'"):
        build(root)


def test_out_of_range_id_names_file_and_entry(tmp_path):
    root = make_custom_tree(str(tmp_path / 'mine'),
                            labels={'img_a': [1], 'img_b': [7]})
    with pytest.raises(LabelsFileError,
                       match=r"labels.json.*'img_b'.*class id 7.*\[0, 3\)"):
        build(root)


def test_background_must_be_first(tmp_path):
    root = make_custom_tree(str(tmp_path / 'mine'), classes=('cat', 'dog'),
                            labels={'img_a': ['cat']})
    with pytest.raises(LabelsFileError, match='background'):
        build(root)
