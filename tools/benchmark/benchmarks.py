"""The registered benchmarks. Each is a dict entry: variants (the first is
the named baseline), a setup that prepares inputs once per child process
(untimed) and a run that does the measured work and returns items done."""
import os.path as osp

import numpy as np

HERE = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))

CAM_CONFIG = osp.join(HERE, 'configs', 'cam',
                      'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py')
RCM_MAM_CONFIG = osp.join(
    HERE, 'configs', 'rcm_mam',
    'rcm-mam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py')
AFFINITY_CONFIG = osp.join(
    HERE, 'configs', 'affinity',
    'affinitynet_r18-w32-d16_1xb16-800it_synthetic-128x128.py')


def _build_model(config, test_cfg=None, model_type=None):
    """A model of ``config`` (seed 0), optionally with test_cfg changes
    and another segmentor ``model_type``."""
    import torch
    from mmengine.config import Config
    from mmengine.registry import init_default_scope
    from mmseg.registry import MODELS

    import mmwsss  # noqa: F401
    init_default_scope('mmseg')
    cfg = Config.fromfile(config)
    if test_cfg:
        cfg.model.test_cfg.update(test_cfg)
    if model_type:
        cfg.model.type = model_type
    torch.manual_seed(0)
    return MODELS.build(cfg.model)


# ---------------------------------------------------------------- CAM infer
def _cam_setup(variant, work):
    import torch
    test_cfg = dict(
        scales=(1.0, ) if variant == 'single-scale' else
        (0.5, 1.0, 1.5, 2.0), flip=variant != 'single-scale',
        restrict=None)
    model_type = None
    if variant.startswith('multi-crop'):  # PMM, configs/pmm/cam_r18-...
        model_type = 'MultiCropCAMClassifier'
        test_cfg.update(
            scales=(0.75, 1.0, 1.25, 1.5, 1.75, 2.0), crop_size=96,
            stride=64, resize_crops=True, flip=True)
    model = _build_model(CAM_CONFIG, test_cfg, model_type).eval()
    imgs = [torch.rand(1, 3, 128, 128) * 255 for _ in range(32)]
    return model, imgs


def _cam_run(state):
    import torch
    model, imgs = state
    with torch.no_grad():
        for x in imgs:
            x = model.data_preprocessor(dict(inputs=[x[0]]))['inputs']
            model.infer_cams(x)
    return len(imgs)


# ------------------------------------------------ generate_cams (issue 20)
def _gen_setup(variant, work):
    import torch
    from mmengine.config import Config
    from mmseg.registry import DATASETS

    from mmwsss.datasets.synthetic import preset, write_synthetic_dataset
    data = osp.join(work, 'data')
    write_synthetic_dataset(data, preset('default', num_train=8,
                                         num_val=160), show_progress=False)
    model = _build_model(CAM_CONFIG, dict(scales=(1.0, ), flip=False,
                                          restrict='gt')).eval()
    torch.manual_seed(0)
    cfg = Config.fromfile(CAM_CONFIG).test_dataloader.dataset
    cfg.data_root = data
    cfg.pipeline = [dict(type='LoadImageFromFile'),
                    dict(type='PackWSSSInputs')]
    workers = int(variant.split('workers ')[1][0])
    batch = int(variant.split('batch ')[1].split()[0])
    return model, DATASETS.build(cfg), osp.join(work, 'cams'), workers, batch


def _gen_run(state):
    import shutil

    from mmwsss.apis import generate_cams
    model, ds, out, workers, batch = state
    shutil.rmtree(out, ignore_errors=True)
    generate_cams(model, ds, out, num_workers=workers, batch_size=batch,
                  show_progress=False)
    return len(ds)


