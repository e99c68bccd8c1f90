"""Bad values in pseudo-label PNGs and CAM files are named, ignore (255)
in a prediction is 'no prediction'."""
import numpy as np
import pytest
import torch

from mmwsss.evaluation.functional import confusion_areas
from mmwsss.evaluation.pseudo_label_eval import eval_label_dir
from mmwsss.utils.cam_io import load_cam_file, save_cam_file
from mmwsss.utils.io import save_png


def test_predicted_ignore_counts_as_no_prediction():
    gt = torch.tensor([[0, 1], [1, 1]])
    pred = torch.tensor([[0, 255], [1, 0]])
    inter, union, area_pred, area_gt = confusion_areas(pred, gt, 2)
    # class 1: gt 3 px; predicted at 1 px (right); one px ignored, one wrong
    assert area_gt.tolist() == [1, 3] and area_pred.tolist() == [2, 1]
    assert inter.tolist() == [1, 1] and union.tolist() == [2, 3]


def test_eval_label_dir_names_out_of_range_png(tmp_path):
    gt = np.array([[0, 1], [1, 1]], np.uint8)
    save_png(str(tmp_path / 'gt.png'), gt)
    save_png(str(tmp_path / 'ok.png'), np.array([[0, 255], [1, 0]],
                                                np.uint8))
    areas = eval_label_dir([(str(tmp_path / 'ok.png'),
                             str(tmp_path / 'gt.png'))], 2,
                           show_progress=False)
    assert areas[3].tolist() == [1, 3] and areas[2].tolist() == [2, 1]
    save_png(str(tmp_path / 'bad.png'), np.array([[0, 7], [1, 9]], np.uint8))
    with pytest.raises(ValueError, match=r'bad\.png: label values \[7, 9\]'):
        eval_label_dir([(str(tmp_path / 'bad.png'),
                         str(tmp_path / 'gt.png'))], 2, show_progress=False)


def test_cam_file_keys_are_validated_on_load(tmp_path):
    cams = np.random.RandomState(0).rand(2, 4, 4).astype(np.float32)
    path = str(tmp_path / 'a.npz')
    save_cam_file(path, cams, np.array([3, 12]), np.zeros(20))
    assert load_cam_file(path)['keys'].tolist() == [3, 12]
    with pytest.raises(ValueError, match=r'a\.npz: class keys \[3, 12\].*'
                       r'\[0, 10\)'):
        load_cam_file(path, num_fg=10)
    save_cam_file(path, cams, np.array([3, 3]), np.zeros(20))
    with pytest.raises(ValueError, match='distinct'):
        load_cam_file(path)
