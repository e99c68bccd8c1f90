"""MetricList: several metrics as one evaluator dict (mmseg's test.py --out)."""
import os

import pytest
import torch
from PIL import Image

from mmwsss.evaluation.metrics import MetricList

META = dict(classes=('background', 'a', 'b'), palette=[[0, 0, 0]] * 3)


def sample(name, cams, gt, labels, scores):
    seg_logits = torch.cat([torch.full_like(cams[:1], 0.5), cams])
    return dict(
        img_path=f'/data/{name}.jpg',
        seg_logits=dict(data=seg_logits),
        pred_sem_seg=dict(data=seg_logits.argmax(0, keepdim=True)),
        gt_sem_seg=dict(data=gt[None]),
        gt_img_labels=torch.tensor(labels, dtype=torch.float32),
        pred_img_scores=torch.tensor(scores))


def batch():
    cams = torch.zeros(2, 2, 2)
    cams[0] = torch.tensor([[0.3, 0.8], [0.0, 0.0]])
    cams[1] = torch.tensor([[0.0, 0.0], [0.7, 0.2]])
    gt = torch.tensor([[0, 1], [2, 0]])
    return [sample('x', cams, gt, [1, 1], [0.9, 0.8]),
            sample('y', cams.flip(-1), gt.flip(-1), [1, 0], [0.7, 0.1])]


def members():
    return [dict(type='MultiLabelMAPMetric'),
            dict(type='CAMIoUMetric', thresholds=[0.1, 0.5, 0.95])]


def test_merges_the_members_results():
    metric = MetricList(members())
    metric.dataset_meta = META  # reaches every member
    assert all(m.dataset_meta == META for m in metric.metrics)
    metric.process({}, batch())
    res = metric.evaluate(2)
    # mAP: class a positive in both (AP 1), class b in x only, scored
    # 0.8 > 0.1 (AP 1); CAM masks equal the GT at threshold 0.5
    assert res['cls/mAP'] == pytest.approx(100.0)
    assert res['cam/mIoU'] == 100.0 and res['cam/best_bg_threshold'] == 0.5


def test_output_dir_adds_a_png_writer(tmp_path):
    out = str(tmp_path / 'pred')
    metric = MetricList(members(), output_dir=out, keep_results=True)
    assert metric.metrics[-1].format_only  # mmseg's IoUMetric, files only
    metric.dataset_meta = META
    metric.process({}, batch())
    res = metric.evaluate(2)
    assert sorted(os.listdir(out)) == ['x.png', 'y.png']
    with Image.open(os.path.join(out, 'x.png')) as im:
        assert im.size == (2, 2)
    assert set(res) == {'cls/mAP', 'cam/mIoU', 'cam/mPrecision',
                        'cam/mRecall', 'cam/best_bg_threshold'}


def test_output_dir_goes_to_a_member_that_writes(tmp_path):
    out = str(tmp_path / 'pred')
    metric = MetricList([dict(type='IoUMetric', iou_metrics=['mIoU'])],
                        output_dir=out)
    assert len(metric.metrics) == 1 and metric.metrics[0].output_dir == out


def test_clashing_names_and_empty_list():
    metric = MetricList([dict(type='MultiLabelMAPMetric'),
                         dict(type='MultiLabelMAPMetric')])
    metric.dataset_meta = META
    metric.process({}, batch())
    with pytest.raises(ValueError, match="cls/mAP"):
        metric.evaluate(2)
    with pytest.raises(ValueError, match='at least one'):
        MetricList([])
