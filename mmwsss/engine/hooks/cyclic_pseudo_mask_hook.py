"""Cyclic pseudo-mask update, PMM (Li et al., ICCV 2021) §3.5."""
from __future__ import annotations

import os.path as osp
import time
from typing import List, Optional, Sequence

from mmengine.dist import barrier, get_dist_info
from mmengine.hooks import Hook
from mmseg.registry import HOOKS

from mmwsss.apis.predict_masks import predict_pseudo_masks, relabel_items
from mmwsss.utils.io import read_run_record
from mmwsss.utils.model import unwrap_model
from mmwsss.utils.runtime_info import PSEUDO_MASK_ROUND, publish_runtime_info
from ..mmengine_internals import reserialize, restart_train_loader


def leaf_datasets(dataset) -> List:
    """The datasets under mmengine's wrappers (Concat/Repeat/ClassBalanced)."""
    if hasattr(dataset, 'datasets'):
        return [d for sub in dataset.datasets for d in leaf_datasets(sub)]
    if hasattr(dataset, 'dataset') and not hasattr(dataset, 'data_prefix'):
        return leaf_datasets(dataset.dataset)
    return [dataset]


def round_is_complete(folder: str) -> bool:
    """Whether a round's mask folder holds every mask of its run record."""
    record = read_run_record(folder) if osp.isdir(folder) else None
    return bool(record and record.get('complete'))


def redirect_seg_maps(dataset, targets: List[str]) -> None:
    """Point every item's ``seg_map_path`` at ``targets`` (in item order),
    re-serialising mmengine's packed data list when needed."""
    dataset.full_init()
    if len(targets) != len(dataset):
        raise ValueError(f'{len(targets)} targets for {len(dataset)} items')
    infos = [dataset.get_data_info(i) for i in range(len(dataset))]
    for info, target in zip(infos, targets):
        info.pop('sample_idx', None)
        info['seg_map_path'] = target
    dataset.data_list = infos
    reserialize(dataset)


