"""Fixtures of the data tests: the real MNIST files, an isolated cache, no network."""

import os
from pathlib import Path

import pytest

from nnbook.data import mnist as M

REPO = Path(__file__).resolve().parents[2]


def find_mnist_root():
    """A folder whose mnist/ holds the four files: $NNBOOK_DATA, else shared/data beside the repo."""
    candidates = [os.environ.get("NNBOOK_DATA"), REPO.parent / "shared" / "data", "/work/shared/data"]
    for c in candidates:
        if c and all((Path(c) / "mnist" / name).is_file() for name in M.SHA256):
            return Path(c)
    return None


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """Every test: an empty cache in tmp, downloads disabled, no mirrors or NNBOOK_DATA inherited."""
    monkeypatch.setenv("NNBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("NNBOOK_OFFLINE", "1")
    monkeypatch.delenv("NNBOOK_DATA", raising=False)
    monkeypatch.delenv("NNBOOK_MNIST_MIRRORS", raising=False)
    M._verified_memo.clear()
    yield


@pytest.fixture(scope="session")
def mnist_root():
    root = find_mnist_root()
    if root is None:
        pytest.skip("the MNIST files are not here (set NNBOOK_DATA to a folder containing mnist/)")
    return root


@pytest.fixture
def real_data(monkeypatch, mnist_root):
    """NNBOOK_DATA points at the real files."""
    monkeypatch.setenv("NNBOOK_DATA", str(mnist_root))
    return mnist_root
