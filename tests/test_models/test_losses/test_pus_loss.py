"""PUS (PMM eq. 10-13) against hand-computed per-pixel cross-entropies."""
import math

import pytest
import torch
from mmseg.models.losses import CrossEntropyLoss

from mmwsss.models.losses import PUSLoss, pretended_underfitting

# four pixels of a 2-class problem, one ignored
#   A: logits (2, 0), label 0 -> ln(1 + e^-2) = 0.126928
#   B: logits (2, 0), label 1 -> ln(1 + e^2)  = 2.126928
#   C: logits (0, 0), label 0 -> ln 2         = 0.693147
#   D: ignored (255)          -> 0
CE = [math.log(1 + math.exp(-2)), math.log(1 + math.exp(2)), math.log(2), 0]


def batch():
    logits = torch.tensor([[2., 0.], [2., 0.], [0., 0.], [5., -5.]])
    logits = logits.T.reshape(1, 2, 1, 4).clone().requires_grad_(True)
    label = torch.tensor([[[0, 1, 0, 255]]])
    return logits, label


def pus(**kw):
    return PUSLoss(loss_cfg=dict(type='CrossEntropyLoss', **kw.pop('inner',
                                                                    {})),
                   **kw)


def test_gate_closed_equals_mmseg_cross_entropy():
    logits, label = batch()
    mean = sum(CE) / 4                                 # 0.736751 > beta 0.5
    loss = pus(beta=0.5, kappa=0.5)
    out = loss(logits, label, ignore_index=255)
    ref = CrossEntropyLoss()(logits, label, ignore_index=255)
    assert out.item() == pytest.approx(mean, rel=1e-5)
    assert out.item() == pytest.approx(ref.item(), rel=1e-6)
    assert loss.last_active is False
    assert loss.loss_name == 'loss_ce'


@pytest.mark.parametrize('mode,values', [
    ('clamp', [CE[0], 0.5, 0.5, 0.0]),
    ('pow', [math.sqrt(CE[0]), math.sqrt(CE[1]), math.sqrt(CE[2]), 0.0]),
    ('ignore', [CE[0], 0.0, 0.0, 0.0]),
])
def test_gate_open_by_hand(mode, values):
    logits, label = batch()
    loss = pus(beta=1.0, kappa=0.5, mode=mode)          # 0.7368 < 1.0
    out = loss(logits, label, ignore_index=255)
    assert loss.last_active is True
    assert out.item() == pytest.approx(sum(values) / 4, abs=1e-4)


def test_clamp_gradients_zero_on_clamped_and_ignored_pixels():
    logits, label = batch()
    pus(beta=1.0, kappa=0.5, mode='clamp')(logits, label,
                                           ignore_index=255).backward()
    g = logits.grad.abs().sum(1)[0, 0]                   # per pixel
    assert g[0] > 0                                      # A: 0.127 < kappa
    assert g[1] == 0 and g[2] == 0                       # B, C clamped
    assert g[3] == 0                                     # ignored


def test_ignore_mode_gradients_and_pow_compresses():
    logits, label = batch()
    pus(beta=1.0, kappa=0.5, mode='ignore')(logits, label,
                                            ignore_index=255).backward()
    g = logits.grad.abs().sum(1)[0, 0]
    assert g[0] > 0 and g[1] == 0 and g[2] == 0
    x = torch.tensor([0.25, 4.0])
    y, active = pretended_underfitting(x, beta=10, kappa=0.5, mode='pow')
    assert active and torch.allclose(y, torch.tensor([0.5, 2.0]), atol=1e-6)


def test_loss_weight_scales_but_does_not_move_the_gate():
    logits, label = batch()
    loss = pus(beta=0.5, kappa=0.5, inner=dict(loss_weight=0.4))
    out = loss(logits, label, ignore_index=255)
    # weighted mean 0.29 < 0.5, but the gate reads the unweighted 0.737
    assert loss.last_active is False
    assert out.item() == pytest.approx(0.4 * sum(CE) / 4, rel=1e-5)


def test_avg_non_ignore_and_disabled():
    logits, label = batch()
    loss = pus(beta=1.0, kappa=0.5, inner=dict(avg_non_ignore=True))
    assert loss(logits, label, ignore_index=255).item() == pytest.approx(
        (CE[0] + 0.5 + 0.5) / 3, rel=1e-5)
    loss.enabled = False
    ref = CrossEntropyLoss(avg_non_ignore=True)(logits, label,
                                                ignore_index=255)
    assert loss(logits, label, ignore_index=255).item() == pytest.approx(
        ref.item(), rel=1e-6)
    assert loss.last_active is False


def test_bad_mode_named():
    with pytest.raises(ValueError, match='mode'):
        PUSLoss(mode='cut')


def test_in_an_mmseg_decode_head(mmseg_scope):
    """PUS as ``loss_decode`` of a stock mmseg head (decode and auxiliary
    heads each hold their own instance and gate on their own loss)."""
    from mmseg.registry import MODELS
    from mmseg.structures import SegDataSample
    from mmengine.structures import PixelData
    head = MODELS.build(dict(
        type='FCNHead', in_channels=4, channels=4, num_convs=1,
        num_classes=3, in_index=0, concat_input=False,
        loss_decode=dict(type='PUSLoss', beta=100.0, kappa=0.1)))
    feats = [torch.randn(2, 4, 8, 8)]
    samples = []
    for _ in range(2):
        s = SegDataSample()
        s.gt_sem_seg = PixelData(data=torch.randint(0, 3, (1, 16, 16)))
        samples.append(s)
    losses = head.loss(feats, samples, dict())
    assert set(losses) >= {'loss_ce', 'acc_seg'}
    assert head.loss_decode.last_active is True
    # every pixel's CE is capped at kappa = 0.1
    assert 0 < losses['loss_ce'].item() <= 0.1 + 1e-6


def test_off_from_round_reads_the_published_round():
    """Schedule-dependent behaviour reads the message hub: PUS is on until
    CyclicPseudoMaskHook publishes the round, then it is the inner loss."""
    from mmengine.logging import MessageHub

    from mmwsss.utils.runtime_info import (PSEUDO_MASK_ROUND,
                                           publish_runtime_info)
    MessageHub.get_instance('test_pus_round')      # a fresh current hub
    torch.manual_seed(0)
    logits = torch.randn(2, 4, 8, 8)
    label = torch.randint(0, 4, (2, 8, 8))
    pus = PUSLoss(beta=10.0, kappa=0.5, off_from_round=1)  # gate open
    plain = PUSLoss(enabled=False)
    assert pus.active
    on = pus(logits, label)
    assert pus.last_active and on.item() != plain(logits, label).item()
    publish_runtime_info(PSEUDO_MASK_ROUND, 1)
    assert not pus.active
    assert torch.equal(pus(logits, label), plain(logits, label))
    assert PUSLoss(off_from_round=2).active