@HOOKS.register_module()
class CyclicPseudoMaskHook(Hook):
    """Re-label the training split with the model being trained, then train
    on the new masks.

    After iteration ``rounds[k]`` (counted from 1), the current model
    predicts every training image (multi-scale + flip, averaged softmax,
    optional dense CRF; :func:`~mmwsss.apis.predict_pseudo_masks`), writes
    the masks to ``{work_dir}/{out_dir}/round_{k+1}/`` and the training set
    is pointed at them. With several ranks each rank predicts its shard and
    all ranks wait for each other before switching. Every file is written
    atomically and the data loader is restarted only after the switch, so
    no worker ever reads a half-written mask (persistent workers are shut
    down and respawned with the new paths).

    After the switch of round ``k`` the hook publishes
    ``pseudo_mask_round = k`` in the message hub
    (:mod:`mmwsss.utils.runtime_info`): the paper runs one cycle on VOC and
    uses PUS only in the first round, which is
    ``PUSLoss(off_from_round=1)``. ``restart_lr`` resets the learning rate
    to its initial value so that a second scheduler (``begin=rounds[0]``)
    anneals again; the weights are kept (to retrain from scratch instead, run
    ``tools/predict_pseudo_labels.py`` and a new training, see
    ``configs/pmm/README.md``).

    Resuming after a switch re-applies it with the round's masks as they
    were made (a complete round folder is not predicted again; an
    interrupted prediction is finished), and the data loader continues the
    uninterrupted run's batch sequence: a resumed run trains on the same
    batches with the same masks (bitwise equal weights where training
    is otherwise deterministic - mmengine does not checkpoint random
    states, so e.g. dropout differs after any resume).

    Args:
        rounds: Iterations after which to re-label.
        out_dir: Folder under the work dir for the masks.
        scales, flip: Test-time augmentation of the prediction.
        crf: Optional ``dict(type='DenseCRF', ...)``.
    """

    priority = 'VERY_LOW'

    def __init__(self,
                 rounds: Sequence[int],
                 out_dir: str = 'pseudo_masks',
                 scales: Sequence[float] = (1.0, ),
                 flip: bool = True,
                 crf: Optional[dict] = None,
                 restart_lr: bool = True) -> None:
        rounds = sorted(int(r) for r in rounds)
        if not rounds or rounds[0] < 1:
            raise ValueError('CyclicPseudoMaskHook.rounds must list '
                             f'iterations >= 1, got {rounds}')
        self.rounds = rounds
        self.out_dir = out_dir
        self.scales = tuple(scales)
        self.flip = flip
        self.crf = crf
        self.restart_lr = restart_lr

    def round_dir(self, runner, k: int) -> str:
        return osp.join(runner.work_dir, self.out_dir, f'round_{k + 1}')

    def before_train(self, runner) -> None:
        done = [k for k, it in enumerate(self.rounds) if runner.iter >= it]
        if done:  # resumed after a switch: re-apply the latest one
            k = done[-1]
            # a checkpoint of the switch's own iteration was saved before
            # the switch (this hook runs last), so its lr restart is redone
            self._cycle(runner, k, restart_lr=self.restart_lr
                        and runner.iter == self.rounds[k], resumed=True)

    def after_train_iter(self, runner, batch_idx: int, data_batch=None,
                         outputs=None) -> None:
        it = runner.iter + 1
        if it in self.rounds:
            self._cycle(runner, self.rounds.index(it),
                        restart_lr=self.restart_lr)

    def _cycle(self, runner, k: int, restart_lr: bool,
               resumed: bool = False) -> None:
        loop = runner.train_loop
        dataset = loop.dataloader.dataset
        out = self.round_dir(runner, k)
        leaves = leaf_datasets(dataset)
        model = unwrap_model(runner.model)
        rank, world = get_dist_info()
        start = time.time()
        per_leaf = [relabel_items(ds, out) for ds in leaves]
        items = [it for leaf in per_leaf for it in leaf]
        if len(set(i['out_path'] for i in items)) != len(items):
            raise ValueError(f'{self.__class__.__name__}: two training items '
                             f'map to the same mask file under {out}')
        palette = leaves[0].metainfo.get('palette')
        runner.logger.info(
            f'cyclic pseudo-masks round {k + 1}: predicting {len(items)} '
            f'training images into {out}')
        # on resume, the masks of a finished round were made by the model
        # of the switch's iteration: keep them (reuse_complete; predicting
        # again with the resumed model would train on other masks than an
        # uninterrupted run)
        if resumed and runner.iter != self.rounds[k] and \
                not round_is_complete(out):
            runner.logger.warning(
                f'cyclic pseudo-masks round {k + 1}: {out} is not complete; '
                f'predicting it with the model of iteration {runner.iter}, '
                f'not the one of iteration {self.rounds[k]} that an '
                'uninterrupted run used')
        written = predict_pseudo_masks(
            model, items, palette, scales=self.scales, flip=self.flip,
            crf=self.crf, rank=rank, world_size=world,
            show_progress=rank == 0, out_dir=out, on_change='recompute',
            reuse_complete=resumed)
        barrier()
        for ds, leaf in zip(leaves, per_leaf):
            redirect_seg_maps(ds, [it['out_path'] for it in leaf])
        # the sampler continues where the run is: iteration rounds[k] + 1
        # reads batch rounds[k] of the seeded sequence, resumed or not (on
        # resume mmengine then discards runner.iter batches, the first
        # rounds[k] of them without loading)
        restart_train_loader(loop, position=self.rounds[k],
                             skip_calls=self.rounds[k] if resumed else 0)
        publish_runtime_info(PSEUDO_MASK_ROUND, k + 1)
        if restart_lr:
            wrappers = runner.optim_wrapper.values() if hasattr(
                runner.optim_wrapper, 'values') else [runner.optim_wrapper]
            for wrapper in wrappers:
                for group in wrapper.optimizer.param_groups:
                    if 'initial_lr' in group:
                        group['lr'] = group['initial_lr']
        runner.logger.info(
            f'cyclic pseudo-masks round {k + 1}: {written} masks written by '
            f'rank {rank} in {time.time() - start:.1f} s; training now reads '
            f'{out}')
