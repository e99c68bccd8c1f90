"""Check every file of a dataset before a long run: images that are empty,
truncated or undecodable, masks that do not fit their image or hold values
outside the classes."""
from __future__ import annotations

import os.path as osp
from typing import Dict, Optional

import numpy as np
from mmengine.utils import ProgressBar

from mmwsss.utils.image_check import read_image
from mmwsss.utils.io import read_label_png


def check_dataset_files(dataset,
                        num_classes: Optional[int] = None,
                        ignore_index: int = 255,
                        check_masks: bool = True,
                        show_progress: bool = True) -> dict:
    """Read every image (and mask) of ``dataset`` the way training will.

    Images are refused as :func:`~mmwsss.utils.image_check.read_image`
    does (missing, zero-byte, truncated JPEG/PNG, undecodable). A mask
    (``seg_map_path``, where the file exists) must have its image's size and
    values below ``num_classes`` (default: the dataset's classes) or equal
    to ``ignore_index``.

    Returns:
        dict: ``images`` (count), ``masks`` (count checked) and ``bad``:
        ``{file: reason}`` for every refused file.
    """
    if num_classes is None:
        num_classes = len(dataset.metainfo['classes'])
    bad: Dict[str, str] = {}
    masks = 0
    bar = ProgressBar(len(dataset)) if show_progress else None
    for i in range(len(dataset)):
        info = dataset.get_data_info(i)
        img_path = info['img_path']
        shape = None
        try:
            shape = read_image(img_path).shape[:2]
        except (OSError, ValueError) as e:
            bad[img_path] = str(e)
        seg = info.get('seg_map_path')
        if check_masks and seg and osp.isfile(seg):
            masks += 1
            try:
                mask = read_label_png(seg)
            except OSError as e:
                bad[seg] = str(e)
            else:
                values = np.unique(mask)
                out = values[(values >= num_classes)
                             & (values != ignore_index)]
                if shape is not None and mask.shape[:2] != shape:
                    bad[seg] = (f'mask of size {mask.shape[:2]} for an '
                                f'image of size {shape} ({img_path})')
                elif len(out):
                    bad[seg] = (f'label values {out.tolist()[:10]} outside '
                                f'{num_classes} classes (ignore '
                                f'{ignore_index})')
        if bar:
            bar.update()
    return dict(images=len(dataset), masks=masks, bad=bad)
