"""MILeHook under mmengine's Runner with mmpretrain's ImageClassifier (the
proxy pre-training configs) and with mmwsss's CAM classifier: phases at
exactly k1 / k2 steps, the teacher a frozen copy taken at the switch,
imitation targets = teacher sigmoid > threshold on the same batch, resume
mid-phase, mmpretrain's official tools/train.py."""
import copy
import os.path as osp
import re

import mmpretrain
import pytest
import torch
from mmengine.config import Config
from mmengine.hooks import Hook
from mmengine.registry import DefaultScope
from mmengine.runner import Runner

from mmwsss.datasets.synthetic import preset
from mmwsss.datasets.synthetic_proxy import write_proxy_dataset
from mmwsss.engine.hooks.mile_hook import CKPT_KEY, MILeHook, class_logits
from tests.utils import run_tool

MILE = 'configs/mile/imgcls_r18-w32-d16_1xb32-3k_proxy-128_mile.py'
MMPRETRAIN_TRAIN = osp.join(osp.dirname(mmpretrain.__file__), '.mim',
                            'tools', 'train.py')


@pytest.fixture(scope='module')
def proxy_root(tmp_path_factory):
    root = str(tmp_path_factory.mktemp('proxy') / 'proxy')
    write_proxy_dataset(root, preset('tiny', num_train=24, num_val=8),
                        show_progress=False)
    return root


def options(root, iters, k1=2, k2=3):
    return [
        f'train_dataloader.dataset.data_root={root}',
        f'val_dataloader.dataset.data_root={root}',
        f'test_dataloader.dataset.data_root={root}',
        'train_dataloader.num_workers=0', 'val_dataloader.num_workers=0',
        'test_dataloader.num_workers=0',
        'train_dataloader.persistent_workers=False',
        'val_dataloader.persistent_workers=False',
        'test_dataloader.persistent_workers=False',
        'train_dataloader.batch_size=4', f'train_cfg.max_iters={iters}',
        f'train_cfg.val_interval={iters}', 'default_hooks.logger.interval=1',
        'default_hooks.checkpoint.interval=1',
        f'custom_hooks.0.k1={k1}', f'custom_hooks.0.k2={k2}',
    ]


def build_cfg(repo_root, root, work, iters, **kw):
    cfg = Config.fromfile(osp.join(repo_root, MILE))
    cfg.merge_from_dict(dict(kv.split('=', 1) for kv in options(
        root, iters, **kw)), allow_list_keys=True)
    # --cfg-options parse values; merge_from_dict does not: fix the numbers
    for key in ('batch_size', ):
        cfg.train_dataloader[key] = 4
    for loader in ('train_dataloader', 'val_dataloader', 'test_dataloader'):
        cfg[loader].num_workers = 0
        cfg[loader].persistent_workers = False
    cfg.train_cfg.max_iters = iters
    cfg.train_cfg.val_interval = iters
    cfg.default_hooks.logger.interval = 1
    cfg.default_hooks.checkpoint.interval = 1
    cfg.default_hooks.checkpoint.max_keep_ckpts = -1
    cfg.custom_hooks[0].k1 = kw.get('k1', 2)
    cfg.custom_hooks[0].k2 = kw.get('k2', 3)
    cfg.work_dir = work
    return cfg


class Spy(Hook):
    """Runs after MILeHook: records what the model is about to train on."""

    priority = 'LOW'

    def __init__(self):
        self.rows = {}

    def before_train_iter(self, runner, batch_idx, data_batch=None):
        mile = next(h for h in runner.hooks if isinstance(h, MILeHook))
        model = runner.model
        samples = data_batch['data_samples']
        row = dict(
            model_w=model.backbone.stem[0].weight.detach().clone(),
            scored='gt_score' in samples[0],
            teacher_w=None if mile.teacher is None else
            mile.teacher.backbone.stem[0].weight.detach().clone())
        if row['scored']:
            with torch.no_grad():
                data = model.data_preprocessor(
                    dict(inputs=data_batch['inputs'],
                         data_samples=copy.deepcopy(samples)), True)
                z = class_logits(mile.teacher, data['inputs'])
            row['expected'] = (torch.sigmoid(z) > 0.5).float()
            row['targets'] = torch.stack([s.gt_score for s in samples])
        self.rows[runner.iter] = row


def run(cfg, resume_from=None):
    if resume_from:
        cfg.load_from = resume_from
        cfg.resume = True
    runner = Runner.from_cfg(cfg)
    spy = Spy()
    runner.register_hook(spy)
    runner.train()
    return runner, spy


