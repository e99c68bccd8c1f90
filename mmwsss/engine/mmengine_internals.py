"""The only place where mmwsss touches private mmengine internals.

Switching the training masks in the middle of a run
(:class:`~mmwsss.engine.CyclicPseudoMaskHook`) needs two things mmengine
0.10 has no public API for:

* re-serialising a ``BaseDataset`` whose ``data_list`` changed
  (``BaseDataset._serialize_data``);
* restarting the train loop's data loader so that no (persistent) worker
  keeps the old paths: the loader's ``_iterator`` and its
  ``_shutdown_workers``, ``InfiniteSampler._indices_of_rank`` and
  ``mmengine.runner.loops._InfiniteDataloaderIterator``.

:func:`check_mmengine_internals` names every one of them; the test suite
calls it (``tests/test_engine/test_mmengine_internals.py``), so an mmengine
upgrade that moves one fails there, loudly and with its name, instead of
silently training on stale masks.
"""
from __future__ import annotations

import itertools
from typing import List

import mmengine
from mmengine.dataset import BaseDataset, InfiniteSampler
from mmengine.runner import loops


def check_mmengine_internals() -> List[str]:
    """The private names this module uses that the installed mmengine
    lacks (empty when all are there)."""
    missing = []
    if not hasattr(BaseDataset, '_serialize_data'):
        missing.append('mmengine.dataset.BaseDataset._serialize_data')
    if not hasattr(InfiniteSampler, '_indices_of_rank'):
        missing.append('mmengine.dataset.InfiniteSampler._indices_of_rank')
    if not hasattr(loops, '_InfiniteDataloaderIterator'):
        missing.append('mmengine.runner.loops._InfiniteDataloaderIterator')
    return missing


def _require() -> None:
    missing = check_mmengine_internals()
    if missing:
        raise RuntimeError(
            f'mmengine {mmengine.__version__} lacks {missing}, which '
            'mmwsss.engine.mmengine_internals needs to switch training masks '
            'mid-run; pin mmengine==0.10.7 or update this module')


def reserialize(dataset) -> None:
    """Re-pack ``dataset.data_list`` after it changed, if the dataset keeps
    its items serialised (``serialize_data=True``)."""
    if getattr(dataset, 'serialize_data', False):
        _require()
        dataset.data_bytes, dataset.data_address = dataset._serialize_data()
        dataset.data_list.clear()


class _SkipFirstCalls:
    """An iterator whose first ``skip`` ``next`` calls return None without
    touching ``iterator`` (which is then used as is)."""

    def __init__(self, iterator, skip: int) -> None:
        self._iterator = iterator
        self._skip = skip

    def __iter__(self):
        return self

    def __next__(self):
        if self._skip > 0:
            self._skip -= 1
            return None
        return next(self._iterator)


def restart_train_loader(loop, position: int = 0, skip_calls: int = 0) -> None:
    """Drop the train loader's (possibly persistent) workers and iterator,
    so the next batch is loaded by new workers from the datasets as they
    are now.

    The sampler continues at batch ``position`` of its sequence (an
    ``InfiniteSampler``'s seeded index stream, advanced by ``position``
    batches of this rank), so switching the masks at iteration ``r`` does
    not change which images later iterations read. With ``skip_calls`` the
    first ``skip_calls`` batches asked for are None and load nothing: on
    resume mmengine's ``IterBasedTrainLoop`` discards ``runner.iter``
    batches, of which the ``r`` before the switch must not be read again
    by the new workers (their random state - augmentations - must be that
    of an uninterrupted run's fresh workers after ``runner.iter - r``
    batches).
    """
    _require()
    loader = loop.dataloader
    old = getattr(loader, '_iterator', None)
    if old is not None:
        loader._iterator = None
        shutdown = getattr(old, '_shutdown_workers', None)
        if shutdown is not None:
            shutdown()
    # mmengine's InfiniteSampler iterates one shared generator; closing
    # the old iterator closes it too, so give the sampler a fresh one,
    # advanced to ``position``
    batch_sampler = getattr(loader, 'batch_sampler', None)
    samplers = (getattr(loader, 'sampler', None),
                getattr(batch_sampler, 'sampler', None))
    for smp in {id(s): s for s in samplers}.values():
        if isinstance(smp, InfiniteSampler):
            smp.indices = smp._indices_of_rank()
            consumed = position * (loader.batch_size or getattr(
                batch_sampler, 'batch_size', 1))
            next(itertools.islice(smp.indices, consumed, consumed), None)
    if hasattr(loop, 'dataloader_iterator'):
        iterator = loops._InfiniteDataloaderIterator(loader)
        loop.dataloader_iterator = _SkipFirstCalls(
            iterator, skip_calls) if skip_calls else iterator
