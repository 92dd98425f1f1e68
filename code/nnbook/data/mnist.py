"""The MNIST database of handwritten digits: find, verify and load it (chapter 17, the MNIST-lab lecture).

The four original files (LeCun, Cortes and Burges; CC BY-SA 3.0) are looked for in this order:

1. ``$NNBOOK_DATA/mnist/`` if the environment variable ``NNBOOK_DATA`` is set;
2. the user cache, ``$NNBOOK_CACHE/mnist/`` or, by default, ``pooch.os_cache("nnbook")/mnist/``;
3. a download into that cache from the mirrors in :data:`MIRRORS` (or the space-separated
   URLs in ``$NNBOOK_MNIST_MIRRORS``), unless downloads are disabled with
   ``NNBOOK_OFFLINE=1`` or ``download=False``.

Every file is checked against its published SHA-256 (:data:`SHA256`), wherever it came from;
a check is remembered per path, size and modification time, so loading again is fast.
Missing or corrupt data raises :class:`MNISTNotFoundError` or :class:`MNISTCorruptError`,
whose message names the file, the expected hash and the way to fix it. Nothing is ever faked.
"""

from __future__ import annotations

import functools
import hashlib
import json
import os
from pathlib import Path
from typing import Dict, Optional, Tuple

import numpy as np

from .idx import MAGIC_IMAGES, MAGIC_LABELS, read_idx

__all__ = [
    "FILES", "SHA256", "SIZES", "MIRRORS", "N_SAMPLES",
    "MNISTError", "MNISTNotFoundError", "MNISTCorruptError",
    "data_dir", "cache_dir", "offline", "mirrors", "sha256_file", "verify_file",
    "mnist_path", "fetch_mnist", "load_mnist",
]

#: The two files of each split: (images, labels).
FILES = {
    "train": ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"),
    "test": ("t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"),
}
#: Published SHA-256 of each original file.
SHA256 = {
    "train-images-idx3-ubyte.gz": "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
    "train-labels-idx1-ubyte.gz": "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
    "t10k-images-idx3-ubyte.gz": "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
    "t10k-labels-idx1-ubyte.gz": "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
}
#: Size in bytes of each original file.
SIZES = {
    "train-images-idx3-ubyte.gz": 9912422,
    "train-labels-idx1-ubyte.gz": 28881,
    "t10k-images-idx3-ubyte.gz": 1648877,
    "t10k-labels-idx1-ubyte.gz": 4542,
}
#: Number of images in each split.
N_SAMPLES = {"train": 60000, "test": 10000}
#: Default download mirrors (a file's URL is the mirror + its name); tried in order.
MIRRORS = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
    "http://yann.lecun.com/exdb/mnist/",
)

_ALL = tuple(name for pair in FILES.values() for name in pair)
_FALSE = {"", "0", "false", "no", "off"}


class MNISTError(RuntimeError):
    """MNIST could not be provided; the message says which file and how to fix it."""


class MNISTNotFoundError(MNISTError):
    """An MNIST file is in none of the places looked in and could not be downloaded."""


class MNISTCorruptError(MNISTError):
    """An MNIST file (found or downloaded) does not have the published SHA-256."""


# --- where to look ----------------------------------------------------------------------
def data_dir() -> Optional[Path]:
    """``$NNBOOK_DATA/mnist`` if ``NNBOOK_DATA`` is set, else None."""
    root = os.environ.get("NNBOOK_DATA")
    return Path(root).expanduser() / "mnist" if root else None


def _cache_root() -> Path:
    root = os.environ.get("NNBOOK_CACHE")
    if root:
        return Path(root).expanduser()
    import pooch
    return Path(pooch.os_cache("nnbook"))


def cache_dir() -> Path:
    """The user cache folder of the MNIST files: ``$NNBOOK_CACHE/mnist`` or ``pooch.os_cache("nnbook")/mnist``."""
    return _cache_root() / "mnist"


def offline() -> bool:
    """True if downloads are disabled by the environment variable ``NNBOOK_OFFLINE``."""
    return os.environ.get("NNBOOK_OFFLINE", "").strip().lower() not in _FALSE


def mirrors() -> Tuple[str, ...]:
    """Mirror URLs to download from: ``$NNBOOK_MNIST_MIRRORS`` (space separated) or :data:`MIRRORS`."""
    env = os.environ.get("NNBOOK_MNIST_MIRRORS", "").split()
    return tuple(u if u.endswith("/") else u + "/" for u in env) or MIRRORS


# --- verification -------------------------------------------------------------------------
_verified_memo: Dict[Tuple[str, int, int], str] = {}


def sha256_file(path) -> str:
    """The SHA-256 hex digest of a file, read in 1 MiB blocks."""
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _memo_file() -> Path:
    return _cache_root() / "verified-sha256.json"


