"""RCMLoss / MAMLoss: the registered modules over rcm_mam_ops."""
import pytest
import torch
from mmseg.registry import MODELS

from mmwsss.functional.rcm_mam_ops import (attentive_targets,
                                           cosine_dissimilarity, mam_loss)


def test_mam_variants_compose_the_functions():
    torch.manual_seed(0)
    f = [torch.rand(2, 3, 4, 4, requires_grad=True) for _ in range(3)]
    g = [torch.rand(2, 3, 4, 4) for _ in range(3)]
    ms = torch.rand(2, 3, 4, 4)
    labels = torch.tensor([[1.0, 0, 1], [0, 1, 0]])
    fs, gs = torch.stack(f), torch.stack(g)
    mam = MODELS.build(dict(type='MAMLoss', loss_weight=2.0))
    want = mam_loss(fs, attentive_targets(gs, cosine_dissimilarity(fs, gs)),
                    labels)
    assert torch.allclose(mam(f, g, ms, labels), 2 * want)
    mmm = MODELS.build(dict(type='MAMLoss', variant='mmm'))
    assert torch.allclose(mmm(f, g, ms, labels),
                          mam_loss(fs, gs.mean(0, keepdim=True).expand_as(fs),
                                   labels))
    # SMM reads only F's 1.0 scale (the others may be missing)
    smm = MODELS.build(dict(type='MAMLoss', variant='smm', main_scale=1))
    assert not smm.uses_all_main_scales and mam.uses_all_main_scales
    out = smm([None, f[1], None], g, ms, labels)
    assert torch.allclose(out, mam_loss(f[1][None], ms[None], labels))
    out.backward()
    assert f[1].grad.abs().sum() > 0
    with pytest.raises(ValueError, match='variant'):
        MODELS.build(dict(type='MAMLoss', variant='sum'))


def test_rcm_loss_checks_shapes_and_mode():
    rcm = MODELS.build(dict(type='RCMLoss', num_classes=4, channels=8))
    with pytest.raises(ValueError, match='channels'):
        rcm(torch.rand(1, 6, 2, 2), torch.rand(1, 6, 2, 2),
            torch.rand(1, 3, 2, 2), torch.ones(1, 3))
    with pytest.raises(ValueError, match='foreground CAMs'):
        rcm(torch.rand(1, 8, 2, 2), torch.rand(1, 8, 2, 2),
            torch.rand(1, 2, 2, 2), torch.ones(1, 2))
    with pytest.raises(ValueError, match='mode'):
        MODELS.build(dict(type='RCMLoss', num_classes=4, mode='sum'))
    rcm.train()
    loss = rcm(torch.rand(2, 8, 3, 3), torch.rand(2, 8, 3, 3),
               torch.rand(2, 3, 3, 3), torch.tensor([[1.0, 0, 1],
                                                     [0, 1, 0]]))
    assert torch.isfinite(loss) and loss > 0
    # only the background and the labelled classes (ids 1-3) can be seen
    assert rcm.seen.any()
