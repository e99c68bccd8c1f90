"""Every config that trains a model works with OpenMMLab's own clients.

mmseg's official tools and ``mmseg.apis`` read the config and nothing else,
so each config must import mmwsss itself (the checkpoint loader for
torch >= 2.6, the registered types), give ``--tta`` a pipeline and a TTA
model, and give ``--out`` one evaluator dict to set ``output_dir`` on.
"""
import glob
import os.path as osp

import pytest
from mmengine.config import Config

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
CONFIGS = sorted(
    p for p in glob.glob(osp.join(ROOT, 'configs', '**', '*.py'),
                         recursive=True) +
    glob.glob(osp.join(ROOT, 'projects', '*', 'configs', '*.py'))
    if osp.sep + '_base_' + osp.sep not in p)


def _is_rule(path: str) -> bool:
    """A pseudo-label rule (``pseudo_label_cfg`` for
    tools/make_pseudo_labels.py), not a training run."""
    with open(path) as f:
        text = f.read()
    return 'pseudo_label_cfg = ' in text and '\nmodel = ' not in text and \
        'models/' not in text


RULE_CONFIGS = [p for p in CONFIGS if _is_rule(p)]
# backbone pre-training (mmpretrain ImageClassifier, mmpretrain's tools)
PRETRAIN_CONFIGS = [p for p in CONFIGS
                    if osp.basename(osp.dirname(p)) == 'mile']
MODEL_CONFIGS = [p for p in CONFIGS
                 if p not in RULE_CONFIGS and p not in PRETRAIN_CONFIGS]


def test_the_lists_are_not_empty():
    assert len(MODEL_CONFIGS) > 30 and len(RULE_CONFIGS) >= 10
    for path in RULE_CONFIGS:
        cfg = Config.fromfile(path, import_custom_modules=False)
        assert 'model' not in cfg and cfg.pseudo_label_cfg, path


@pytest.mark.parametrize('path', PRETRAIN_CONFIGS,
                         ids=lambda p: osp.relpath(p, ROOT))
def test_pretrain_config_is_an_mmpretrain_config(path):
    """Pre-training configs run under mmpretrain's scope and tools, import
    mmwsss (MILeHook) and save atomically like every training config."""
    cfg = Config.fromfile(path, import_custom_modules=False)
    assert cfg.default_scope == 'mmpretrain'
    assert cfg.model.type == 'ImageClassifier'
    assert 'mmwsss' in cfg.custom_imports.imports
    assert cfg.default_hooks.checkpoint.type == 'mmseg.AtomicCheckpointHook'
    assert cfg.default_hooks.strict_load.type == 'mmseg.StrictLoadHook'
    assert cfg.default_hooks.sync_buffers.type == 'mmseg.BufferSyncHook'
    hooks = [h.type for h in cfg.get('custom_hooks', [])]
    assert ('mmseg.MILeHook' in hooks) == path.endswith('_mile.py')
    # MILe and the sigmoid recipe: a sigmoid head (one-hot targets)
    sigmoid = cfg.model.head.type == 'MultiLabelLinearClsHead'
    assert sigmoid == (not path.endswith('_softmax.py'))
    if sigmoid:
        assert cfg.model.head.loss.use_sigmoid


@pytest.mark.parametrize('path', MODEL_CONFIGS,
                         ids=lambda p: osp.relpath(p, ROOT))
def test_config_works_with_mmseg_clients(path):
    cfg = Config.fromfile(path, import_custom_modules=False)
    assert 'mmwsss' in cfg.get('custom_imports', {}).get('imports', []), \
        'no custom_imports of mmwsss: mmseg tools cannot load checkpoints'
    if cfg.model.type == 'AffinityNet':
        # predicts pair affinities, not masks: nothing for test.py to score
        assert cfg.val_cfg is None and cfg.get('test_cfg') is None
        return
    assert 'tta_pipeline' in cfg and 'tta_model' in cfg
    assert isinstance(cfg.test_evaluator, dict), \
        "mmseg's test.py --out needs one evaluator dict (MetricList)"
    if cfg.model.type in ('CAMClassifier', 'MultiCropCAMClassifier',
                          'SEAMClassifier', 'SingleStageSegmentor',
                          'RCMMAMClassifier'):
        assert cfg.tta_model.type == 'WSSSTTAModel'
        pack = cfg.tta_pipeline[-1].transforms[-1][0].type
        assert pack == 'PackWSSSInputs'
    else:
        assert cfg.tta_model.type == 'SegTTAModel'