def _read_memo() -> dict:
    try:
        return json.loads(_memo_file().read_text())
    except (OSError, ValueError):
        return {}


def _write_memo(key, digest) -> None:
    memo = _read_memo()
    memo[key[0]] = {"size": key[1], "mtime_ns": key[2], "sha256": digest}
    path = _memo_file()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_text(json.dumps(memo, indent=1, sort_keys=True))
        os.replace(tmp, path)
    except OSError:                       # a read-only cache only costs speed
        pass


def _digest(path: Path) -> str:
    """SHA-256 of ``path``, remembered per (absolute path, size, mtime) in memory and on disk."""
    st = path.stat()
    key = (str(path.resolve()), st.st_size, st.st_mtime_ns)
    if key in _verified_memo:
        return _verified_memo[key]
    entry = _read_memo().get(key[0])
    if entry and entry.get("size") == key[1] and entry.get("mtime_ns") == key[2]:
        digest = entry["sha256"]
    else:
        digest = sha256_file(path)
        _write_memo(key, digest)
    _verified_memo[key] = digest
    return digest


def _fix_corrupt(path: Path, in_cache: bool) -> str:
    if in_cache:
        return (f"To fix it, delete the corrupt cached file (rm '{path}') and load again to download a "
                f"fresh copy, or set NNBOOK_DATA to a folder that contains mnist/ with the four original files.")
    return ("To fix it, replace it by the original file (sha256sum -c SHA256SUMS checks a folder), or "
            "point NNBOOK_DATA to another folder that contains mnist/ with the four original files.")


def verify_file(path, name: Optional[str] = None) -> Path:
    """Check that ``path`` has the published SHA-256 of MNIST file ``name`` (default: its file name).

    Returns
    -------
    Path
        ``path``, verified.

    Raises
    ------
    MNISTCorruptError
        If the digest differs; the message gives the expected hash and the fix.
    """
    path = Path(path)
    name = name or path.name
    if name not in SHA256:
        raise ValueError(f"{name!r} is not one of the MNIST files {list(SHA256)}")
    digest = _digest(path)
    if digest != SHA256[name]:
        in_cache = path.resolve().parent == cache_dir().resolve()
        raise MNISTCorruptError(
            f"MNIST file '{path}' is corrupt: its SHA-256 is {digest}, expected {SHA256[name]} "
            f"(the original {name} has {SIZES[name]} bytes; this file has {path.stat().st_size}).\n"
            + _fix_corrupt(path, in_cache))
    return path


# --- finding and downloading ----------------------------------------------------------------
def _download(name: str, target: Path) -> Tuple[Optional[Path], list]:
    """Try every mirror; return (path or None, list of (url, reason) failures)."""
    import pooch
    failures, corrupt = [], []
    target.mkdir(parents=True, exist_ok=True)
    for mirror in mirrors():
        url = mirror + name
        try:
            got = pooch.retrieve(url, known_hash=f"sha256:{SHA256[name]}", fname=name, path=target,
                                 downloader=pooch.HTTPDownloader(progressbar=False, timeout=60))
            return Path(got), failures
        except ValueError as exc:              # pooch: the SHA-256 of the download did not match
            corrupt.append(url)
            failures.append((url, f"rejected, SHA-256 mismatch ({exc})"))
        except Exception as exc:  # noqa: BLE001 — network errors of any kind: try the next mirror
            failures.append((url, f"{type(exc).__name__}: {exc}"))
    if corrupt and len(corrupt) == len(failures):
        raise MNISTCorruptError(
            f"MNIST file {name}: every download was rejected because its SHA-256 did not match the "
            f"expected {SHA256[name]} ({SIZES[name]} bytes):\n"
            + "\n".join(f"  - {u}: {r}" for u, r in failures)
            + "\nNothing was kept. To fix it, set NNBOOK_MNIST_MIRRORS to a mirror with the original files, "
              "or set NNBOOK_DATA to a folder that contains mnist/ with the four original files.")
    return None, failures


