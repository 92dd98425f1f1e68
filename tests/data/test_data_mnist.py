"""MNIST: the real files pass their SHA-256, corrupt or missing ones give errors that say how to
fix them, and the download path verifies what a (local, loopback) mirror sends. No test uses
the internet: every test runs with NNBOOK_OFFLINE=1 and an empty cache (conftest.py)."""

import functools
import http.server
import shutil
import threading
import time
from pathlib import Path

import numpy as np
import pytest

from nnbook.data import mnist as M

TRAIN_COUNTS = [5923, 6742, 5958, 6131, 5842, 5421, 5918, 6265, 5851, 5949]
TEST_COUNTS = [980, 1135, 1032, 1010, 982, 892, 958, 1028, 974, 1009]


# --- the real files ---------------------------------------------------------------------------------
def test_real_files_pass_their_sha256_checks(real_data):
    paths = M.fetch_mnist(download=False)
    assert set(paths) == set(M.SHA256)
    for name, path in paths.items():
        assert path == real_data / "mnist" / name
        assert M.sha256_file(path) == M.SHA256[name]
        assert path.stat().st_size == M.SIZES[name]
    assert M.mnist_path() == real_data / "mnist"


def test_real_train_shapes_and_label_counts(real_data):
    X, t = M.load_mnist("train")
    assert X.shape == (60000, 784) and X.dtype == np.float32
    assert t.shape == (60000,) and t.dtype == np.int64
    assert np.bincount(t).tolist() == TRAIN_COUNTS


def test_real_test_shapes_and_label_counts(real_data):
    X, t = M.load_mnist("test", flatten=False)
    assert X.shape == (10000, 28, 28)
    assert np.bincount(t).tolist() == TEST_COUNTS


def test_pixels_are_scaled_to_the_unit_interval(real_data):
    X, _ = M.load_mnist("test")
    assert X.min() == 0.0 and X.max() == 1.0
    assert float(X.mean()) == pytest.approx(33.7912 / 255, abs=1e-4)
    raw, _ = M.load_mnist("test", normalize=False, dtype=np.uint8)
    assert raw.dtype == np.uint8 and raw.max() == 255
    np.testing.assert_allclose(X, raw / 255.0, rtol=1e-6)


def test_loaded_arrays_belong_to_the_caller(real_data):
    X1, t1 = M.load_mnist("test")
    X1[:] = 7.0
    t1[:] = 3
    X2, t2 = M.load_mnist("test")
    assert X2.max() == 1.0 and np.bincount(t2).tolist() == TEST_COUNTS


def test_loading_the_full_training_set_from_gz_takes_under_two_seconds(real_data):
    M._decoded.cache_clear()
    tic = time.perf_counter()
    X, t = M.load_mnist("train")                       # gunzip + SHA-256 + decode + scale
    cold = time.perf_counter() - tic
    tic = time.perf_counter()
    M.load_mnist("train")
    warm = time.perf_counter() - tic
    assert X.shape == (60000, 784)
    assert cold < 2.0, f"cold load took {cold:.2f} s"
    assert warm < cold + 0.5


def test_sha256_check_is_remembered_per_path_size_and_mtime(real_data, tmp_path, monkeypatch):
    folder = tmp_path / "copy" / "mnist"
    folder.mkdir(parents=True)
    name = "t10k-labels-idx1-ubyte.gz"
    shutil.copy(real_data / "mnist" / name, folder / name)
    monkeypatch.setenv("NNBOOK_DATA", str(tmp_path / "copy"))
    assert M.mnist_path(name) == folder / name            # hashed once, remembered on disk
    M._verified_memo.clear()
    calls = []
    monkeypatch.setattr(M, "sha256_file", lambda p: calls.append(p) or "0" * 64)
    assert M.mnist_path(name) == folder / name            # from the memo file: not hashed again
    assert calls == []
    (folder / name).write_bytes((folder / name).read_bytes())   # same bytes, new mtime: hash again
    with pytest.raises(M.MNISTCorruptError):
        M.mnist_path(name)
    assert len(calls) == 1


# --- corrupt and missing files --------------------------------------------------------------------------
def _copy_all(src_root: Path, dst_root: Path) -> Path:
    (dst_root / "mnist").mkdir(parents=True)
    for name in M.SHA256:
        shutil.copy(src_root / "mnist" / name, dst_root / "mnist" / name)
    return dst_root / "mnist"


def test_corrupted_copy_is_rejected_with_a_clear_error(real_data, tmp_path, monkeypatch):
    folder = _copy_all(real_data, tmp_path / "data")
    bad = folder / "train-labels-idx1-ubyte.gz"
    data = bytearray(bad.read_bytes())
    data[1000] ^= 0xFF                                     # one flipped byte
    bad.write_bytes(bytes(data))
    monkeypatch.setenv("NNBOOK_DATA", str(tmp_path / "data"))
    with pytest.raises(M.MNISTCorruptError) as info:
        M.load_mnist("train")
    msg = str(info.value)
    assert str(bad) in msg and "is corrupt" in msg
    assert M.SHA256["train-labels-idx1-ubyte.gz"] in msg                 # what was expected
    assert "NNBOOK_DATA" in msg and "replace" in msg                      # how to fix it
    assert isinstance(info.value, RuntimeError)
    M.load_mnist("test")                                   # the intact files still load


def test_truncated_copy_is_rejected_before_decoding(real_data, tmp_path, monkeypatch):
    folder = _copy_all(real_data, tmp_path / "data")
    p = folder / "t10k-images-idx3-ubyte.gz"
    p.write_bytes(p.read_bytes()[:100000])
    monkeypatch.setenv("NNBOOK_DATA", str(tmp_path / "data"))
    with pytest.raises(M.MNISTCorruptError, match="100000"):
        M.load_mnist("test")


