"""The IDX file format of the MNIST database (chapter 17, lab the MNIST-lab lecture).

An IDX file is a tiny header followed by one big-endian array:

====== ======================================================================
bytes  meaning
====== ======================================================================
0-1    two zero bytes
2      element type: 0x08 uint8, 0x09 int8, 0x0B int16, 0x0C int32, 0x0D float32, 0x0E float64
3      number of dimensions d
4..    d sizes, each a big-endian unsigned 32-bit integer
...    the elements, row-major (C order), big-endian
====== ======================================================================

Read as one big-endian 32-bit integer, the first four bytes are the *magic number*:
2049 = 0x00000801 for the label files (uint8, one dimension) and
2051 = 0x00000803 for the image files (uint8, three dimensions: N × 28 × 28).
The files are usually gzip-compressed; :func:`read_idx` accepts both forms.
"""

from __future__ import annotations

import gzip
import os
import zlib
from pathlib import Path
from typing import Optional, Union

import numpy as np

__all__ = ["IDXError", "IDX_TYPES", "MAGIC_LABELS", "MAGIC_IMAGES",
           "read_idx", "parse_idx", "write_idx", "idx_bytes"]

#: Magic number of the MNIST label files (uint8, 1 dimension).
MAGIC_LABELS = 2049
#: Magic number of the MNIST image files (uint8, 3 dimensions).
MAGIC_IMAGES = 2051

#: Element type code → numpy dtype (big-endian, as stored in the file).
IDX_TYPES = {
    0x08: np.dtype("u1"), 0x09: np.dtype("i1"), 0x0B: np.dtype(">i2"),
    0x0C: np.dtype(">i4"), 0x0D: np.dtype(">f4"), 0x0E: np.dtype(">f8"),
}
_CODES = {dt.newbyteorder("="): code for code, dt in IDX_TYPES.items()}

_GZIP_MAGIC = b"\x1f\x8b"


class IDXError(ValueError):
    """A file is not a well-formed IDX file (bad magic number, truncated, trailing bytes)."""


def _name(source) -> str:
    return str(source) if source is not None else "<bytes>"


def parse_idx(data: bytes, expected_magic: Optional[int] = None, source=None) -> np.ndarray:
    """Decode the bytes of an (uncompressed) IDX file into an array.

    Parameters
    ----------
    data : bytes
        The whole file content, already gunzipped.
    expected_magic : int, optional
        If given (2049 or 2051 for MNIST), a different magic number raises :class:`IDXError`.
    source : str or Path, optional
        Where the bytes came from; only used in error messages.

    Returns
    -------
    ndarray
        Shape given by the header, native byte order, read-only view of ``data``
        for uint8/int8 files.
    """
    where = _name(source)
    if len(data) < 4:
        raise IDXError(f"{where}: truncated IDX file: {len(data)} bytes, not even the 4-byte magic number")
    magic = int.from_bytes(data[:4], "big")
    if expected_magic is not None and magic != expected_magic:
        raise IDXError(f"{where}: bad magic number {magic} (0x{magic:08X}); expected {expected_magic} "
                       f"(0x{expected_magic:08X}). Is this the right file, and is it an IDX file?")
    if data[0] != 0 or data[1] != 0 or data[2] not in IDX_TYPES:
        raise IDXError(f"{where}: bad magic number {magic} (0x{magic:08X}): an IDX file starts with two zero "
                       f"bytes and a type code in {sorted(hex(c) for c in IDX_TYPES)}")
    dtype, ndim = IDX_TYPES[data[2]], data[3]
    header = 4 + 4 * ndim
    if len(data) < header:
        raise IDXError(f"{where}: truncated IDX header: {ndim} dimensions need {header} bytes, file has {len(data)}")
    shape = tuple(int.from_bytes(data[4 + 4 * i: 8 + 4 * i], "big") for i in range(ndim))
    count = int(np.prod(shape, dtype=np.int64)) if ndim else 1
    need = header + count * dtype.itemsize
    if len(data) < need:
        raise IDXError(f"{where}: truncated IDX file: shape {shape} of {dtype.newbyteorder('=').name} needs "
                       f"{need} bytes, file has {len(data)}")
    if len(data) > need:
        raise IDXError(f"{where}: {len(data) - need} unexpected trailing bytes after the IDX data of shape {shape}")
    arr = np.frombuffer(data, dtype=dtype, count=count, offset=header).reshape(shape)
    if dtype.byteorder == ">":
        arr = arr.astype(dtype.newbyteorder("="))
    return arr


def _gunzip(raw: bytes, where: str) -> bytes:
    try:
        return gzip.decompress(raw)
    except (OSError, EOFError, zlib.error) as exc:
        raise IDXError(f"{where}: corrupt or truncated gzip data ({exc})") from exc


def read_idx(source: Union[str, os.PathLike, bytes], expected_magic: Optional[int] = None) -> np.ndarray:
    """Read an IDX file, gzip-compressed or raw (detected from the first two bytes).

    Parameters
    ----------
    source : path or bytes
        A file name (``*.gz`` or not: the content decides) or the file's bytes.
    expected_magic : int, optional
        2049 for labels, 2051 for images; a mismatch raises :class:`IDXError`.

    Returns
    -------
    ndarray
        For MNIST: images (N, 28, 28) uint8 or labels (N,) uint8.

    Raises
    ------
    IDXError
        On a bad magic number, a truncated file, trailing bytes, or corrupt gzip data.
    FileNotFoundError
        If the path does not exist.
    """
    if isinstance(source, (bytes, bytearray, memoryview)):
        raw, where = bytes(source), "<bytes>"
    else:
        where = str(source)
        raw = Path(source).read_bytes()
    if raw[:2] == _GZIP_MAGIC:
        raw = _gunzip(raw, where)
    return parse_idx(raw, expected_magic, where)


def idx_bytes(array) -> bytes:
    """The IDX encoding of ``array`` (its dtype must be one of :data:`IDX_TYPES`)."""
    array = np.asarray(array)
    native = array.dtype.newbyteorder("=")
    if native not in _CODES:
        raise TypeError(f"IDX cannot store dtype {array.dtype}; use one of "
                        f"{[d.newbyteorder('=').name for d in IDX_TYPES.values()]}")
    code = _CODES[native]
    if array.ndim > 255:
        raise ValueError("IDX stores at most 255 dimensions")
    head = bytes([0, 0, code, array.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in array.shape)
    return head + np.ascontiguousarray(array, dtype=IDX_TYPES[code]).tobytes()


def write_idx(path: Union[str, os.PathLike], array, compress: Optional[bool] = None) -> Path:
    """Write ``array`` as an IDX file (gzip-compressed if ``compress`` or the name ends in .gz)."""
    path = Path(path)
    data = idx_bytes(array)
    if compress is None:
        compress = path.suffix == ".gz"
    if compress:
        data = gzip.compress(data, mtime=0)
    path.write_bytes(data)
    return path