@pytest.mark.parametrize('path', CONFIGS, ids=lambda p: osp.relpath(p, ROOT))
def test_config_name_follows_openmmlab_convention(path):
    """``{algorithm}_{backbone}_{NxB}-{schedule}_{dataset}-{size}[_{tag}]``
    (mmseg's naming), with ``-`` inside a field and ``_`` between."""
    name = osp.splitext(osp.basename(path))[0]
    fields = name.split('_')
    if path in RULE_CONFIGS:
        # a pseudo-label rule: {rule}_{settings}_{dataset}
        assert len(fields) == 3 and fields[2] in (
            'synthetic', 'voc12aug', 'coco2014'), name
        return
    assert len(fields) >= 4, name
    assert fields[2][0].isdigit() and 'x' in fields[2].split('-')[0], name


@pytest.mark.parametrize('path', MODEL_CONFIGS + PRETRAIN_CONFIGS,
                         ids=lambda p: osp.relpath(p, ROOT))
def test_schedule_token_is_the_schedule(path):
    """One schedule token: ``[Rx]{N}k`` when N is whole thousands of
    iterations, else ``[Rx]{N}it`` (R rounds of N); it equals
    ``train_cfg.max_iters``."""
    import re
    name = osp.splitext(osp.basename(path))[0]
    token = name.split('_')[2].split('-', 1)[1]
    m = re.fullmatch(r'(?:(\d+)x)?(\d+)(k|it)', token)
    assert m, f'{name}: schedule token {token!r}'
    rounds = int(m.group(1) or 1)
    n = int(m.group(2)) * (1000 if m.group(3) == 'k' else 1)
    if m.group(3) == 'it':
        assert n % 1000, f'{name}: write {n // 1000}k'
    cfg = Config.fromfile(path, import_custom_modules=False)
    assert rounds * n == cfg.train_cfg.max_iters, name


def test_every_config_path_mentioned_exists():
    """Config paths named in configs, READMEs and docs exist (abbreviated
    names with '...' are left out)."""
    import re
    texts = glob.glob(osp.join(ROOT, 'configs', '**', '*.py'),
                      recursive=True) + glob.glob(
        osp.join(ROOT, 'projects', '**', '*.py'), recursive=True) + glob.glob(
        osp.join(ROOT, '**', '*.md'), recursive=True)
    pattern = re.compile(r'(?:projects/[a-z_]+/configs|configs/[A-Za-z0-9_]+)'
                         r'/[A-Za-z0-9_.-]+\.py')
    named = set()
    for path in texts:
        if osp.relpath(path, ROOT).split(osp.sep)[0] in ('.venv', 'build',
                                                         'data', 'work_dirs'):
            continue
        with open(path) as f:
            named |= {(m, path) for m in pattern.findall(f.read())
                      if '...' not in m}
    assert len(named) > 10
    missing = sorted((m, osp.relpath(p, ROOT)) for m, p in named
                     if not osp.isfile(osp.join(ROOT, m)))
    assert not missing, missing


@pytest.mark.parametrize('path', MODEL_CONFIGS,
                         ids=lambda p: osp.relpath(p, ROOT))
def test_checkpoints_are_saved_atomically(path):
    """Every shipped training config saves with AtomicCheckpointHook (a kill
    during a save never loses the last checkpoint)."""
    cfg = Config.fromfile(path, import_custom_modules=False)
    assert cfg.default_hooks.checkpoint.type == 'AtomicCheckpointHook'
    # issue 15.3 / 15.13: checkpoints must fit the model (mmseg's
    # tools/test.py too); ranks keep the same BatchNorm statistics
    assert cfg.default_hooks.strict_load.type == 'StrictLoadHook'
    assert cfg.default_hooks.sync_buffers.type == 'BufferSyncHook'


@pytest.mark.parametrize('path', MODEL_CONFIGS,
                         ids=lambda p: osp.relpath(p, ROOT))
def test_training_masks_are_checked(path):
    """Issue 15.11: every shipped training config checks its masks' values
    against the head (NumClassCheckHook), so a bad mask is named instead
    of torch's "Target N is out of bounds"."""
    cfg = Config.fromfile(path, import_custom_modules=False)
    types = [h['type'] for h in cfg.get('custom_hooks', [])]
    assert 'NumClassCheckHook' in types
