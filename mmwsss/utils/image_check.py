"""Refuse empty, truncated and undecodable image files, naming them.

OpenCV (mmcv's default decoder) decodes a truncated JPEG without an error:
the missing rows come out grey or black and training goes on with them.
:func:`check_image_bytes` catches that from the bytes already read - a JPEG
must end with its end-of-image marker, a PNG with its ``IEND`` chunk -
and only when that quick test fails decodes the file fully with Pillow
(whose decoder refuses truncated data) to tell a truncated file from one
with trailing bytes after the marker.
"""
from __future__ import annotations

import io

import numpy as np

JPEG_SOI, JPEG_EOI = b'\xff\xd8', b'\xff\xd9'
PNG_SIGNATURE = b'\x89PNG\r\n\x1a\n'


class CorruptImageError(OSError):
    """An image file that is empty, truncated or cannot be decoded."""


def _pillow_decodes(data: bytes) -> bool:
    from PIL import Image
    try:
        with Image.open(io.BytesIO(data)) as img:
            img.load()
        return True
    except Exception:  # Pillow raises several types for broken files
        return False


def check_image_bytes(data: bytes, path: str) -> None:
    """Raise :class:`CorruptImageError` naming ``path`` when ``data`` (the
    file's bytes) is empty or a truncated JPEG/PNG. Other formats are left
    to the decoder."""
    if len(data) == 0:
        raise CorruptImageError(f'zero-byte image file: {path}')
    if data.startswith(JPEG_SOI):
        ends = data.rstrip(b'\x00\r\n \t').endswith(JPEG_EOI)
        if not ends and not _pillow_decodes(data):
            raise CorruptImageError(
                f'truncated JPEG (no end-of-image marker, {len(data)} bytes; '
                f'OpenCV would fill the missing rows silently): {path}')
    elif data.startswith(PNG_SIGNATURE):
        if data[-8:-4] != b'IEND' and not _pillow_decodes(data):
            raise CorruptImageError(f'truncated PNG (no IEND chunk, '
                                    f'{len(data)} bytes): {path}')


def read_image(path: str, channel_order: str = 'rgb') -> np.ndarray:
    """Read and decode an image file like ``mmcv.imread`` (``HxWx3`` uint8,
    RGB by default), refusing - by name - missing, empty, truncated and
    undecodable files."""
    import mmcv
    try:
        with open(path, 'rb') as f:
            data = f.read()
    except FileNotFoundError:
        raise FileNotFoundError(f'image file not found: {path}') from None
    check_image_bytes(data, path)
    try:
        img = mmcv.imfrombytes(data, flag='color', channel_order=channel_order)
    except Exception as e:
        raise CorruptImageError(f'cannot decode image {path}: {e}') from e
    if img is None:
        raise CorruptImageError(f'cannot decode image {path}')
    return img