def test_phases_teacher_and_targets(repo_root, proxy_root, tmp_path):
    cfg = build_cfg(repo_root, proxy_root, str(tmp_path / 'w'), 9)
    runner, spy = run(cfg)
    rows = spy.rows
    # k1 = 2 interaction, k2 = 3 imitation: iterations 2, 3, 4 and 7, 8
    assert [rows[i]['scored'] for i in range(9)] == [
        False, False, True, True, True, False, False, True, True]
    # the teacher is the model as it was at the switch ...
    assert torch.equal(rows[2]['teacher_w'], rows[2]['model_w'])
    assert torch.equal(rows[7]['teacher_w'], rows[7]['model_w'])
    # ... frozen during imitation while the model trains
    for i in (3, 4):
        assert torch.equal(rows[i]['teacher_w'], rows[2]['teacher_w'])
        assert not torch.equal(rows[i]['model_w'], rows[2]['model_w'])
    assert not torch.equal(rows[7]['teacher_w'], rows[2]['teacher_w'])
    # imitation targets: the teacher's sigmoid > 0.5 on the same batch
    for i in (2, 3, 4, 7, 8):
        assert torch.equal(rows[i]['targets'], rows[i]['expected'])
    teacher = next(h for h in runner.hooks if isinstance(h, MILeHook)).teacher
    assert all(not p.requires_grad and p.grad is None
               for p in teacher.parameters())
    assert not teacher.training
    scalars = runner.message_hub.log_scalars
    assert 'train/mile/labels' in scalars
    assert scalars['train/mile/imitation'].current() == 1.0


def test_resume_mid_imitation_restores_teacher(repo_root, proxy_root,
                                               tmp_path):
    work = str(tmp_path / 'w')
    _, first = run(build_cfg(repo_root, proxy_root, work, 6))
    ckpt = osp.join(work, 'iter_4.pth')
    saved = torch.load(ckpt, map_location='cpu', weights_only=False)
    assert saved[CKPT_KEY]['teacher_iter'] == 2
    assert (saved[CKPT_KEY]['k1'], saved[CKPT_KEY]['k2']) == (2, 3)
    # resume at iteration 4 = step 2 of the imitation phase begun at 2
    _, again = run(build_cfg(repo_root, proxy_root, str(tmp_path / 'r'), 6),
                   resume_from=ckpt)
    assert sorted(again.rows) == [4, 5]
    assert again.rows[4]['scored'] and not again.rows[5]['scored']
    assert torch.equal(again.rows[4]['teacher_w'], first.rows[2]['teacher_w'])
    assert torch.equal(again.rows[4]['model_w'], first.rows[4]['model_w'])
    assert torch.equal(again.rows[4]['targets'], again.rows[4]['expected'])
    # a checkpoint without the teacher cannot resume mid-imitation
    del saved[CKPT_KEY]
    bare = str(tmp_path / 'bare.pth')
    torch.save(saved, bare)
    with pytest.raises(RuntimeError, match='no teacher'):
        run(build_cfg(repo_root, proxy_root, str(tmp_path / 'b'), 6),
            resume_from=bare)


def test_official_mmpretrain_train_tool(repo_root, proxy_root, tmp_path):
    work = str(tmp_path / 'w')
    log = run_tool(repo_root, MMPRETRAIN_TRAIN, MILE, '--work-dir', work,
                   '--cfg-options', *options(proxy_root, 6))
    imitation = re.findall(r'Iter\(train\) \[\s*(\d+)/6\].*?mile/imitation: '
                           r'([01]\.\d+)', log)
    # logged iterations are 1-based: runner.iter 2, 3, 4 imitate
    assert [float(v) for _, v in imitation] == [0, 0, 1, 1, 1, 0]
    # validation on the hidden multi-labels
    assert re.search(r'multi-label/mAP: [\d.]+', log)
    assert re.search(r'multi-label/f1-score\S*: [\d.]+', log)
    assert osp.isfile(osp.join(work, 'iter_6.pth'))


def test_cam_classifier_targets_are_gt_img_labels(repo_root):
    """With mmwsss's CAM classifier the imitation targets replace
    gt_img_labels (what its loss reads)."""
    from mmseg.registry import MODELS

    from mmwsss.engine.hooks.mile_hook import given_targets, set_targets
    from tests.test_models.test_losses.test_isl_fsl_loss import samples
    cfg = Config.fromfile(osp.join(
        repo_root, 'configs/cam/cam_r18-w32-d16_1xb16-1500it_synthetic-'
        '128x128.py'))
    with DefaultScope.overwrite_default_scope('mmseg'):
        model = MODELS.build(cfg.model).eval()
    x = torch.randn(2, 3, 64, 64)
    z = class_logits(model, x)
    assert z.shape == (2, 10)
    assert torch.allclose(torch.sigmoid(z),
                          model.class_scores(model._forward(x)))
    batch = samples(2)
    given = given_targets(batch, 10)
    assert torch.equal(given, torch.stack([s.gt_img_labels for s in batch]))
    new = torch.zeros(2, 10)
    new[0, 3] = 1
    set_targets(batch, new)
    assert torch.equal(torch.stack([s.gt_img_labels for s in batch]), new)


def test_bad_settings_are_named():
    with pytest.raises(ValueError, match='k1'):
        MILeHook(k1=0)
    with pytest.raises(ValueError, match='threshold'):
        MILeHook(threshold=1.5)
    with pytest.raises(ValueError, match='temperature'):
        MILeHook(sample=True, temperature=0)
