import copy
import os.path as osp

import pytest
import torch
from mmengine.config import Config
from mmengine.dataset import pseudo_collate
from mmengine.registry import init_default_scope
from mmengine.structures import PixelData
from mmseg.registry import MODELS

from mmwsss.datasets import SyntheticWSSSDataset

CFG = 'configs/cam/cam_r18-w32-d16_1xb16-1500it_synthetic-128x128.py'


@pytest.fixture(scope='module')
def cfg(repo_root):
    init_default_scope('mmseg')
    return Config.fromfile(osp.join(repo_root, CFG))


def small_model(cfg, **backbone):
    mcfg = copy.deepcopy(cfg.model)
    mcfg.backbone.update(backbone)
    torch.manual_seed(0)
    return MODELS.build(mcfg)


def batch_from(tiny_synthetic, n=4, with_masks=True):
    pipeline = [dict(type='LoadImageFromFile')]
    if with_masks:
        pipeline.append(dict(type='LoadAnnotations'))
    pipeline.append(dict(type='PackWSSSInputs'))
    ds = SyntheticWSSSDataset(
        data_root=tiny_synthetic, ann_file='ImageSets/Segmentation/train.txt',
        pipeline=pipeline)
    return pseudo_collate([ds[i] for i in range(n)])


def test_loss_and_backward(cfg, tiny_synthetic):
    model = small_model(cfg)
    data = model.data_preprocessor(batch_from(tiny_synthetic), True)
    losses = model(**data, mode='loss')
    assert set(losses) == {'loss_cls'}
    assert torch.isfinite(losses['loss_cls'])
    losses['loss_cls'].backward()
    grad = model.cam_head.classifier.weight.grad
    assert grad is not None and grad.abs().sum() > 0


def test_training_never_reads_pixel_labels(cfg, tiny_synthetic):
    """Honesty: the loss is identical when every mask in the batch is
    replaced by random labels, and when the masks are absent altogether;
    it does change with the image-level labels."""
    model = small_model(cfg)
    model.train()
    data = batch_from(tiny_synthetic)
    baseline = model(**model.data_preprocessor(copy.deepcopy(data), True),
                     mode='loss')['loss_cls']
    gen = torch.Generator().manual_seed(1)
    for _ in range(2):
        shuffled = copy.deepcopy(data)
        for s in shuffled['data_samples']:
            shape = s.gt_sem_seg.data.shape
            s.gt_sem_seg = PixelData(data=torch.randint(
                0, 256, shape, generator=gen))
        loss = model(**model.data_preprocessor(shuffled, True),
                     mode='loss')['loss_cls']
        assert torch.equal(loss, baseline)
    no_masks = batch_from(tiny_synthetic, with_masks=False)
    loss = model(**model.data_preprocessor(no_masks, True),
                 mode='loss')['loss_cls']
    assert torch.equal(loss, baseline)
    flipped = copy.deepcopy(data)
    for s in flipped['data_samples']:
        s.gt_img_labels = 1 - s.gt_img_labels
    loss = model(**model.data_preprocessor(flipped, True),
                 mode='loss')['loss_cls']
    assert not torch.equal(loss, baseline)


def test_predict_returns_cams_as_seg_logits(cfg, tiny_synthetic):
    model = small_model(cfg)
    model.eval()
    data = batch_from(tiny_synthetic)
    with torch.no_grad():
        out = model.test_step(data)
    for s in out:
        logits = s.seg_logits.data
        assert logits.shape == (11, 64, 64)
        assert torch.all(logits[0] == model.test_cfg['bg_threshold'])
        cams = logits[1:]
        assert cams.min() >= 0 and cams.max() <= 1
        absent = s.gt_img_labels == 0
        assert (cams[absent] == 0).all()  # restricted to the image labels
        assert s.pred_sem_seg.data.shape == (1, 64, 64)
        assert s.pred_img_scores.shape == (10, )
        pred_ids = set(s.pred_sem_seg.data.unique().tolist()) - {0}
        assert pred_ids <= set((s.gt_img_labels.nonzero()[:, 0] + 1)
                               .tolist())


def test_predict_restrict_modes(cfg):
    model = small_model(cfg)
    model.eval()
    x = torch.randn(2, 3, 32, 32)
    model.test_cfg['restrict'] = None
    with torch.no_grad():
        out = model.predict(x)
    assert out[0].seg_logits.data.shape == (11, 32, 32)
    model.test_cfg['restrict'] = 'pred'
    model.test_cfg['score_thr'] = 1.1  # nothing passes: all background
    with torch.no_grad():
        out = model.predict(x)
    assert (out[0].pred_sem_seg.data == 0).all()


def test_label_count_mismatch_names_both_numbers(cfg, tiny_synthetic):
    mcfg = copy.deepcopy(cfg.model)
    mcfg.cam_head.num_classes = 21
    model = MODELS.build(mcfg)
    data = model.data_preprocessor(batch_from(tiny_synthetic), True)
    with pytest.raises(ValueError, match=r'11 classes.*num_classes=21'):
        model(**data, mode='loss')


def test_mmpretrain_backbone(cfg, tiny_synthetic):
    mcfg = copy.deepcopy(cfg.model)
    mcfg.backbone = dict(type='mmpretrain.ResNet', depth=18,
                         out_indices=(3, ))
    mcfg.cam_head.in_channels = 512
    model = MODELS.build(mcfg)
    assert type(model.backbone).__module__.startswith('mmpretrain')
    data = model.data_preprocessor(batch_from(tiny_synthetic, n=2), True)
    losses = model(**data, mode='loss')
    assert torch.isfinite(losses['loss_cls'])
    model.eval()
    with torch.no_grad():
        out = model.test_step(batch_from(tiny_synthetic, n=1))
    assert out[0].seg_logits.data.shape == (11, 64, 64)
