"""SingleStageSegmentor: honesty, any input size, inference modes, and a
tiny tools/train.py run with the classification-only warm-up."""
import copy
import os.path as osp
import re

import pytest
import torch
from mmengine.config import Config
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from tests.utils import run_tool, tiny_train_options

CFG = 'configs/single_stage/single-stage_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'


def build(repo_root, **test_cfg):
    cfg = Config.fromfile(osp.join(repo_root, CFG))
    mcfg = copy.deepcopy(cfg.model)
    mcfg.test_cfg.update(test_cfg)
    torch.manual_seed(0)
    return MODELS.build(mcfg)


def samples(n, size, with_masks=None):
    out = []
    for i in range(n):
        s = SegDataSample(metainfo=dict(ori_shape=size, img_shape=size,
                                        pad_shape=size,
                                        padding_size=[0, 0, 0, 0]))
        lab = torch.zeros(10)
        lab[[i % 10, (i + 3) % 10]] = 1
        s.set_data(dict(gt_img_labels=lab))
        if with_masks is not None:
            s.gt_sem_seg = PixelData(data=with_masks(size))
        out.append(s)
    return out


def test_losses_never_read_pixel_masks(repo_root):
    """WSSS honesty: identical losses with random masks, constant masks and
    no masks at all (the SG/dropout draws are seeded identically)."""
    model = build(repo_root)
    x = torch.randn(4, 3, 64, 64)
    variants = [samples(4, (64, 64), m) for m in (
        None, lambda s: torch.randint(0, 11, (1, ) + s),
        lambda s: torch.full((1, ) + s, 3))]
    results = []
    for batch in variants:
        torch.manual_seed(1)
        losses = model.loss(x, batch)
        results.append({k: v.item() for k, v in losses.items()})
    assert results[0] == results[1] == results[2]
    assert set(results[0]) == {'loss_cls', 'loss_seg'}
    model.seg_loss_enabled = False
    torch.manual_seed(1)
    cls_only = model.loss(x, variants[0])
    assert cls_only['loss_seg'].item() == 0
    assert cls_only['loss_cls'].item() == pytest.approx(
        results[0]['loss_cls'], rel=1e-6)


def test_seg_loss_from_pamr_pseudo_gt_ignores_masks(repo_root):
    """With logits that make a clear object (class 1 on the left half,
    background on the right), the pseudo-GT has both classes and the
    segmentation loss is positive - and still identical when the pixel
    masks are replaced."""
    model = build(repo_root)
    x = torch.zeros(2, 3, 64, 64)
    x[..., :32] = 1.0
    x[..., 32:] = -1.0
    scale = torch.zeros(10)
    scale[0] = 10.0                                   # class 1
    model._forward = lambda inp: torch.nn.functional.avg_pool2d(
        inp[:, :1], 4) * scale.view(1, 10, 1, 1) + 0 * sum(
            p.sum() for p in model.decode_head.parameters())

    def batch(masks):
        out = samples(2, (64, 64), masks)
        for s in out:
            lab = torch.zeros(10)
            lab[0] = 1
            s.set_data(dict(gt_img_labels=lab))
        return out
    a = model.loss(x, batch(None))
    b = model.loss(x, batch(lambda s: torch.randint(0, 11, (1, ) + s)))
    assert a['loss_seg'].item() > 0
    assert a['loss_seg'].item() == b['loss_seg'].item()
    assert a['loss_cls'].item() == b['loss_cls'].item()


def test_any_batch_and_crop_size_trains(repo_root):
    model = build(repo_root)
    for n, size in ((2, (64, 64)), (3, (48, 80))):
        losses = model.loss(torch.randn(n, 3, *size), samples(n, size))
        sum(losses.values()).backward()
        assert all(torch.isfinite(v) for v in losses.values())


def test_inference_modes(repo_root):
    x = torch.randn(2, 3, 64, 64)
    for cfg in (dict(), dict(scales=(0.75, 1.0), flip=True),
                dict(use_pamr=True), dict(restrict='gt'),
                dict(restrict=None),
                dict(crf=dict(type='DenseCRF', preset='deeplab'))):
        model = build(repo_root, **cfg).eval()
        with torch.no_grad():
            out = model.predict(x, samples(2, (64, 64)))
        logits = out[0].seg_logits.data
        assert logits.shape == (11, 64, 64)
        assert out[0].pred_sem_seg.data.shape == (1, 64, 64)
        assert out[0].pred_img_scores.shape == (10, )
        if cfg.get('restrict') == 'gt':        # only labelled classes kept
            kept = (logits[1:].flatten(1).amax(1) > 0).nonzero().view(-1)
            assert set(kept.tolist()) <= {0, 3}
    with pytest.raises(ValueError, match='restrict'):
        build(repo_root, restrict='all')