def mnist_path(name: Optional[str] = None, download: Optional[bool] = None) -> Path:
    """The verified local path of one MNIST file (or of the folder of all four), downloading if needed.

    Parameters
    ----------
    name : str, optional
        One of ``train-images-idx3-ubyte.gz``, ``train-labels-idx1-ubyte.gz``,
        ``t10k-images-idx3-ubyte.gz``, ``t10k-labels-idx1-ubyte.gz``. If None, all four are
        found and verified and the folder that holds them is returned.
    download : bool, optional
        Allow a download if a file is not found; default: allowed unless ``NNBOOK_OFFLINE`` is set.

    Raises
    ------
    MNISTNotFoundError, MNISTCorruptError
    """
    if name is None:
        folders = {p.parent for p in fetch_mnist(download).values()}
        if len(folders) != 1:
            raise MNISTError(f"the four MNIST files are in different folders: {sorted(map(str, folders))}; "
                             f"use mnist_path(name) or fetch_mnist() for the path of each")
        return folders.pop()
    if name not in SHA256:
        raise ValueError(f"{name!r} is not one of the MNIST files {list(SHA256)}")
    looked = []
    ddir = data_dir()
    if ddir is not None:
        p = ddir / name
        if p.is_file():
            return verify_file(p, name)
        looked.append(f"$NNBOOK_DATA/mnist: {p} (no such file)")
    else:
        looked.append("$NNBOOK_DATA/mnist: NNBOOK_DATA is not set")
    cdir = cache_dir()
    p = cdir / name
    if p.is_file():
        return verify_file(p, name)
    looked.append(f"the cache: {p} (no such file)")
    allowed = (not offline()) if download is None else bool(download)
    if allowed:
        got, failures = _download(name, cdir)
        if got is not None:
            return verify_file(got, name)
        how = "download failed from every mirror:\n" + "\n".join(f"    - {u}: {r}" for u, r in failures)
    else:
        how = ("download: disabled (NNBOOK_OFFLINE is set)" if download is None
               else "download: disabled (download=False / --no-download)")
    raise MNISTNotFoundError(
        f"MNIST file '{name}' not found (expected {SIZES[name]} bytes, SHA-256 {SHA256[name]}).\n"
        f"Looked in:\n" + "".join(f"  - {x}\n" for x in looked) + f"  - {how}\n"
        f"To fix it, either\n"
        f"  * set NNBOOK_DATA to a folder that contains mnist/ with the four original files\n"
        f"    ({', '.join(_ALL)}), or\n"
        f"  * allow the download (unset NNBOOK_OFFLINE, do not pass --no-download) where the internet "
        f"can be reached, or\n"
        f"  * copy the original files into the cache folder {cdir}.")


def fetch_mnist(download: Optional[bool] = None) -> Dict[str, Path]:
    """Find (or download) and verify all four MNIST files; returns {file name: path}."""
    return {name: mnist_path(name, download) for name in _ALL}


# --- loading ----------------------------------------------------------------------------------
@functools.lru_cache(maxsize=8)
def _decoded(path: str, size: int, mtime_ns: int, magic: int) -> np.ndarray:
    """The decoded uint8 array of one IDX file, kept per process (read-only)."""
    arr = read_idx(path, expected_magic=magic)
    arr.flags.writeable = False
    return arr


def _read(path: Path, magic: int) -> np.ndarray:
    st = path.stat()
    return _decoded(str(path.resolve()), st.st_size, st.st_mtime_ns, magic)


def load_mnist(kind: str = "train", normalize: bool = True, dtype=np.float32, flatten: bool = True,
               download: Optional[bool] = None):
    """Load the MNIST training (60,000) or test (10,000) images and labels.

    Parameters
    ----------
    kind : {"train", "test"}
    normalize : bool
        Scale the pixel values 0..255 to [0, 1] (x / 255). If False the values stay 0..255.
    dtype : numpy dtype
        dtype of X; float32 by default (use ``np.uint8`` with ``normalize=False`` for raw bytes).
    flatten : bool
        X as (N, 784) rows (the lecture's input vectors x = (x_1, ..., x_D), D = 784) or (N, 28, 28).
    download : bool, optional
        See :func:`mnist_path`.

    Returns
    -------
    X : ndarray, shape (N, 784) or (N, 28, 28)
        A new array, owned by the caller.
    t : ndarray of int64, shape (N,)
        Digit labels 0..9.

    Raises
    ------
    MNISTNotFoundError, MNISTCorruptError
        With a message that names the file and says how to fix it.
    """
    if kind not in FILES:
        raise ValueError(f"kind must be 'train' or 'test'; got {kind!r}")
    img_name, lab_name = FILES[kind]
    images = _read(mnist_path(img_name, download), MAGIC_IMAGES)
    labels = _read(mnist_path(lab_name, download), MAGIC_LABELS)
    if images.shape[0] != labels.shape[0]:
        raise MNISTCorruptError(f"MNIST {kind}: {images.shape[0]} images but {labels.shape[0]} labels")
    dtype = np.dtype(dtype)
    if normalize:
        if dtype.kind != "f":
            raise ValueError(f"normalize=True needs a float dtype; got {dtype}")
        X = np.multiply(images, dtype.type(1.0 / 255.0), dtype=dtype)     # x ∈ [0, 1]
    else:
        X = images.astype(dtype)
    if flatten:
        X = X.reshape(X.shape[0], -1)
    return X, labels.astype(np.int64)
