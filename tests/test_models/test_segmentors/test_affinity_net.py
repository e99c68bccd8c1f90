"""AffinityNet and the random-walk refiner (PSA), issue 17."""
import os
import os.path as osp

import numpy as np
import pytest
import torch
from mmengine.config import Config
from mmengine.structures import PixelData
from mmseg.registry import MODELS
from mmseg.structures import SegDataSample

from mmwsss.functional.affinity_ops import (affinity_labels, affinity_loss,
                                            feature_affinities, walk_cams)
from tests.utils import run_tool, tiny_train_options

CFG = ('configs/affinity/'
       'affinitynet_r18-w32-d16_1xb16-800it_synthetic-128x128.py')


def build(repo_root):
    torch.manual_seed(0)
    return MODELS.build(Config.fromfile(osp.join(repo_root, CFG)).model)


def test_loss_is_psas_composition(repo_root):
    model = build(repo_root)
    x = torch.randn(2, 3, 96, 96)
    lab = torch.zeros(2, 1, 96, 96, dtype=torch.long)
    lab[:, :, :, 48:] = 4
    lab[:, :, :8] = 255
    data = []
    for i in range(2):
        s = SegDataSample()
        s.gt_sem_seg = PixelData(data=lab[i])
        data.append(s)
    losses = model.loss(x, data)
    feat = model.extract_feat(x)
    assert feat.shape == (2, 448, 12, 12)            # stride 8
    small = lab[:, 0, 4::8, 4::8]                    # nearest to 12 x 12
    bg, fg, neg = affinity_labels(small, 5)
    assert bg.any() and fg.any() and neg.any()
    ref = affinity_loss(feature_affinities(feat, 5), bg, fg, neg)
    assert losses['loss_aff_bg'].item() == pytest.approx(ref[0].item() / 4)
    assert losses['loss_aff_fg'].item() == pytest.approx(ref[1].item() / 4)
    assert losses['loss_aff_neg'].item() == pytest.approx(ref[2].item() / 2)
    sum(losses.values()).backward()
    assert model.embed.weight.grad.abs().sum() > 0
    aff = model.affinity(x[:1])
    assert aff.shape == (1, 144, 144)
    assert torch.allclose(aff, aff.transpose(1, 2))
    with pytest.raises(NotImplementedError, match='AffinityRandomWalk'):
        model.predict(x)


def test_random_walk_refiner(repo_root, tmp_path):
    model = build(repo_root)
    ckpt = str(tmp_path / 'aff.pth')
    torch.save(dict(state_dict=model.state_dict(), meta={}), ckpt)
    refiner = MODELS.build(dict(type='AffinityRandomWalk',
                                config=osp.join(repo_root, CFG),
                                checkpoint=ckpt, beta=8, logt=4))
    rng = np.random.RandomState(0)
    img = rng.randint(0, 255, (60, 70, 3), np.uint8)    # not a multiple
    scores = rng.rand(3, 60, 70).astype(np.float32)
    scores[2] = 0                                       # an absent class
    out = refiner(img, scores)
    assert out.shape == (3, 60, 70) and np.isfinite(out).all()
    assert np.abs(out[2]).max() == 0
    assert set(np.unique(out.argmax(0))) <= {0, 1}
    with pytest.raises(ValueError, match='scores'):
        refiner(img, scores[:, :30])
    # the refiner is walk_cams on the zero-padded (64 x 72) normalised image
    bgr = torch.from_numpy(np.ascontiguousarray(img[..., ::-1]))
    inputs = refiner.model.data_preprocessor(
        dict(inputs=[bgr.permute(2, 0, 1)]), False)['inputs']
    inputs = torch.nn.functional.pad(inputs, (0, 2, 0, 4))
    with torch.no_grad():
        aff = refiner.model.affinity(inputs)
    padded = torch.nn.functional.pad(torch.from_numpy(scores)[None],
                                     (0, 2, 0, 4))
    ref = walk_cams(padded, aff, 8, beta=8, logt=4)[0, :, :60, :70]
    assert torch.allclose(torch.from_numpy(out), ref, atol=1e-6)
    # a tiny image (a 4 x 3 grid) is padded to PSA's pair crop (5 x 9)
    tiny = refiner(img[:30, :20], scores[:, :30, :20])
    assert tiny.shape == (3, 30, 20) and np.isfinite(tiny).all()
    assert np.abs(tiny[2]).max() == 0
    dense = MODELS.build(dict(type='AffinityRandomWalk',
                              config=osp.join(repo_root, CFG),
                              checkpoint=ckpt, beta=8, logt=4, mode='dense'))
    assert np.allclose(dense(img, scores), out, rtol=1e-5, atol=1e-6)
    small = MODELS.build(dict(type='AffinityRandomWalk',
                              config=osp.join(repo_root, CFG),
                              checkpoint=ckpt, max_cells=10, mode='dense'))
    with pytest.raises(MemoryError, match='60x70 image.*max_cells=10'):
        small(img, scores)
    with pytest.raises(ValueError, match='mode'):
        MODELS.build(dict(type='AffinityRandomWalk', config='x',
                          checkpoint='y', mode='csr'))


