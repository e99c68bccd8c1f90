import os.path as osp

import numpy as np
import pytest

from mmwsss.datasets import COCO_CLASSES, COCOWSSSDataset, load_labels_file
from mmwsss.datasets.coco_wsss import (coco_instances_to_masks,
                                       load_coco_instances)
from mmwsss.utils.io import read_label_png
from tests.trees import make_coco_tree


@pytest.fixture
def coco(tmp_path):
    return make_coco_tree(str(tmp_path / 'coco'))


def test_instances_labels(coco):
    labels, cat_to_cls = load_coco_instances(
        osp.join(coco, 'annotations/instances_train2014.json'))
    assert len(COCO_CLASSES) == 81
    assert cat_to_cls == {1: 1, 18: COCO_CLASSES.index('dog'),
                          17: COCO_CLASSES.index('cat')}
    a = labels['COCO_train2014_000000000000']
    assert a.shape == (80, )
    assert set(np.flatnonzero(a) + 1) == {1, COCO_CLASSES.index('dog')}
    assert labels['COCO_train2014_000000000002'].sum() == 0  # negative


def test_converter_masks_and_dataset(coco):
    ann = osp.join(coco, 'annotations/instances_train2014.json')
    n = coco_instances_to_masks(ann, osp.join(coco, 'mask/train2014'),
                                osp.join(coco, 'cls_labels_train2014.json'))
    assert n == 3
    m = read_label_png(osp.join(coco, 'mask/train2014',
                                'COCO_train2014_000000000000.png'))
    assert m.shape == (32, 40)
    dog = COCO_CLASSES.index('dog')
    # the small dog is painted on top of the large person
    assert m[12, 12] == dog and m[5, 5] == 1 and m[30, 38] == 0
    ds = COCOWSSSDataset(
        data_root=coco, instances_file='annotations/instances_train2014.json',
        data_prefix=dict(img_path='train2014', seg_map_path='mask/train2014'))
    assert len(ds) == 3 and ds.num_classes == 81
    assert ds.label_summary['negatives'] == 1
    assert ds.label_summary['from_instances'] == 3
    # labels from masks agree with labels from the json
    ds2 = COCOWSSSDataset(
        data_root=coco, instances_file='annotations/instances_train2014.json',
        data_prefix=dict(img_path='train2014', seg_map_path='mask/train2014'),
        label_sources=('mask', ))
    for i in range(3):
        assert np.array_equal(ds.get_data_info(i)['gt_img_labels'],
                              ds2.get_data_info(i)['gt_img_labels'])
    table = load_labels_file(osp.join(coco, 'cls_labels_train2014.json'),
                             COCO_CLASSES)
    assert np.array_equal(table['COCO_train2014_000000000001'],
                          ds.get_data_info(1)['gt_img_labels'])


def test_unknown_category_named(coco):
    import json
    path = osp.join(coco, 'annotations/instances_train2014.json')
    raw = json.load(open(path))
    raw['annotations'][0]['category_id'] = 999
    json.dump(raw, open(path, 'w'))
    with pytest.raises(ValueError, match=r'instances_train2014.json.*999'):
        load_coco_instances(path)
