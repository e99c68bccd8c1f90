"""Images with the same file name would share one CAM file / label PNG:
refused, naming both (issue 15, row 4)."""
import pytest

from mmwsss.apis import generate_cams, make_pseudo_labels
from mmwsss.utils.io import output_names


class _Dataset:
    metainfo = dict(classes=('background', 'a'), palette=[[0, 0, 0]] * 2)

    def __init__(self, paths):
        self.paths = paths

    def __len__(self):
        return len(self.paths)

    def get_data_info(self, i):
        return dict(img_path=self.paths[i])


def test_same_stem_in_two_folders_is_named(tmp_path):
    assert output_names(['x/a.jpg', 'x/b.png']) == ['a', 'b']
    with pytest.raises(ValueError, match=r'a/img\.jpg and b/img\.png have '
                       "the same name 'img'"):
        output_names(['a/img.jpg', 'b/img.png'])
    with pytest.raises(ValueError, match='same name'):
        generate_cams(None, _Dataset(['a/img.jpg', 'b/img.jpg']),
                      str(tmp_path / 'cams'), show_progress=False)
    items = [dict(name='img', img_path=p, cam_path='-')
             for p in ('a/img.jpg', 'b/img.jpg')]
    with pytest.raises(ValueError, match=r"a/img\.jpg and b/img\.jpg have "
                       "the same name 'img' in .*out"):
        make_pseudo_labels(items, str(tmp_path / 'out'), 2, [[0, 0, 0]] * 2,
                           show_progress=False)