def test_corrupt_cached_file_error_says_to_delete_it(real_data, monkeypatch):
    name = "t10k-labels-idx1-ubyte.gz"
    M.cache_dir().mkdir(parents=True)
    (M.cache_dir() / name).write_bytes(b"not mnist")
    monkeypatch.delenv("NNBOOK_DATA")
    with pytest.raises(M.MNISTCorruptError) as info:
        M.mnist_path(name)
    msg = str(info.value)
    assert "delete the corrupt cached file" in msg and str(M.cache_dir() / name) in msg
    assert M.SHA256[name] in msg


def test_missing_file_error_says_how_to_fix_it(tmp_path, monkeypatch):
    monkeypatch.setenv("NNBOOK_DATA", str(tmp_path / "empty"))
    with pytest.raises(M.MNISTNotFoundError) as info:
        M.load_mnist("test")
    msg = str(info.value)
    assert "t10k-images-idx3-ubyte.gz" in msg and M.SHA256["t10k-images-idx3-ubyte.gz"] in msg
    assert str(tmp_path / "empty" / "mnist") in msg and str(M.cache_dir()) in msg   # where it looked
    assert "set NNBOOK_DATA to a folder that contains mnist/" in msg                # how to fix it
    assert "NNBOOK_OFFLINE" in msg and "allow the download" in msg
    assert isinstance(info.value, RuntimeError)


def test_download_false_overrides_an_online_environment(tmp_path, monkeypatch):
    monkeypatch.delenv("NNBOOK_OFFLINE")
    monkeypatch.setenv("NNBOOK_MNIST_MIRRORS", "http://127.0.0.1:9/")   # never contacted
    with pytest.raises(M.MNISTNotFoundError, match="download=False"):
        M.mnist_path("t10k-labels-idx1-ubyte.gz", download=False)


# --- the download path, through a mirror on the loopback interface ------------------------------------------
class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


@pytest.fixture
def local_mirror(tmp_path, monkeypatch):
    """Serve folders of tmp_path over HTTP on 127.0.0.1; returns a function name -> (folder, URL)."""
    servers = []
    monkeypatch.setenv("NO_PROXY", "127.0.0.1,localhost")
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")
    for var in ("HTTP_PROXY", "http_proxy", "ALL_PROXY", "all_proxy"):
        monkeypatch.delenv(var, raising=False)

    def serve(name):
        folder = tmp_path / "mirrors" / name
        folder.mkdir(parents=True)
        handler = functools.partial(_QuietHandler, directory=str(folder))
        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return folder, f"http://127.0.0.1:{server.server_address[1]}/"

    yield serve
    for s in servers:
        s.shutdown()
        s.server_close()


def test_download_from_a_local_mirror_is_verified_and_cached(real_data, local_mirror, monkeypatch):
    folder, url = local_mirror("good")
    for name in M.FILES["test"]:
        shutil.copy(real_data / "mnist" / name, folder / name)
    monkeypatch.delenv("NNBOOK_DATA")
    monkeypatch.setenv("NNBOOK_MNIST_MIRRORS", url)
    X, t = M.load_mnist("test", download=True)
    assert X.shape == (10000, 784) and np.bincount(t).tolist() == TEST_COUNTS
    for name in M.FILES["test"]:
        cached = M.cache_dir() / name
        assert cached.is_file() and M.sha256_file(cached) == M.SHA256[name]
    shutil.rmtree(folder)                                  # the mirror is gone: the cache serves
    assert M.mnist_path("t10k-labels-idx1-ubyte.gz", download=True) == M.cache_dir() / "t10k-labels-idx1-ubyte.gz"


def test_corrupt_download_is_rejected_and_not_kept(real_data, local_mirror, monkeypatch):
    name = "t10k-labels-idx1-ubyte.gz"
    folder, url = local_mirror("bad")
    data = bytearray((real_data / "mnist" / name).read_bytes())
    data[-10] ^= 0x01
    (folder / name).write_bytes(bytes(data))
    monkeypatch.delenv("NNBOOK_DATA")
    monkeypatch.setenv("NNBOOK_MNIST_MIRRORS", url)
    with pytest.raises(M.MNISTCorruptError) as info:
        M.mnist_path(name, download=True)
    assert "SHA-256" in str(info.value) and M.SHA256[name] in str(info.value) and url + name in str(info.value)
    assert not (M.cache_dir() / name).exists()


def test_download_falls_back_to_the_next_mirror(real_data, local_mirror, monkeypatch):
    name = "t10k-labels-idx1-ubyte.gz"
    _, empty_url = local_mirror("empty")                   # answers 404
    folder, good_url = local_mirror("good")
    shutil.copy(real_data / "mnist" / name, folder / name)
    monkeypatch.delenv("NNBOOK_DATA")
    monkeypatch.setenv("NNBOOK_MNIST_MIRRORS", f"{empty_url} {good_url}")
    monkeypatch.delenv("NNBOOK_OFFLINE")                   # download allowed by the environment
    assert M.sha256_file(M.mnist_path(name)) == M.SHA256[name]


def test_download_failing_everywhere_says_why_and_how_to_fix(local_mirror, monkeypatch):
    _, url = local_mirror("empty")
    monkeypatch.setenv("NNBOOK_MNIST_MIRRORS", url)
    with pytest.raises(M.MNISTNotFoundError) as info:
        M.mnist_path("t10k-labels-idx1-ubyte.gz", download=True)
    msg = str(info.value)
    assert "download failed from every mirror" in msg and url in msg and "404" in msg
    assert "NNBOOK_DATA" in msg
