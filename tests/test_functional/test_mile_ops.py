"""MILe's phase schedule and imitation targets, by hand."""
import pytest
import torch

from mmwsss.functional.mile_ops import (IMITATION, INTERACTION, mile_phase,
                                        mile_targets)


def test_phases_switch_at_exactly_k1_and_k2_steps():
    got = [mile_phase(i, 3, 2) for i in range(11)]
    assert got == [(INTERACTION, 0), (INTERACTION, 1), (INTERACTION, 2),
                   (IMITATION, 0), (IMITATION, 1),
                   (INTERACTION, 0), (INTERACTION, 1), (INTERACTION, 2),
                   (IMITATION, 0), (IMITATION, 1), (INTERACTION, 0)]
    # k2 = 0: plain supervised training
    assert {mile_phase(i, 4, 0)[0] for i in range(20)} == {INTERACTION}
    # the ImageNet setting: 2000 + 2000
    assert mile_phase(1999, 2000, 2000) == (INTERACTION, 1999)
    assert mile_phase(2000, 2000, 2000) == (IMITATION, 0)
    assert mile_phase(3999, 2000, 2000) == (IMITATION, 1999)
    assert mile_phase(4000, 2000, 2000) == (INTERACTION, 0)
    with pytest.raises(ValueError, match='k1'):
        mile_phase(0, 0, 5)


def test_targets_threshold_or_given_by_hand():
    # sigmoid(z) > 0.5  <=>  z > 0; > 0.75  <=>  z > log 3 = 1.0986
    z = torch.tensor([[2.0, -1.0, 0.5], [-3.0, 1.05, 1.2]])
    assert mile_targets(z).tolist() == [[1, 0, 1], [0, 1, 1]]
    assert mile_targets(z, 0.75).tolist() == [[1, 0, 0], [0, 0, 1]]
    given = torch.tensor([[0, 1, 0], [1, 0, 0]])
    assert mile_targets(z, 0.75, given=given).tolist() == [[1, 1, 0],
                                                           [1, 0, 1]]
    z.requires_grad_(True)
    assert not mile_targets(z).requires_grad
    with pytest.raises(ValueError, match='threshold'):
        mile_targets(z, 1.0)
    with pytest.raises(ValueError, match='given'):
        mile_targets(z, given=torch.ones(2, 2))


def test_bernoulli_targets_follow_the_teacher_probability():
    z = torch.tensor([[0.0, 2.0, -2.0, 40.0]]).repeat(20000, 1)
    g = torch.Generator().manual_seed(0)
    t = mile_targets(z, sample=True, generator=g)
    assert set(t.unique().tolist()) <= {0.0, 1.0}
    freq = t.mean(0)
    expect = torch.sigmoid(z[0])
    assert torch.allclose(freq, expect, atol=0.015)
    # temperature 2 flattens: sigmoid(z / 2)
    t2 = mile_targets(z, sample=True, temperature=2.0,
                      generator=torch.Generator().manual_seed(1))
    assert torch.allclose(t2.mean(0), torch.sigmoid(z[0] / 2), atol=0.015)
    # the same generator seed gives the same draw
    again = mile_targets(z, sample=True,
                         generator=torch.Generator().manual_seed(0))
    assert torch.equal(t, again)
