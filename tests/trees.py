"""Small dataset trees in VOC / COCO / custom layout, built by the tests."""
import json
import os
import os.path as osp

import numpy as np

from mmwsss.utils.io import save_jpeg, save_png

VOC_CLASSES = (
    'background', 'aeroplane', 'bicycle', 'bird', 'boat', 'bottle', 'bus',
    'car', 'cat', 'chair', 'cow', 'diningtable', 'dog', 'horse', 'motorbike',
    'person', 'pottedplant', 'sheep', 'sofa', 'train', 'tvmonitor')


def _img(seed, h=40, w=48):
    return np.random.RandomState(seed).randint(0, 255, (h, w, 3), np.uint8)


def _xml(path, names):
    objs = ''.join(f'<object><name>{n}</name><difficult>0</difficult>'
                   '</object>' for n in names)
    os.makedirs(osp.dirname(path), exist_ok=True)
    with open(path, 'w') as f:
        f.write(f'<annotation><filename>x.jpg</filename>{objs}</annotation>')


def make_voc_tree(root):
    """4 images: a (aeroplane+person mask), b (background-only mask: a
    negative), c (cat mask + a 255 border), d (no mask; XML says dog, bird).
    """
    masks = {}
    m = np.zeros((40, 48), np.uint8)
    m[5:15, 5:20] = 1
    m[20:30, 30:40] = 15
    masks['2007_000001'] = m
    masks['2007_000002'] = np.zeros((40, 48), np.uint8)
    m = np.zeros((40, 48), np.uint8)
    m[10:30, 10:30] = 255
    m[12:28, 12:28] = 8
    masks['2007_000003'] = m
    xml = {'2007_000001': ['aeroplane', 'person'], '2007_000002': [],
           '2007_000003': ['cat'], '2007_000004': ['dog', 'bird']}
    for i, name in enumerate(sorted(xml)):
        save_jpeg(osp.join(root, 'JPEGImages', name + '.jpg'), _img(i))
        _xml(osp.join(root, 'Annotations', name + '.xml'), xml[name])
    for name, mask in masks.items():
        save_png(osp.join(root, 'SegmentationClassAug', name + '.png'), mask)
    sets = osp.join(root, 'ImageSets', 'Segmentation')
    os.makedirs(sets, exist_ok=True)
    splits = {'train_aug': sorted(xml), 'train': ['2007_000001',
                                                  '2007_000002'],
              'val': ['2007_000003']}
    for split, names in splits.items():
        with open(osp.join(sets, split + '.txt'), 'w') as f:
            f.write('\n'.join(names) + '\n')
    return root


def make_coco_tree(root):
    """3 images with instances json (person+dog, cat, none) and masks."""
    cats = [dict(id=1, name='person'), dict(id=18, name='dog'),
            dict(id=17, name='cat')]
    images, anns = [], []
    for i in range(3):
        name = f'COCO_train2014_{i:012d}.jpg'
        images.append(dict(id=100 + i, file_name=name, height=32, width=40))
        save_jpeg(osp.join(root, 'train2014', name), _img(10 + i, 32, 40))

    def poly(x0, y0, x1, y1):
        return [[x0, y0, x1, y0, x1, y1, x0, y1]]

    anns.append(dict(id=1, image_id=100, category_id=1, iscrowd=0,
                     segmentation=poly(2, 2, 20, 20), area=324.0,
                     bbox=[2, 2, 18, 18]))
    anns.append(dict(id=2, image_id=100, category_id=18, iscrowd=0,
                     segmentation=poly(10, 10, 14, 14), area=16.0,
                     bbox=[10, 10, 4, 4]))
    anns.append(dict(id=3, image_id=101, category_id=17, iscrowd=0,
                     segmentation=poly(5, 5, 30, 25), area=500.0,
                     bbox=[5, 5, 25, 20]))
    os.makedirs(osp.join(root, 'annotations'), exist_ok=True)
    with open(osp.join(root, 'annotations', 'instances_train2014.json'),
              'w') as f:
        json.dump(dict(images=images, annotations=anns, categories=cats), f)
    return root


def make_custom_tree(root, labels=None, classes=('background', 'cat', 'dog')):
    labels = labels or {'img_a': ['cat'], 'img_b': ['cat', 'dog'],
                        'img_c': []}
    for i, name in enumerate(sorted(labels)):
        save_jpeg(osp.join(root, 'images', name + '.jpg'), _img(20 + i))
    m = np.zeros((40, 48), np.uint8)
    m[0:10, 0:10] = 1
    save_png(osp.join(root, 'masks', 'img_a.png'), m)
    with open(osp.join(root, 'labels.json'), 'w') as f:
        json.dump(dict(classes=list(classes), labels=labels), f)
    return root
