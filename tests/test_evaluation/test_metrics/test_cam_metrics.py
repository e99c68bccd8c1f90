import pytest
import torch

from mmwsss.evaluation.metrics import CAMIoUMetric, MultiLabelMAPMetric


def sample(cams, gt, labels, scores):
    return dict(
        seg_logits=dict(data=torch.cat([torch.zeros_like(cams[:1]), cams])),
        gt_sem_seg=dict(data=gt[None]),
        gt_img_labels=torch.tensor(labels, dtype=torch.float32),
        pred_img_scores=torch.tensor(scores))


def test_cam_iou_metric_finds_best_threshold():
    metric = CAMIoUMetric(thresholds=[0.1, 0.5, 0.95])
    metric.dataset_meta = dict(classes=('background', 'a', 'b'))
    cams = torch.zeros(2, 2, 2)
    cams[0] = torch.tensor([[0.3, 0.8], [0.0, 0.0]])
    cams[1] = torch.tensor([[0.0, 0.0], [0.7, 0.2]])
    gt = torch.tensor([[0, 1], [2, 0]])
    metric.process({}, [sample(cams, gt, [1, 1], [0.9, 0.8])])
    res = metric.compute_metrics(metric.results)
    assert res == dict(mIoU=100.0, mPrecision=100.0, mRecall=100.0,
                       best_bg_threshold=0.5)


def test_cam_iou_metric_class_count_mismatch():
    metric = CAMIoUMetric()
    metric.dataset_meta = dict(classes=('background', 'a', 'b', 'c'))
    with pytest.raises(ValueError, match='3 classes.*4'):
        metric.process({}, [sample(torch.zeros(2, 2, 2),
                                   torch.zeros(2, 2, dtype=torch.long),
                                   [0, 0], [0.1, 0.1])])


def test_map_metric():
    metric = MultiLabelMAPMetric()
    metric.dataset_meta = dict(classes=('background', 'a', 'b'))
    cams, gt = torch.zeros(2, 1, 1), torch.zeros(1, 1, dtype=torch.long)
    metric.process({}, [
        sample(cams, gt, [1, 0], [0.9, 0.2]),
        sample(cams, gt, [0, 1], [0.3, 0.3]),
        sample(cams, gt, [0, 0], [0.1, 0.4]),
    ])
    res = metric.compute_metrics(metric.results)
    # class a: AP 1; class b: positive ranked 2nd of 3 -> AP 1/2
    assert res['mAP'] == pytest.approx(75.0)


def test_map_metric_hand_value_and_mmpretrain_conventions():
    """mmpretrain's AP: + - + - ranks give (1/1 + 2/3) / 2; a class without
    a positive image counts as AP 0 in the mean."""
    metric = MultiLabelMAPMetric()
    cams, gt = torch.zeros(2, 1, 1), torch.zeros(1, 1, dtype=torch.long)
    metric.process({}, [
        sample(cams, gt, [1, 0], [0.9, 0.1]),
        sample(cams, gt, [0, 0], [0.8, 0.2]),
        sample(cams, gt, [1, 0], [0.7, 0.3]),
        sample(cams, gt, [0, 0], [0.6, 0.4]),
    ])
    res = metric.compute_metrics(metric.results)
    assert res['mAP'] == pytest.approx((1 + 2 / 3) / 2 * 100 / 2)


def test_map_metric_names_the_missing_field():
    metric = MultiLabelMAPMetric()
    with pytest.raises(KeyError, match='pred_img_scores.*x.jpg'):
        metric.process({}, [dict(img_path='x.jpg',
                                 gt_img_labels=torch.ones(2))])
