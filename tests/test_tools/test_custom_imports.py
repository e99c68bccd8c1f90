"""A plain mmseg config with custom_imports can use every mmwsss type."""
import os
import subprocess
import sys
import textwrap


def test_plain_mmseg_config_with_custom_imports(repo_root, tiny_synthetic,
                                                tmp_path):
    cfg = tmp_path / 'plain_mmseg_cfg.py'
    cfg.write_text(textwrap.dedent(f'''
        default_scope = 'mmseg'
        custom_imports = dict(imports=['mmwsss'], allow_failed_imports=False)
        model = dict(
            type='CAMClassifier',
            data_preprocessor=dict(type='SegDataPreProcessor',
                                   mean=[0, 0, 0], std=[1, 1, 1]),
            backbone=dict(type='ResNetV1c', depth=18, out_indices=(3, )),
            cam_head=dict(type='CAMHead', in_channels=512, num_classes=11))
        dataset = dict(
            type='SyntheticWSSSDataset', data_root={tiny_synthetic!r},
            ann_file='ImageSets/Segmentation/train.txt',
            pipeline=[dict(type='LoadImageFromFile'),
                      dict(type='PackWSSSInputs')])
        metrics = [dict(type='CAMIoUMetric'),
                   dict(type='MultiLabelMAPMetric'),
                   dict(type='MetricList',
                        members=[dict(type='BoundaryFMetric')])]
        loss = dict(type='ISLLoss')
        hook = dict(type='NumClassCheckHook')
        '''))
    script = textwrap.dedent(f'''
        import sys
        from mmengine.config import Config
        from mmengine.registry import init_default_scope
        assert 'mmwsss' not in sys.modules
        cfg = Config.fromfile({str(cfg)!r})  # imports mmwsss
        assert 'mmwsss' in sys.modules
        init_default_scope('mmseg')
        from mmseg.registry import DATASETS, HOOKS, METRICS, MODELS
        model = MODELS.build(cfg.model)
        ds = DATASETS.build(cfg.dataset)
        item = ds[0]
        assert item['data_samples'].gt_img_labels.shape == (10, )
        for m in cfg.metrics:
            METRICS.build(m)
        MODELS.build(cfg.loss)
        HOOKS.build(cfg.hook)
        print('OK', type(model).__name__, len(ds))
        ''')
    env = dict(os.environ, PYTHONPATH=repo_root)
    proc = subprocess.run([sys.executable, '-c', script], cwd=str(tmp_path),
                          env=env, capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert 'OK CAMClassifier 24' in proc.stdout
