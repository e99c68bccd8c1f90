import numpy as np
import pytest
import torch

from mmwsss.evaluation import (confusion_areas, iou_from_areas,
                               threshold_sweep_areas)


def test_confusion_areas_hand_values():
    gt = torch.tensor([[0, 0, 1, 1], [2, 2, 255, 255]])
    pred = torch.tensor([[0, 1, 1, 1], [2, 0, 2, 0]])
    inter, union, ap, ag = confusion_areas(pred, gt, 3).tolist()
    assert inter == [1, 2, 1]
    assert ap == [2, 3, 1]  # ignore pixels left out
    assert ag == [2, 2, 2]
    assert union == [3, 3, 2]


def test_threshold_sweep():
    cams = torch.tensor([[[0.2, 0.6, 0.9]]])  # one class, 1x3
    gt = torch.tensor([[0, 1, 1]])
    areas = threshold_sweep_areas(cams, gt, [0.1, 0.5, 0.95], 2)
    assert areas.shape == (3, 4, 2)
    # t=0.1: all fg; t=0.5: perfect; t=0.95: all bg
    assert areas[0, 0].tolist() == [0, 2]
    assert areas[1, 0].tolist() == [1, 2] and areas[1, 1].tolist() == [1, 2]
    assert areas[2, 0].tolist() == [1, 0]


def test_iou_conventions():
    areas = np.array([[5, 0], [10, 0], [6, 0], [9, 0]])
    nan = iou_from_areas(areas, 'nan')
    zero = iou_from_areas(areas, 'zero')
    assert nan['IoU'][0] == 0.5 and np.isnan(nan['IoU'][1])
    assert zero['IoU'].tolist() == [0.5, 0.0]
    assert nan['Precision'][0] == pytest.approx(5 / 6)
    assert nan['Recall'][0] == pytest.approx(5 / 9)
    with pytest.raises(ValueError):
        iou_from_areas(areas, 'skip')


def test_missing_prediction_file_named(tmp_path):
    from mmwsss.evaluation.pseudo_label_eval import eval_label_dir
    from mmwsss.utils.io import save_png
    gt = str(tmp_path / 'gt.png')
    save_png(gt, np.zeros((4, 4), np.uint8))
    with pytest.raises(FileNotFoundError, match='lost_label.png'):
        eval_label_dir([(str(tmp_path / 'lost_label.png'), gt)], 2,
                       show_progress=False)
