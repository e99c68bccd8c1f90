import pytest
import torch
from mmseg.structures import SegDataSample

from mmwsss.models.heads import CAMHead


def test_gap_of_cams_is_classifier_of_gap():
    head = CAMHead(in_channels=8, num_classes=4)
    head.init_weights()
    feat = torch.randn(2, 8, 5, 6)
    cams = head(feat)
    assert cams.shape == (2, 3, 5, 6)
    direct = head.classifier(feat.mean((2, 3), keepdim=True)).flatten(1)
    assert torch.allclose(head.pool(cams), direct, atol=1e-6)


def test_loss_uses_labels():
    head = CAMHead(in_channels=4, num_classes=3, pooling='gmp')
    feat = torch.randn(2, 4, 3, 3)
    samples = []
    for lab in ([1.0, 0.0], [0.0, 0.0]):
        s = SegDataSample()
        s.gt_img_labels = torch.tensor(lab)
        samples.append(s)
    loss = head.loss(feat, samples)['loss_cls']
    assert loss.ndim == 0 and torch.isfinite(loss)


@pytest.mark.parametrize('kw', [dict(num_classes=1), dict(pooling='avg')])
def test_bad_args(kw):
    args = dict(in_channels=4, num_classes=3)
    args.update(kw)
    with pytest.raises(ValueError):
        CAMHead(**args)