def test_train_tool_with_warmup(repo_root, tiny_synthetic, tmp_path):
    opts = tiny_train_options(tiny_synthetic, 4)
    opts += ['model.train_cfg.warmup_iters=2']
    out = run_tool(repo_root, 'tools/train.py', CFG, '--work-dir',
                   str(tmp_path / 'work'), '--cfg-options', *opts)
    assert 'iteration 3: segmentation loss enabled after 2' in out
    seg = [float(v) for v in re.findall(r'loss_seg: ([\d.]+)', out)]
    assert len(seg) == 4 and seg[0] == 0 and seg[1] == 0
    assert re.search(r'mIoU: \d', out) and re.search(r'cls/mAP: \d', out)

    # the trained model as a pseudo-label generator for the mmseg stage:
    # masks of the training split, classes from the GT image labels
    pred = tmp_path / 'pseudo'
    run_tool(repo_root, 'tools/test.py', CFG,
             str(tmp_path / 'work' / 'iter_4.pth'), '--out', str(pred),
             '--cfg-options', *opts, 'model.test_cfg.restrict=gt',
             'test_dataloader.dataset.ann_file='
             'ImageSets/Segmentation/train.txt')
    names = open(osp.join(tiny_synthetic, 'ImageSets', 'Segmentation',
                          'train.txt')).read().split()
    assert sorted(p.stem for p in pred.glob('*.png')) == sorted(names)


def test_presence_is_the_max_over_views(repo_root):
    """Issue 16.4 (authors' infer_val.py): a class is kept when the
    maximum of its sigmoid score over the views exceeds 0.1. Hand-made
    scores: 0.02 at scale 1, 0.15 at scale 0.5 -> max 0.15 (kept), mean
    0.085 (dropped)."""
    model = build(repo_root, scales=(1.0, 0.5))
    model.eval()
    logit = lambda p: torch.log(torch.tensor(p) / (1 - p))  # noqa: E731

    def fake_scores(logits):
        n, c = logits.shape[:2]
        full = logits.shape[-1] == 16        # stride 4 of the 64 px input
        s = torch.full((n, c), -10.0)
        s[:, 0] = logit(0.02 if full else 0.15)
        masks = torch.softmax(torch.cat([torch.zeros_like(logits[:, :1]),
                                         logits], 1), 1)
        return s, masks

    model._scores = fake_scores
    x = torch.rand(1, 3, 64, 64)
    _, probs = model.infer_masks(x)
    assert probs[0, 0].item() == pytest.approx(0.15, abs=1e-6)
    model.test_cfg['presence'] = 'mean'
    _, probs = model.infer_masks(x)
    assert probs[0, 0].item() == pytest.approx(0.085, abs=1e-6)
    with pytest.raises(ValueError, match='presence'):
        build(repo_root, presence='median')
    # the shipped configs use the reference rule
    for cfg in (CFG, 'configs/single_stage/'
                'single-stage_r101-d16_4xb4-13230it_voc12aug-448x448.py'):
        test_cfg = Config.fromfile(osp.join(repo_root, cfg)).model.test_cfg
        assert test_cfg.get('presence', 'max') == 'max'


def test_classes_are_dropped_before_the_crf(repo_root):
    """Issue 16.3: the authors zero the dropped classes before merging and
    before the CRF. Hand-made masks on a uniform image: left half bg 0.1,
    class 1 0.3, dropped class 2 0.6; right half bg 0.95, class 1 0.05.
    Reference order: without class 2 the left half is class 1 (3x the
    background's evidence, as much support from its half as the
    background gets from the other). CRF first: the left half settles on
    class 2, which gives class 1 no support, so once class 2 is dropped
    the right half's background wins it."""
    model = build(repo_root, crf=dict(type='DenseCRF', preset='deeplab'),
                  bg_power=1.0)
    model.eval()
    h = w = 32
    masks = torch.zeros(1, 11, h, w)           # classes 3-10 absent
    masks[0, 0], masks[0, 1] = 0.95, 0.05
    masks[0, 0, :, :w // 2] = 0.1
    masks[0, 1, :, :w // 2] = 0.3
    masks[0, 2, :, :w // 2] = 0.6
    probs = torch.tensor([[0.9, 0.01] + [0.0] * 8])   # class 2 absent
    model.infer_masks = lambda inputs: (masks.clone(), probs)
    inputs = torch.zeros(1, 3, h, w)
    seg, _ = model._seg_logits_and_scores(inputs, None)
    label = seg.argmax(1)[0]
    # the reference order, spelled out
    refiner = MODELS.build(dict(type='DenseCRF', preset='deeplab'))
    from mmwsss.models.segmentors.scored_predict import raw_images
    rgb = raw_images(inputs, model.data_preprocessor).clamp(0, 255).byte()
    rgb = rgb[0].permute(1, 2, 0).numpy()
    kept = masks.clone()
    kept[:, 2] = 0
    ref = torch.from_numpy(refiner(rgb, kept[0].numpy())).argmax(0)
    assert torch.equal(label, ref)
    assert (label[:, :w // 2] == 1).float().mean() > 0.9
    # the former order (CRF on every channel, then drop) differs
    other = torch.from_numpy(refiner(rgb, masks[0].numpy()))
    other[2] = 0
    assert (other.argmax(0)[:, :w // 2] == 1).float().mean() < 0.5
