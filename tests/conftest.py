import os
import os.path as osp
import sys

import pytest

ROOT = osp.dirname(osp.dirname(osp.abspath(__file__)))
sys.path.insert(0, ROOT)

# tests are single-threaded and small; keep torch from oversubscribing
os.environ.setdefault('OMP_NUM_THREADS', '2')


@pytest.fixture(scope='session')
def repo_root():
    return ROOT


@pytest.fixture(scope='session')
def tiny_synthetic(tmp_path_factory):
    """The tiny synthetic preset written once per session (VOC layout)."""
    from mmwsss.datasets.synthetic import preset, write_synthetic_dataset
    root = str(tmp_path_factory.mktemp('syn_tiny'))
    write_synthetic_dataset(root, preset('tiny'), seed=0,
                            show_progress=False)
    return root


@pytest.fixture(autouse=True, scope='session')
def mmseg_scope():
    """Build mmwsss/mmseg types outside a Runner, as mmseg's tests do."""
    import mmwsss  # noqa: F401
    from mmengine.registry import init_default_scope
    init_default_scope('mmseg')


def pytest_configure(config):
    config.addinivalue_line(
        'markers', 'faults: slow fault-injection tests (process kills, '
        'torchrun, resume equality); `make test-faults` runs them, '
        '`make test` does not')
