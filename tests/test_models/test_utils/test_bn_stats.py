"""frozen_bn_stats: batch statistics still normalise, running statistics
do not move; the consistency view can leave them to the whole images."""
import copy

import pytest
import torch
import torch.nn as nn

from mmwsss.models.utils import frozen_bn_stats
from tests.test_models.test_losses.test_puzzle_consistency_loss import PUZZLE, build
from tests.test_models.test_losses.test_isl_fsl_loss import samples


@pytest.mark.parametrize('momentum', [0.1, None])
def test_running_stats_do_not_move(momentum):
    bn = nn.BatchNorm2d(3, momentum=momentum)
    net = nn.Sequential(nn.Conv2d(3, 3, 1), bn).train()
    x = torch.randn(4, 3, 5, 5) * 3 + 2
    net(x)
    mean, var = bn.running_mean.clone(), bn.running_var.clone()
    tracked = bn.num_batches_tracked.clone()
    ref = net[1](net[0](x))  # moves the stats once more (reference out)
    bn.running_mean.copy_(mean)
    bn.running_var.copy_(var)
    bn.num_batches_tracked.copy_(tracked)
    with frozen_bn_stats(net):
        out = net(x)
    assert torch.allclose(out, ref)            # batch statistics used
    assert torch.equal(bn.running_mean, mean)  # not accumulated
    assert torch.equal(bn.running_var, var)
    assert torch.equal(bn.num_batches_tracked, tracked)
    assert bn.momentum == momentum             # restored
    net(x + 1)
    assert not torch.equal(bn.running_mean, mean)


def test_view_can_leave_bn_stats_to_the_whole_images(repo_root):
    x = torch.randn(2, 3, 64, 64)
    frozen = build(repo_root, PUZZLE, consistency_losses=[
        dict(type='PuzzleConsistencyLoss', grids=[(2, 2)],
             update_bn_stats=False)])
    frozen.train()
    whole_only = copy.deepcopy(frozen)
    moving = copy.deepcopy(frozen)
    moving.consistency_losses[0].update_bn_stats = True
    frozen.loss(x, samples(2))
    moving.loss(x, samples(2))
    whole_only._forward(x)
    bn = 'backbone.layer1.0.bn1.running_mean'
    sd_f, sd_w, sd_m = (m.state_dict()[bn] for m in (frozen, whole_only,
                                                      moving))
    assert torch.allclose(sd_f, sd_w)
    assert not torch.allclose(sd_m, sd_w)