def test_train_tool(repo_root, tiny_synthetic, tmp_path):
    """mmengine's Runner trains it from a label folder (here the tiny
    set's masks stand in for CAM-derived affinity labels)."""
    work = str(tmp_path / 'work')
    opts = [o for o in tiny_train_options(tiny_synthetic, 2,
                                          checkpoint_interval=2)
            if not o.startswith(('val_dataloader', 'test_dataloader',
                                 'train_cfg.val_interval'))]
    out = run_tool(repo_root, 'tools/train.py', CFG, '--work-dir', work,
                   '--cfg-options', *opts,
                   'affinity_label_dir=SegmentationClass',
                   'train_dataloader.dataset.data_prefix.seg_map_path='
                   'SegmentationClass')
    assert 'loss_aff_neg' in out and osp.isfile(osp.join(work, 'iter_2.pth'))


def test_make_pseudo_labels_with_the_walk(repo_root, tmp_path):
    """The refiner by config in the pseudo-label tool's path: resumable,
    recorded, only present classes."""
    from mmwsss.apis import make_pseudo_labels
    from mmwsss.datasets.synthetic import SYNTHETIC_PALETTE
    from mmwsss.utils.io import read_label_png, read_run_record
    from tests.test_apis.test_pseudo_labels import make_cam_set
    # 128 px: a 16 x 16 grid (PSA's pair crop needs > 2 (radius - 1))
    items = make_cam_set(str(tmp_path), 3, size=128)
    model = build(repo_root)
    ckpt = str(tmp_path / 'aff.pth')
    torch.save(dict(state_dict=model.state_dict(), meta={}), ckpt)
    rw = dict(type='AffinityRandomWalk', config=osp.join(repo_root, CFG),
              checkpoint=ckpt, beta=8, logt=6)
    out = str(tmp_path / 'labels')
    summary = make_pseudo_labels(items, out, 11, SYNTHETIC_PALETTE,
                                 bg_alpha=6, refiners=[rw],
                                 show_progress=False)
    assert summary['complete'] and summary['images'] == 3
    assert read_run_record(out)['settings']['refiners'][0]['logt'] == 6
    for it in items:
        lab = read_label_png(osp.join(out, it['name'] + '.png'))
        gt = read_label_png(it['gt_path'])
        present = set(np.unique(gt)) - {255}
        assert set(np.unique(lab)) <= present | {0}
    # retrained weights under the same file name (same size) are noticed:
    # the record holds the content of the files the refiner loads
    assert set(read_run_record(out)['settings']['model_files']) == {
        osp.join(repo_root, CFG), ckpt}
    with torch.no_grad():
        for p in model.parameters():
            p.add_(0.01)
    torch.save(dict(state_dict=model.state_dict(), meta={}), ckpt)
    with pytest.raises(ValueError, match='model_files'):
        make_pseudo_labels(items, out, 11, SYNTHETIC_PALETTE, bg_alpha=6,
                           refiners=[rw], show_progress=False)
    os.remove(ckpt)
    with pytest.raises(FileNotFoundError, match='aff.pth'):
        make_pseudo_labels(items, out, 11, SYNTHETIC_PALETTE, bg_alpha=6,
                           refiners=[rw], show_progress=False)