# ---------------------------------------------------------------- CRF labels
def _crf_setup(variant, work, n=None):
    import cv2

    import mmwsss  # noqa: F401
    from mmwsss.utils.cam_io import save_cam_file
    from mmwsss.utils.io import save_jpeg
    size, nproc = variant.split('/')
    h, w = (128, 128) if size == '128px' else (375, 500)
    # enough images to amortise the start-up of the worker processes
    # (each imports torch + mmseg: ~3 s), as on a real split
    n = n or (400 if size == '128px' else 40)
    rng = np.random.RandomState(0)
    items = []
    for i in range(n):
        img = rng.randint(0, 255, (h, w, 3)).astype(np.uint8)
        img = cv2.GaussianBlur(img, (0, 0), 3)
        keys = np.array([2, 7, 14])
        cams = np.stack([
            cv2.GaussianBlur(rng.rand(h // 16, w // 16).astype(np.float32),
                             (0, 0), 1) for _ in keys])
        cams = np.stack([cv2.resize(c, (w, h)) for c in cams])
        cams /= cams.max(axis=(1, 2), keepdims=True)
        name = f'b{i:03d}'
        save_jpeg(osp.join(work, 'img', name + '.jpg'), img)
        save_cam_file(osp.join(work, 'cams', name + '.npz'), cams, keys,
                      np.zeros(20))
        items.append(dict(name=name,
                          img_path=osp.join(work, 'img', name + '.jpg'),
                          cam_path=osp.join(work, 'cams', name + '.npz')))
    return items, int(nproc[0]), work


def _labels_run(state, **rule):
    import shutil

    from mmwsss.apis import make_pseudo_labels
    items, nproc, work = state
    out = osp.join(work, 'out')
    shutil.rmtree(out, ignore_errors=True)
    make_pseudo_labels(items, out, 21, [[0, 0, 0]] * 21, nproc=nproc,
                       show_progress=False, **rule)
    return len(items)


def _crf_run(state):
    return _labels_run(state, bg_alpha=4.0,
                       refiners=[dict(type='DenseCRF', preset='psa')])


def _ppmg_run(state):
    return _labels_run(state, generator=dict(type='PPMG'))


def _refiner_setup(variant, work):
    """CRF vs random walk on the same images, one process; the
    AffinityNet (synthetic config, initial weights: the cost does not
    depend on them) saved as a checkpoint."""
    import torch
    size = variant.split('/')[0]
    items, _, work = _crf_setup(f'{size}/1', work,
                                n=100 if size == '128px' else 10)
    model = _build_model(AFFINITY_CONFIG)
    model.init_weights()
    ckpt = osp.join(work, 'affinitynet.pth')
    torch.save(dict(state_dict=model.state_dict(), meta={}), ckpt)
    rw = dict(type='AffinityRandomWalk', config=AFFINITY_CONFIG,
              checkpoint=ckpt, beta=8, logt=6)
    crf = dict(type='DenseCRF', preset='psa')
    rule = {'CRF': dict(bg_alpha=4.0, refiners=[crf]),
            'RW': dict(bg_alpha=6.0, refiners=[rw]),
            'RW + CRF': dict(bg_alpha=6.0, refiners=[
                rw, dict(crf, iterations=1)])}[variant.split('/')[1]]
    return (items, 1, work), rule


def _refiner_run(state):
    state, rule = state
    return _labels_run(state, **rule)


def _refiner_bench(title, size):
    return dict(title=title, unit='images/s',
                variants=[f'{size}/CRF', f'{size}/RW', f'{size}/RW + CRF'],
                setup=_refiner_setup, run=_refiner_run)


def _walk_setup(variant, work):
    """The walk alone (logt 6, beta 8, 21 classes) on a random embedding
    of the grid a variant names."""
    import torch

    import mmwsss  # noqa: F401
    torch.manual_seed(0)
    h, w = {'VOC stride 8': (47, 63), 'VOC stride 4': (94, 125),
            'COCO stride 4': (120, 160)}[variant.split(',')[0]]
    feat = torch.rand(1, 16, h, w)
    cams = torch.rand(1, 21, h, w)
    return variant, feat, cams


def _walk_run(state):
    from mmwsss.functional.affinity_ops import (dense_from_graph,
                                                feature_graph,
                                                graph_random_walk,
                                                random_walk,
                                                transition_matrix)
    variant, feat, cams = state
    aff, src, dst = feature_graph(feat, 5, 'psa')
    if variant.split(',')[1].strip().startswith('dense'):
        cells = feat.shape[2] * feat.shape[3]
        random_walk(cams, transition_matrix(
            dense_from_graph(aff, src, dst, cells), 8.0, 6))
    else:
        graph_random_walk(cams, aff, src, dst, 8.0, 6)
    return 1


def _labels_bench(title, size, run):
    """A pseudo-label benchmark: 1 vs 2 worker processes."""
    return dict(title=title, unit='images/s',
                variants=[f'{size}/1 process', f'{size}/2 processes'],
                setup=_crf_setup, run=run)


# ---------------------------------------------------------------- PAMR
def _pamr_setup(variant, work):
    import torch

    import mmwsss  # noqa: F401
    torch.manual_seed(0)
    size = int(variant.split('x')[0])
    img = torch.rand(1, 3, size, size) * 255
    masks = torch.softmax(torch.randn(1, 21, size, size), 1)
    return img, masks


def _pamr_run(state):
    from mmwsss.models.refiners.pamr import pamr
    img, masks = state
    for _ in range(5):
        pamr(img, masks, num_iter=10)
    return 5


# ------------------------------------------- single-stage losses (issue 20)
def _ss_setup(variant, work):
    import torch

    import mmwsss  # noqa: F401
    torch.manual_seed(0)
    n, c = 16, 21
    # VOC-like labels: 1-2 classes per image (+ background)
    labels = torch.zeros(n, c - 1)
    for i in range(n):
        labels[i, torch.randperm(c - 1)[:1 + i % 2]] = 1
    keep = torch.cat([torch.ones(n, 1), labels], 1)
    if variant.startswith('PAMR'):
        img = torch.rand(n, 3, 81, 81) * 255
        masks = torch.softmax(torch.randn(n, c, 81, 81), 1)
        return 'pamr', img, masks, keep, 'kept' in variant
    masks = torch.softmax(torch.randn(n, c, 321, 321) * 3, 1) * \
        keep[..., None, None]
    logits = torch.randn(n, c, 41, 41)
    return ('ce-onehot' if 'one-hot' in variant else 'ce'), masks, logits, \
        labels


def _ss_run(state):
    import torch
    import torch.nn.functional as F

    from mmwsss.functional import single_stage_ops as ops
    from mmwsss.models.refiners.pamr import (PAMR_DILATIONS, _pamr_iterate,
                                             pamr, pamr_affinity_stacked)
    kind, *rest = state
    if kind == 'pamr':
        img, masks, keep, kept_only = rest
        if kept_only:
            pamr(img, masks, 10, keep=keep)
        else:   # the former code: stacked affinity, all channels, zeroed
            _pamr_iterate(masks, pamr_affinity_stacked(img), 10,
                          PAMR_DILATIONS) * keep[..., None, None]
        return 1
    masks, logits, labels = rest
    if kind == 'ce-onehot':   # the former path: float argmax, one-hot eq. 23
        flat = masks.flatten(2)
        peak = flat.max(-1, keepdim=True)[0]
        cut = torch.full_like(peak, ops.FG_CUTOFF)
        cut[:, :1] = ops.BG_CUTOFF
        claimed = flat > (peak * cut).clamp(min=ops.CUTOFF_FLOOR)
        label = claimed.float().argmax(1)
        label[claimed.sum(1) != 1] = 255
        label = label.view(masks.shape[0], *masks.shape[2:])
        seg = F.interpolate(logits, size=label.shape[-2:], mode='bilinear',
                            align_corners=True)
        w, counts = ops.balanced_ce_weights_onehot(label, seg.shape[1])
        ce = F.cross_entropy(seg, label, ignore_index=255, reduction='none')
        (w * ce).flatten(1).mean(-1).mean()
    else:
        label = ops.pseudo_gt_from_masks(masks)
        ops.balanced_mask_ce(logits, label, labels)
    return 1


# ---------------------------------------------------------------- train step
SINGLE_STAGE_CONFIG = osp.join(
    HERE, 'configs', 'single_stage',
    'single-stage_r18-w32-d16_1xb16-1500it_synthetic-128x128.py')


def _step_config(variant):
    """The config a training-step variant builds."""
    rcm_mam = {'RCM + MAM': '', 'RCM only': '_rcm', 'MAM only': '_mam'}
    if variant in rcm_mam:
        return RCM_MAM_CONFIG.replace('.py', f'{rcm_mam[variant]}.py')
    if variant.startswith('CAM'):
        if 'Puzzle' in variant:
            return PUZZLE_CONFIG
        if 'Consistency' in variant:
            return CONSISTENCY_CONFIG
        return HFPL_CONFIG if 'ISL' in variant else CAM_CONFIG
    return HFPL_SS_CONFIG if 'ISL' in variant else SINGLE_STAGE_CONFIG


def _step_setup(variant, work):
    import torch
    from mmseg.structures import SegDataSample
    import random
    random.seed(0)  # the views Consistency-CAM draws
    if variant.startswith('AffinityNet'):
        return _affinity_step_setup()
    path = _step_config(variant)
    model = _build_model(path)
    model.init_weights()
    model.train()
    samples = []
    for i in range(16):
        s = SegDataSample()
        lab = torch.zeros(10)
        lab[[i % 10, (i + 3) % 10]] = 1
        s.set_data(dict(gt_img_labels=lab))
        samples.append(s)
    data = model.data_preprocessor(dict(
        inputs=list(torch.rand(16, 3, 128, 128) * 255),
        data_samples=samples), True)
    opt = torch.optim.AdamW(model.parameters(), 1e-3)
    if hasattr(model, 'seg_loss_enabled'):
        model.seg_loss_enabled = 'classification' not in variant
    _train_steps(model, data, opt, 1)     # untimed warm-up (allocator)
    return model, data, opt


def _affinity_step_setup():
    """AffinityNet on affinity labels: two regions per image, a band of
    255 between them (the shape of PSA's fused labels)."""
    import torch
    from mmengine.structures import PixelData
    from mmseg.structures import SegDataSample
    model = _build_model(AFFINITY_CONFIG)
    model.init_weights()
    model.train()
    samples = []
    for i in range(16):
        lab = torch.zeros(1, 128, 128, dtype=torch.long)
        lab[:, :, 64 + i:] = 1 + i % 10
        lab[:, :, 56 + i:64 + i] = 255
        s = SegDataSample()
        s.gt_sem_seg = PixelData(data=lab)
        samples.append(s)
    data = model.data_preprocessor(dict(
        inputs=list(torch.rand(16, 3, 128, 128) * 255),
        data_samples=samples), True)
    opt = torch.optim.AdamW(model.parameters(), 1e-3)
    _train_steps(model, data, opt, 1)     # untimed warm-up (allocator)
    return model, data, opt


def _train_steps(model, data, opt, steps: int) -> None:
    for _ in range(steps):
        losses = model.loss(data['inputs'], data['data_samples'])
        opt.zero_grad()
        sum(losses.values()).backward()
        opt.step()


MILE_CONFIG = osp.join(HERE, 'configs', 'mile',
                       'imgcls_r18-w32-d16_1xb32-3k_proxy-128_mile.py')


def _mile_setup(variant, work):
    """An mmpretrain ``ImageClassifier`` of the MILe config, its optimizer
    wrapper and a batch (one given label per image); for the imitation
    variant a MILeHook holding the teacher it took at the phase switch,
    on a stand-in runner one step into the imitation phase."""
    import types

    import torch
    from mmengine.config import Config
    from mmengine.logging import MessageHub
    from mmengine.optim import OptimWrapper
    from mmengine.registry import init_default_scope
    from mmpretrain.registry import MODELS
    from mmpretrain.structures import DataSample

    import mmwsss  # noqa: F401
    from mmwsss.engine.hooks import MILeHook
    init_default_scope('mmpretrain')
    cfg = Config.fromfile(MILE_CONFIG)
    torch.manual_seed(0)
    model = MODELS.build(cfg.model)
    model.train()
    optim = OptimWrapper(torch.optim.SGD(model.parameters(), lr=0.01,
                                         momentum=0.9))
    g = torch.Generator().manual_seed(0)
    data = dict(
        inputs=[torch.randint(0, 256, (3, 128, 128), generator=g,
                              dtype=torch.uint8) for _ in range(32)],
        data_samples=[DataSample().set_gt_label(i % 25) for i in range(32)])
    hook = None
    if variant.startswith('MILe'):
        k = [h for h in cfg.custom_hooks if h['type'].endswith('MILeHook')]
        args = {a: v for a, v in k[0].items() if a != 'type'}
        hook = MILeHook(**args)
        runner = types.SimpleNamespace(
            model=model, iter=hook.k1,
            message_hub=MessageHub.get_current_instance())
        hook.before_train_iter(runner, 0, data)       # takes the teacher
        runner.iter = hook.k1 + 1
        hook = (hook, runner)
    state = (model, optim, data, hook)
    _mile_run(state)                      # untimed warm-up
    return state


def _mile_run(state):
    model, optim, data, hook = state
    if hook is not None:
        hook[0].before_train_iter(hook[1], 1, data)
    model.train_step(data, optim)
    return len(data['inputs'])


def _one_step(state):
    _train_steps(*state, 1)
    return 16


def _step_run(state):
    model, data, opt = state
    steps = 10
    _train_steps(model, data, opt, steps)
    return steps * 16


# ---------------------------------------------------------------- FSL
def _fsl_setup(variant, work):
    import torch

    import mmwsss  # noqa: F401
    torch.manual_seed(0)
    r = torch.rand(8, 21, 56, 56, requires_grad='backward' in variant)
    img = torch.rand(8, 3, 56, 56)
    return variant, r, img


def _fsl_run(state):
    import functools

    from mmwsss.functional.hfpl_ops import (
        feature_similarity_loss, feature_similarity_loss_autograd,
        feature_similarity_loss_dense)
    variant, r, img = state
    if variant.startswith('dense'):
        fn = feature_similarity_loss_dense
    elif 'former' in variant:   # per-offset autograd graphs, R = 19
        fn = functools.partial(feature_similarity_loss_autograd, radius=19)
    else:                       # closed-form gradient, default R = 23
        fn = feature_similarity_loss
    for _ in range(2):
        loss = fn(r, img)
        if 'backward' in variant:
            loss.backward()
    return 2


HFPL_CONFIG = osp.join(
    HERE, 'configs', 'hfpl',
    'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_isl-fsl.py')
PUZZLE_CONFIG = osp.join(
    HERE, 'configs', 'consistency_cam',
    'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_puzzle.py')
CONSISTENCY_CONFIG = osp.join(
    HERE, 'configs', 'consistency_cam',
    'cam_r18-w32-d16_1xb16-1500it_synthetic-128x128_consistency.py')
HFPL_SS_CONFIG = osp.join(
    HERE, 'configs', 'hfpl',
    'single-stage_r18-w32-d16_1xb16-1500it_synthetic-128x128_isl-fsl.py')


BENCHMARKS = {
    'cam_inference': dict(
        title='CAM inference, 128 px, batch 1 (CPU CAM classifier)',
        unit='images/s',
        variants=['single-scale', 'scales 0.5-2.0 + flip',
                  'multi-crop 0.75-2.0, crop 96, stride 64 + flip'],
        setup=_cam_setup, run=_cam_run),
    'gen_cams': dict(
        title='generate_cams on 160 synthetic images (128 px, the CPU CAM '
        'classifier, single scale): load / forward / save in turn vs '
        'DataLoader workers prefetching, same-size batches, a writer thread',
        unit='images/s',
        variants=['workers 0, batch 1 (load, then forward)',
                  'workers 2, batch 1', 'workers 2, batch 8'],
        setup=_gen_setup, run=_gen_run),
    'crf_pseudo_labels_128': _labels_bench(
        'CRF pseudo-labels (psa preset), 128 px, 3 classes', '128px',
        _crf_run),
    'crf_pseudo_labels_voc': _labels_bench(
        'CRF pseudo-labels (psa preset), 500x375 (VOC size), 3 classes',
        'voc', _crf_run),
    'ppmg_pseudo_labels_128': _labels_bench(
        'PPMG pseudo-labels (CVS + one 2-label CRF per class, PMM preset), '
        '128 px, 3 classes', '128px', _ppmg_run),
    'ppmg_pseudo_labels_voc': _labels_bench(
        'PPMG pseudo-labels, 500x375 (VOC size), 3 classes', 'voc',
        _ppmg_run),
    'refiners_128': _refiner_bench(
        'CRF vs random walk (PSA), 128 px, 3 classes, 1 process: '
        'CRF (psa, alpha 4) / RW (alpha 6, beta 8, logt 6; half-width '
        'ResNet-18 AffinityNet, 16x16 grid) / RW + 1 CRF iteration',
        '128px'),
    'refiners_voc': _refiner_bench(
        'CRF vs random walk (PSA), 500x375 (VOC size), 3 classes, 1 '
        'process: the same; RW (sparse) on a 63x47 grid (2,961 cells)',
        'voc'),
    'random_walk': dict(
        title='Random walk alone (beta 8, logt 6, 21 classes, radius 5): '
        "PSA's dense matrix powers vs the sparse walk, per image",
        unit='images/s',
        variants=['VOC stride 8, dense (2,961 cells)',
                  'VOC stride 8, sparse',
                  'VOC stride 4, sparse (11,750 cells; dense: 0.55 GB '
                  'per matrix)',
                  'COCO stride 4, sparse (640 x 480: 19,200 cells; '
                  'dense: 1.5 GB per matrix)'],
        setup=_walk_setup, run=_walk_run),
    'pamr': dict(
        title='PAMR (10 iterations, dilations 1-24, 21 classes, batch 1)',
        unit='calls/s',
        variants=['128x128', '321x321'],
        setup=_pamr_setup, run=_pamr_run),
    'train_step': dict(
        title='Training step, batch 16 at 128 px, half-width ResNet-18 '
        '(CPU), each run in a fresh process (10 steps after a warm-up one; '
        'from process to process a variant varies by up to ~15 %, so the '
        'overheads of a few per cent are measured in the paired sections '
        'below)',
        unit='images/s',
        variants=['CAM classifier', 'CAM classifier + ISL + FSL (HFPL)',
                  'CAM classifier + Puzzle-CAM (2 x 2 tiles)',
                  'CAM classifier + Consistency-CAM (random grid, flip, '
                  'rescale)',
                  'single-stage, classification warm-up',
                  'single-stage, full (PAMR + pseudo-GT + seg loss)',
                  'single-stage, full + ISL + FSL (HFPL)'],
        setup=_step_setup, run=_step_run),
    'hfpl_overhead_cam': dict(
        title='Overhead of ISL + FSL (HFPL) on the CAM classifier training '
        'step, both models in one process, steps alternated (median of 20 '
        'steps each), batch 16 at 128 px, half-width ResNet-18 (CPU)',
        unit='images/s',
        variants=['CAM classifier', 'CAM classifier + ISL + FSL (HFPL)'],
        paired=20, setup=_step_setup, run=_one_step),
    'hfpl_overhead_single_stage': dict(
        title='Overhead of ISL + FSL (HFPL) on the single-stage training '
        'step (PAMR + pseudo-GT + seg loss), both models in one process, '
        'steps alternated (median of 20 steps each), batch 16 at 128 px, '
        'half-width ResNet-18 (CPU)',
        unit='images/s',
        variants=['single-stage, full', 'single-stage, full + ISL + FSL '
                  '(HFPL)'],
        paired=20, setup=_step_setup, run=_one_step),
    'mile_step': dict(
        title='MILe pre-training step (issue 19): an imitation step (the '
        'frozen teacher labels the batch, then the step) beside a plain '
        'sigmoid-BCE step, mmpretrain ImageClassifier, half-width '
        'ResNet-18, batch 32 at 128 px, 25 classes, both in one process, '
        'steps alternated (median of 10 steps each) (CPU)',
        unit='images/s',
        variants=['sigmoid BCE step (interaction)',
                  'MILe imitation step (teacher forward + step)'],
        paired=10, setup=_mile_setup, run=_mile_run),
    'rcm_mam_step': dict(
        title='RCM + MAM training step (MainNet F and EMA SupportNet G, '
        'both at scales 0.5 / 1 / 2; G under no_grad) beside the CAM '
        'classifier step, batch 16 at 128 px, half-width ResNet-18 (CPU)',
        unit='images/s',
        variants=['CAM classifier', 'RCM + MAM', 'RCM only', 'MAM only'],
        setup=_step_setup, run=_step_run),
    'affinity_step': dict(
        title='AffinityNet training step (PSA loss, radius 5, 34 offsets) '
        'beside the CAM classifier step, batch 16 at 128 px, half-width '
        'ResNet-18 (CPU)',
        unit='images/s',
        variants=['CAM classifier', 'AffinityNet'],
        setup=_step_setup, run=_step_run),
    'single_stage_losses': dict(
        title='Single-stage hot path (issue 20): PAMR inside training '
        '(batch 16, 21 classes, 81 x 81 masks, 10 iterations) and pseudo-GT '
        '+ class-balanced CE (batch 16, 21 classes, 321 x 321), former vs '
        'current code',
        unit='calls/s',
        variants=['PAMR, stacked affinity, all 21 channels then zeroed '
                  '(former)',
                  'PAMR, tap-by-tap affinity, kept channels only '
                  '(background + labels)',
                  'pseudo-GT + balanced CE, float argmax + one-hot (former)',
                  'pseudo-GT + balanced CE, byte argmax + bincount'],
        setup=_ss_setup, run=_ss_run),
    'fsl': dict(
        title='FSL loss (HFPL), 56x56, batch 8, 21 channels: the former '
        'windowed code (autograd through every offset, R = 19 = 3.72 sigma) '
        'vs the closed-form gradient (R = 23 = 4.5 sigma); the dense row is '
        'mmwsss\'s own all-pairs formula, not the HFPL authors\' code',
        unit='calls/s',
        variants=['windowed, former autograd, forward + backward (R = 19)',
                  'windowed, closed-form gradient, forward + backward '
                  '(R = 23)',
                  'windowed, closed-form, forward only (R = 23)',
                  'dense all-pairs formula, forward (mmwsss, for tests)'],
        setup=_fsl_setup, run=_fsl_run),
}
