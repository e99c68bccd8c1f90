import os.path as osp
import shutil
import subprocess
import sys

import numpy as np
import pytest

from mmwsss.datasets import VOCWSSSDataset, load_labels_file
from tests.trees import VOC_CLASSES, make_voc_tree


@pytest.fixture
def voc(tmp_path):
    return make_voc_tree(str(tmp_path / 'VOC2012'))


def build(root, split='train_aug', **kw):
    return VOCWSSSDataset(
        data_root=root, ann_file=f'ImageSets/Segmentation/{split}.txt',
        data_prefix=dict(img_path='JPEGImages',
                         seg_map_path='SegmentationClassAug'), **kw)


def onehot(*ids):
    v = np.zeros(20, np.float32)
    for i in ids:
        v[i - 1] = 1
    return v


def test_labels_from_masks_then_xml(voc):
    ds = build(voc)
    assert len(ds) == 4 and ds.num_classes == 21
    by = {ds.image_name(ds.get_data_info(i)): ds.get_data_info(i)
          ['gt_img_labels'] for i in range(4)}
    assert np.array_equal(by['2007_000001'], onehot(1, 15))
    assert np.array_equal(by['2007_000002'], onehot())  # negative kept
    assert np.array_equal(by['2007_000003'], onehot(8))  # 255 ignored
    assert np.array_equal(by['2007_000004'], onehot(12, 3))  # from XML
    assert ds.label_summary == dict(images=4, negatives=1, from_file=0,
                                    from_mask=3, from_xml=1)


def test_no_label_source_names_the_image(voc):
    with pytest.raises(ValueError, match='2007_000004'):
        build(voc, label_sources=('mask', ))


def test_labels_file_is_preferred(voc, repo_root):
    # the converter writes the labels file from masks (and XML)
    subprocess.run([
        sys.executable,
        osp.join(repo_root, 'tools/dataset_converters/voc_cls_labels.py'),
        voc, '--splits', 'train_aug'
    ], check=True, cwd=repo_root, capture_output=True)
    table = load_labels_file(osp.join(voc, 'cls_labels.json'), VOC_CLASSES)
    assert np.array_equal(table['2007_000004'], onehot(3, 12))
    # masks removed: the file still gives every label
    shutil.rmtree(osp.join(voc, 'SegmentationClassAug'))
    shutil.rmtree(osp.join(voc, 'Annotations'))
    ds = build(voc, labels_file='cls_labels.json')
    assert ds.label_summary['from_file'] == 4
    info = ds.get_data_info(0)
    assert np.array_equal(info['gt_img_labels'], onehot(1, 15))


def test_psa_npy_labels_file(voc):
    # psa / IRN cls_labels.npy: integer keys, 20-dim vectors
    np.save(osp.join(voc, 'cls_labels.npy'), {
        2007000001: onehot(2), 2007000002: onehot(), 2007000003: onehot(4),
        2007000004: onehot(5)
    })
    ds = build(voc, labels_file='cls_labels.npy')
    assert np.array_equal(ds.get_data_info(0)['gt_img_labels'], onehot(2))


def test_missing_image_named(voc):
    import os
    os.remove(osp.join(voc, 'JPEGImages', '2007_000003.jpg'))
    with pytest.raises(FileNotFoundError, match='2007_000003.jpg'):
        build(voc)


def test_corrupt_image_named(voc):
    from mmengine.dataset import Compose
    with open(osp.join(voc, 'JPEGImages', '2007_000001.jpg'), 'wb') as f:
        f.write(b'not a jpeg at all')
    ds = build(voc, pipeline=[dict(type='LoadImageFromFile'),
                              dict(type='PackWSSSInputs')])
    assert isinstance(ds.pipeline, Compose)
    with pytest.raises(Exception, match='2007_000001.jpg'):
        ds[0]


def test_bad_xml_class_named(voc):
    with open(osp.join(voc, 'Annotations', '2007_000004.xml'), 'w') as f:
        f.write('<annotation><object><name>unicorn</name></object>'
                '</annotation>')
    with pytest.raises(ValueError, match=r'2007_000004.xml.*unicorn'):
        build(voc)


def test_pipeline_packs_labels_and_keeps_them_under_crop(voc):
    ds = build(voc, pipeline=[
        dict(type='LoadImageFromFile'),
        dict(type='LoadAnnotations'),
        dict(type='RandomCrop', crop_size=(8, 8)),
        dict(type='PackWSSSInputs')
    ])
    out = ds[0]
    sample = out['data_samples']
    assert out['inputs'].shape == (3, 8, 8)
    # an 8x8 crop cannot show both objects, the label is still the image's
    assert sample.gt_img_labels.tolist() == onehot(1, 15).tolist()
    assert sample.gt_sem_seg.data.shape == (1, 8, 8)
