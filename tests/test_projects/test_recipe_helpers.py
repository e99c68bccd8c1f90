"""projects/common/recipe.py: a truncated checkpoint is set aside, not
trusted (a rerun of a recipe retrains or resumes from the last valid one)."""
import os
import os.path as osp

import pytest
import torch

from projects.common.recipe import (is_valid_checkpoint,
                                    set_aside_invalid_checkpoints)


def _ckpt(path, it):
    torch.save({'state_dict': {'w': torch.zeros(2)}, 'meta': {'iter': it}},
               path)


def test_truncated_final_checkpoint_is_set_aside(tmp_path):
    work = str(tmp_path)
    for it in (500, 1000, 1500):
        _ckpt(osp.join(work, f'iter_{it}.pth'), it)
    final = osp.join(work, 'iter_1500.pth')
    data = open(final, 'rb').read()
    with open(final, 'wb') as f:          # a save killed half-way
        f.write(data[:len(data) // 2])
    with open(osp.join(work, 'last_checkpoint'), 'w') as f:
        f.write(final)
    assert not is_valid_checkpoint(final)
    assert is_valid_checkpoint(osp.join(work, 'iter_1000.pth'))
    assert set_aside_invalid_checkpoints(work) == [final]
    assert not osp.exists(final) and osp.exists(final + '.corrupt')
    assert open(osp.join(work, 'last_checkpoint')).read() == osp.join(
        work, 'iter_1000.pth')
    assert set_aside_invalid_checkpoints(work) == []     # idempotent


def test_no_valid_checkpoint_left_removes_last_checkpoint(tmp_path):
    work = str(tmp_path)
    bad = osp.join(work, 'iter_2.pth')
    with open(bad, 'wb') as f:
        f.write(b'')                       # zero bytes (disk full)
    with open(osp.join(work, 'last_checkpoint'), 'w') as f:
        f.write(bad)
    assert set_aside_invalid_checkpoints(work) == [bad]
    assert not os.path.exists(osp.join(work, 'last_checkpoint'))
    assert set_aside_invalid_checkpoints(str(tmp_path / 'none')) == []


def test_shortened_schedule_keeps_the_mam_switch_fraction(repo_root):
    from mmengine.config import Config

    from projects.common.recipe import point_config_at
    cfg = Config.fromfile(osp.join(
        repo_root, 'configs/rcm_mam/'
        'rcm-mam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'))
    assert cfg.model.train_cfg.mam_start_iter == 450      # 30 % of 1500
    point_config_at(cfg, 'd', 'w', iters=100)
    assert cfg.model.train_cfg.mam_start_iter == 30
    assert cfg.train_cfg.max_iters == 100


def test_start_arguments_default_pretrained_and_scratch(repo_root, tmp_path,
                                                        monkeypatch):
    """The recipes' backbone start: the configs' own (the shipped backbone)
    by default, ``--pretrained CKPT`` or ``--scratch`` (exclusive); a
    missing file is named; ``~`` is expanded."""
    from mmengine.config import Config

    from projects.common.cam_ablation import parse_ablation_args
    from projects.common.recipe import (SHIPPED_BACKBONE, apply_start,
                                        backbone_start)
    variants = [('baseline', 'CAM', 'cam.py')]

    def parse(*argv):
        return parse_ablation_args(variants, 'd', repo_root, 'w',
                                   argv=list(argv))

    cfg_path = osp.join(repo_root, 'configs', 'cam', 'cam_r18-w32-d16_'
                        '1xb16-1500it_synthetic-128x128.py')
    # the shipped file is the one the synthetic configs name
    assert osp.isfile(SHIPPED_BACKBONE)
    assert osp.samefile(Config.fromfile(cfg_path).model.backbone.init_cfg[
        'checkpoint'], SHIPPED_BACKBONE)
    other = tmp_path / 'other.pth'
    _ckpt(str(other), 1)
    monkeypatch.setenv('HOME', str(tmp_path))
    starts = {}
    for argv in ([], ['--scratch'], ['--pretrained', str(other)],
                 ['--pretrained', '~/other.pth']):
        args = parse(*argv)
        cfg = Config.fromfile(cfg_path)
        apply_start(cfg, args)
        init = cfg.model.backbone.init_cfg
        path, name = backbone_start(args)
        starts[tuple(argv)] = (init and init['checkpoint'], path, name)
    assert osp.samefile(starts[()][0], SHIPPED_BACKBONE)
    assert starts[()][1:] == (SHIPPED_BACKBONE,
                              osp.basename(SHIPPED_BACKBONE))
    assert starts[('--scratch', )] == (None, None,
                                       'random weights (from scratch)')
    expect = (str(other), str(other), 'other.pth')
    assert starts[('--pretrained', str(other))] == expect
    assert starts[('--pretrained', '~/other.pth')] == expect
    for argv, msg in (
            (['--scratch', '--pretrained', str(other)], 'not allowed with'),
            (['--pretrained', str(tmp_path / 'no.pth')], '--pretrained: no '
             'file')):
        assert msg in usage_error(parse, argv)


def test_apply_start_explicit_sets_a_random_config(repo_root):
    """A config whose own start is random (mmseg's PSPNet) gets the shipped
    backbone only when asked (``explicit``, PMM's PSPNets), and stays random
    under ``--scratch``."""
    import argparse

    from mmengine.config import Config

    from projects.common.recipe import SHIPPED_BACKBONE, apply_start
    path = osp.join(repo_root, 'configs', 'pmm', 'pspnet_r18-w32-d16_'
                    '1xb16-800it_synthetic-128x128_ce.py')
    default = argparse.Namespace(pretrained=None, scratch=False)
    scratch = argparse.Namespace(pretrained=None, scratch=True)
    inits = []
    for args, explicit in ((default, False), (default, True),
                           (scratch, True)):
        cfg = Config.fromfile(path)
        apply_start(cfg, args, explicit=explicit)
        inits.append(cfg.model.backbone.get('init_cfg'))
    assert inits[0] is None and inits[2] is None
    assert inits[1] == dict(type='Pretrained', checkpoint=SHIPPED_BACKBONE)


def usage_error(parse, argv) -> str:
    """The usage error ``parse(*argv)`` prints."""
    import contextlib
    import io
    err = io.StringIO()
    with contextlib.redirect_stderr(err), pytest.raises(SystemExit):
        parse(*argv)
    return err.getvalue()
