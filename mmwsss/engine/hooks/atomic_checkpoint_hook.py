"""A CheckpointHook whose saves cannot lose the previous checkpoint."""
from __future__ import annotations

import contextlib
import os
import os.path as osp

from mmengine.dist import is_main_process
from mmengine.fileio import LocalBackend
from mmengine.hooks import CheckpointHook
from mmseg.registry import HOOKS

from mmwsss.utils.io import TMP_PREFIX, atomic_write


@HOOKS.register_module()
class AtomicCheckpointHook(CheckpointHook):
    """mmengine's ``CheckpointHook`` with a crash-safe save order.

    mmengine 0.10 removes the oldest kept checkpoint *before* writing the
    new one, and writes it in place: a kill or a full disk during the save
    leaves, with ``max_keep_ckpts=1``, no valid checkpoint and a
    ``last_checkpoint`` pointing at a broken file. Here the new checkpoint
    is written to a temp name in the same folder, renamed into place
    (atomic), then ``last_checkpoint`` is replaced atomically, and only
    then is the checkpoint that falls out of ``max_keep_ckpts`` removed. At
    any moment ``last_checkpoint`` names a complete file, so ``--resume``
    always works. Remote backends (``backend_args``) keep mmengine's
    behaviour. Arguments are ``CheckpointHook``'s.
    """

    def _save_checkpoint_with_step(self, runner, step, meta):
        if not isinstance(self.file_backend, LocalBackend):
            return super()._save_checkpoint_with_step(runner, step, meta)
        drop = None
        if self.max_keep_ckpts > 0 and not (
                self.keep_ckpt_ids and self.keep_ckpt_ids[-1] == step):
            if len(self.keep_ckpt_ids) == self.max_keep_ckpts:
                drop = self.keep_ckpt_ids.popleft()
            self.keep_ckpt_ids.append(step)
            runner.message_hub.update_info('keep_ckpt_ids',
                                           list(self.keep_ckpt_ids))
        name = self.filename_tmpl.format(step)
        final = osp.join(self.out_dir, name)
        self.last_ckpt = final
        runner.message_hub.update_info('last_ckpt', final)
        tmp_name = f'{TMP_PREFIX}{name}'
        try:
            runner.save_checkpoint(
                self.out_dir, tmp_name, self.file_client_args,
                save_optimizer=self.save_optimizer,
                save_param_scheduler=self.save_param_scheduler, meta=meta,
                by_epoch=self.by_epoch, backend_args=self.backend_args,
                **self.args)
        except Exception as e:  # torch's writer names no file (ENOSPC)
            with contextlib.suppress(OSError):
                os.remove(osp.join(self.out_dir, tmp_name))
            raise OSError(
                f'saving checkpoint {final} failed ({type(e).__name__}: '
                f'{e}); the previous checkpoint and last_checkpoint are '
                'untouched') from e
        if not is_main_process():
            return
        os.replace(osp.join(self.out_dir, tmp_name), final)
        with atomic_write(osp.join(runner.work_dir, 'last_checkpoint'),
                          'w') as f:
            f.write(final)
        if drop is not None:
            old = osp.join(self.out_dir, self.filename_tmpl.format(drop))
            if old != final and osp.isfile(old):
                os.remove(old)
