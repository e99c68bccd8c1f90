import numpy as np

from mmwsss.datasets import SyntheticWSSSDataset
from mmwsss.datasets.synthetic import SYNTHETIC_CLASSES


def test_synthetic_dataset_loads(tiny_synthetic):
    ds = SyntheticWSSSDataset(
        data_root=tiny_synthetic, ann_file='ImageSets/Segmentation/train.txt',
        pipeline=[dict(type='LoadImageFromFile'),
                  dict(type='LoadAnnotations'),
                  dict(type='PackWSSSInputs')])
    assert len(ds) == 24
    assert ds.metainfo['classes'] == SYNTHETIC_CLASSES
    assert ds.label_summary['from_file'] == 24
    out = ds[3]
    sample = out['data_samples']
    # the packed labels agree with the classes of the mask
    ids = sample.gt_sem_seg.data.unique()
    ids = ids[(ids > 0) & (ids < 255)] - 1
    expected = np.zeros(10, np.float32)
    expected[ids.numpy()] = 1
    assert sample.gt_img_labels.numpy().tolist() == expected.tolist()
    assert ds.class_counts().sum() >= 24
