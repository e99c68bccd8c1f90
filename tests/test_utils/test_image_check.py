"""Issue 15.11: empty, truncated and undecodable images are named."""
import io
import os.path as osp

import mmcv
import numpy as np
import pytest
from PIL import Image

from mmwsss.utils.image_check import (CorruptImageError, check_image_bytes,
                                      read_image)


def jpeg_bytes(seed=0, size=64):
    rgb = np.random.RandomState(seed).randint(0, 255, (size, size, 3),
                                              np.uint8)
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format='JPEG', quality=90)
    return buf.getvalue()


def png_bytes():
    rgb = np.random.RandomState(0).randint(0, 255, (64, 64, 3), np.uint8)
    buf = io.BytesIO()
    Image.fromarray(rgb).save(buf, format='PNG')
    return buf.getvalue()


def test_truncated_jpeg_decodes_silently_with_opencv_but_is_named(tmp_path):
    data = jpeg_bytes()
    cut = tmp_path / 'cut.jpg'
    cut.write_bytes(data[:len(data) * 2 // 3])
    # the fault: mmcv (OpenCV) returns an image without an error
    img = mmcv.imread(str(cut))
    assert img is not None and img.shape == (64, 64, 3)
    with pytest.raises(CorruptImageError, match=r'truncated JPEG.*cut\.jpg'):
        read_image(str(cut))
    good = tmp_path / 'good.jpg'
    good.write_bytes(data)
    assert read_image(str(good)).shape == (64, 64, 3)
    # bytes after the end-of-image marker (cameras append data) are fine
    check_image_bytes(data + b'EXTRA-TRAILER', 'trailer.jpg')
    check_image_bytes(data + b'\0' * 32, 'padded.jpg')


def test_zero_byte_missing_undecodable_and_truncated_png(tmp_path):
    empty = tmp_path / 'empty.jpg'
    empty.write_bytes(b'')
    with pytest.raises(CorruptImageError, match=r'zero-byte.*empty\.jpg'):
        read_image(str(empty))
    with pytest.raises(FileNotFoundError, match='nope.jpg'):
        read_image(str(tmp_path / 'nope.jpg'))
    junk = tmp_path / 'junk.jpg'
    junk.write_bytes(b'not an image at all')
    with pytest.raises(CorruptImageError, match=r'cannot decode.*junk\.jpg'):
        read_image(str(junk))
    data = png_bytes()
    check_image_bytes(data, 'ok.png')
    with pytest.raises(CorruptImageError, match=r'truncated PNG.*cut\.png'):
        check_image_bytes(data[:len(data) * 2 // 3], 'cut.png')


def test_loading_transform_names_the_file(tmp_path):
    from mmseg.registry import TRANSFORMS
    load = TRANSFORMS.build(dict(type='LoadVerifiedImageFromFile'))
    data = jpeg_bytes(1)
    good = tmp_path / 'good.jpg'
    good.write_bytes(data)
    res = load(dict(img_path=str(good)))
    assert res['img'].shape == (64, 64, 3)
    # the same array as mmcv's own loader
    ref = TRANSFORMS.build(dict(type='LoadImageFromFile'))(
        dict(img_path=str(good)))
    assert np.array_equal(res['img'], ref['img'])
    cut = tmp_path / 'cut.jpg'
    cut.write_bytes(data[:1000])
    with pytest.raises(CorruptImageError, match=osp.basename(str(cut))):
        load(dict(img_path=str(cut)))
    empty = tmp_path / 'empty.jpg'
    empty.write_bytes(b'')
    with pytest.raises(CorruptImageError, match='empty.jpg'):
        load(dict(img_path=str(empty)))
    lenient = TRANSFORMS.build(dict(type='LoadVerifiedImageFromFile',
                                    ignore_empty=True))
    assert lenient(dict(img_path=str(empty))) is None
