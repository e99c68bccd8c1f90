"""configs/pmm: every config loads and builds; the paper's settings hold."""
import glob
import os.path as osp

import pytest
from mmengine.config import Config
from mmseg.registry import DATASETS, MODELS

from tests.trees import make_coco_tree

ROOT = osp.dirname(osp.dirname(osp.dirname(osp.abspath(__file__))))
PMM = osp.join(ROOT, 'configs', 'pmm')


@pytest.mark.parametrize('path', sorted(glob.glob(osp.join(PMM, '*.py'))),
                         ids=osp.basename)
def test_config_builds(path):
    cfg = Config.fromfile(path)
    if 'pseudo_label_cfg' in cfg:
        gen = MODELS.build(cfg.pseudo_label_cfg.generator)
        assert gen.alpha == 11 and gen.cvs == dict(t=0.05, s=0.3)
        assert gen.crf['gaussian'] == dict(sxy=3, compat=10)
        assert gen.crf['bilateral'] == dict(sxy=80, srgb=13, compat=10)
    else:
        model = MODELS.build(cfg.model)
        assert model is not None


def test_voc_final_stage_settings():
    cfg = Config.fromfile(osp.join(
        PMM, 'pspnet_r101-d8_4xb4-20k_voc12aug-512x512_pmm-pus.py'))
    for head, weight in ((cfg.model.decode_head, 1.0),
                         (cfg.model.auxiliary_head, 0.4)):
        loss = head.loss_decode
        assert loss.type == 'PUSLoss' and loss.mode == 'clamp'
        assert loss.beta == loss.kappa == 0.5
        assert loss.loss_cfg.loss_weight == weight
    assert cfg.optim_wrapper.optimizer.lr == 0.005
    assert cfg.param_scheduler[-1].eta_min == 1e-4
    assert cfg.train_cfg.max_iters == 20000 and cfg.crop_size == (512, 512)
    assert cfg.train_dataloader.dataset.data_prefix.seg_map_path == \
        'pseudo_labels/ppmg'
    assert cfg.model.backbone.depth == 101
    cyc = Config.fromfile(osp.join(
        PMM, 'pspnet_r101-d8_4xb4-2x20k_voc12aug-512x512_pmm-pus-cyclic.py'))
    assert cyc.train_cfg.max_iters == 40000
    assert cyc.custom_hooks[-1].rounds == [20000]


def test_coco_final_stage_trains_on_a_pseudo_label_folder(tmp_path):
    from mmwsss.datasets.coco_wsss import coco_instances_to_masks
    root = make_coco_tree(str(tmp_path / 'coco'))
    # stand-in pseudo-labels: the converter's masks in the pseudo folder
    coco_instances_to_masks(
        osp.join(root, 'annotations/instances_train2014.json'),
        osp.join(root, 'pseudo_labels', 'ppmg'),
        str(tmp_path / 'labels.json'))
    cfg = Config.fromfile(osp.join(
        PMM, 'pspnet_r101-d8_4xb4-80k_coco2014-512x512_pmm-pus.py'))
    assert cfg.model.decode_head.num_classes == 81
    assert cfg.model.auxiliary_head.num_classes == 81
    assert cfg.model.decode_head.loss_decode.type == 'PUSLoss'
    assert cfg.model.decode_head.loss_decode.beta == 0.8
    assert cfg.model.auxiliary_head.loss_decode.kappa == 0.8
    ds_cfg = cfg.train_dataloader.dataset
    ds_cfg.data_root = root
    ds = DATASETS.build(ds_cfg)
    assert len(ds) == 3 and len(ds.metainfo['classes']) == 81
    info = ds.get_data_info(0)
    assert info['seg_map_path'].startswith(
        osp.join(root, 'pseudo_labels', 'ppmg'))
    sample = ds[0]
    seg = sample['data_samples'].gt_sem_seg.data
    assert seg.shape[-2:] == (512, 512)  # mmseg's VOC crop pipeline
