"""Fixtures of the lab tests: the real MNIST files, an isolated cache, no network."""

import os
from pathlib import Path

import pytest

from nnbook.data import mnist as M

REPO = Path(__file__).resolve().parents[2]


def find_mnist_root():
    """A folder whose mnist/ holds the four files: $NNBOOK_DATA, else shared/data beside the repo."""
    for c in [os.environ.get("NNBOOK_DATA"), REPO.parent / "shared" / "data", "/work/shared/data"]:
        if c and all((Path(c) / "mnist" / name).is_file() for name in M.SHA256):
            return Path(c)
    return None


@pytest.fixture(scope="session")
def mnist_root():
    root = find_mnist_root()
    if root is None:
        pytest.skip("the MNIST files are not here (set NNBOOK_DATA to a folder containing mnist/)")
    return root


@pytest.fixture(scope="session")
def lab_cache(tmp_path_factory):
    """One cache folder for the lab tests (the SHA-256 checks are remembered across them)."""
    return tmp_path_factory.mktemp("nnbook-cache")


@pytest.fixture
def lab_env(monkeypatch, mnist_root, lab_cache):
    """Environment of the lab: real data, a cache in tmp, downloads disabled."""
    monkeypatch.setenv("NNBOOK_DATA", str(mnist_root))
    monkeypatch.setenv("NNBOOK_CACHE", str(lab_cache))
    monkeypatch.setenv("NNBOOK_OFFLINE", "1")
    monkeypatch.delenv("NNBOOK_MNIST_MIRRORS", raising=False)
    return dict(os.environ)
