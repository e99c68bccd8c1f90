"""The private mmengine names mmwsss relies on (one adapter module): this
fails, naming them, when an mmengine upgrade moves one."""
import torch
from mmengine.dataset import InfiniteSampler
from torch.utils.data import DataLoader

from mmwsss.engine.mmengine_internals import (check_mmengine_internals,
                                              restart_train_loader)


def test_installed_mmengine_has_every_private_name_we_use():
    assert check_mmengine_internals() == []


class _Loop:
    """The two attributes of mmengine's IterBasedTrainLoop we touch."""

    def __init__(self, loader):
        from mmengine.runner.loops import _InfiniteDataloaderIterator
        self.dataloader = loader
        self.dataloader_iterator = _InfiniteDataloaderIterator(loader)


def test_restart_reads_the_dataset_as_it_is_now():
    data = list(range(8))
    loader = DataLoader(data, batch_size=4,
                        sampler=InfiniteSampler(data, shuffle=False),
                        num_workers=1, persistent_workers=True)
    loop = _Loop(loader)
    first = next(loop.dataloader_iterator)
    assert first.tolist() == [0, 1, 2, 3]
    old_iter = loader._iterator
    assert old_iter is not None                 # persistent workers alive
    data[:] = [10 * v for v in range(8)]        # the "new masks"
    restart_train_loader(loop)
    assert loader._iterator is not old_iter     # old workers replaced
    assert not old_iter._workers_status or not any(old_iter._workers_status)
    batch = next(loop.dataloader_iterator)
    # new workers, a fresh sampler: the new data from the start
    assert batch.tolist() == [0, 10, 20, 30]
    assert isinstance(batch, torch.Tensor)
