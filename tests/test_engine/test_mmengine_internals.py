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


def test_restart_continues_the_batch_sequence():
    """Issue 15.7: after a switch at iteration r the sampler goes on at
    batch r; on resume the first skip_calls batches are not loaded."""
    data = list(range(12))
    sampler = InfiniteSampler(data, shuffle=True, seed=3)
    loader = DataLoader(data, batch_size=4, sampler=sampler, num_workers=0)
    loop = _Loop(loader)
    straight = [next(loop.dataloader_iterator).tolist() for _ in range(5)]
    restart_train_loader(loop, position=2)
    assert [next(loop.dataloader_iterator).tolist()
            for _ in range(3)] == straight[2:]
    loads = []
    data = _Counting(data, loads)
    loop = _Loop(DataLoader(data, batch_size=4, sampler=sampler))
    restart_train_loader(loop, position=2, skip_calls=2)
    assert next(loop.dataloader_iterator) is None
    assert next(loop.dataloader_iterator) is None and loads == []
    assert next(loop.dataloader_iterator).tolist() == straight[2]
    assert len(loads) == 4


class _Counting(list):
    def __init__(self, data, loads):
        super().__init__(data)
        self.loads = loads

    def __getitem__(self, i):
        self.loads.append(i)
        return super().__getitem__(i)
