"""PMM's training-crop transform (MultiCropRetag)."""
import numpy as np
import pytest

from mmwsss.datasets.transforms import MultiCropRetag
from mmwsss.utils.cam_io import save_cam_file


def test_retag_transform(tmp_path):
    img = np.zeros((120, 160, 3), np.uint8)
    cams = np.zeros((2, 120, 160), np.float32)
    cams[0, :30, :30] = 1.0               # class 1 top-left
    cams[1, 90:, 130:] = 1.0              # class 4 bottom-right
    save_cam_file(str(tmp_path / 'a.npz'), cams, np.array([1, 4]),
                  np.zeros(5))
    labels = np.zeros(5, np.float32)
    labels[[1, 4]] = 1
    t = MultiCropRetag(str(tmp_path), scales=(2.0, ), crop_size=80,
                       stride=60, seed=0)
    seen = set()
    for _ in range(20):
        r = t(dict(img=img.copy(), img_path='x/a.jpg',
                   gt_img_labels=labels.copy()))
        y1, y2, x1, x2 = r['crop_window']
        assert r['img'].shape[:2] == (y2 - y1, x2 - x1) == (40, 40)
        assert r['gt_img_labels'].sum() >= 1          # retried until kept
        assert set(np.flatnonzero(r['gt_img_labels'])) <= {1, 4}
        seen.add(tuple(np.flatnonzero(r['gt_img_labels'])))
    assert seen == {(1, ), (4, )}   # no 40-px crop holds both corners
    with pytest.raises(FileNotFoundError, match='b.npz'):
        t(dict(img=img, img_path='x/b.jpg', gt_img_labels=labels))
