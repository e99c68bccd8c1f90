"""Image loading that names the file of a bad image."""
from __future__ import annotations

from typing import Optional

import mmcv
import mmengine.fileio as fileio
import numpy as np
from mmcv.transforms import LoadImageFromFile
from mmseg.registry import TRANSFORMS

from mmwsss.utils.image_check import CorruptImageError, check_image_bytes


@TRANSFORMS.register_module()
class LoadVerifiedImageFromFile(LoadImageFromFile):
    """mmcv's ``LoadImageFromFile`` that refuses bad files by name.

    mmcv raises OpenCV's or the file backend's error without the file name
    for an empty or undecodable file, and decodes a truncated JPEG silently
    (grey rows). Here a missing, zero-byte, truncated
    (:func:`~mmwsss.utils.image_check.check_image_bytes`) or undecodable
    image is an error naming ``img_path`` (or None with
    ``ignore_empty=True``, as in mmcv). Arguments are mmcv's.
    """

    def transform(self, results: dict) -> Optional[dict]:
        filename = results['img_path']
        try:
            try:
                img_bytes = fileio.get(filename,
                                       backend_args=self.backend_args)
            except FileNotFoundError:
                raise FileNotFoundError(
                    f'image file not found: {filename}') from None
            check_image_bytes(img_bytes, filename)
            try:
                img = mmcv.imfrombytes(img_bytes, flag=self.color_type,
                                       backend=self.imdecode_backend)
            except Exception as e:
                raise CorruptImageError(
                    f'cannot decode image {filename}: {e}') from e
            if img is None:
                raise CorruptImageError(f'cannot decode image {filename}')
        except (OSError, CorruptImageError):
            if self.ignore_empty:
                return None
            raise
        if self.to_float32:
            img = img.astype(np.float32)
        results['img'] = img
        results['img_shape'] = img.shape[:2]
        results['ori_shape'] = img.shape[:2]
        return results
