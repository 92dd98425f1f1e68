"""Fixtures of the data tests: the real MNIST files, an isolated cache, no network."""

import pytest

from nnbook.data import mnist as M


@pytest.fixture(autouse=True)
def isolated(monkeypatch, tmp_path):
    """Every test: an empty cache in tmp, downloads disabled, no mirrors or NNBOOK_DATA inherited."""
    monkeypatch.setenv("NNBOOK_CACHE", str(tmp_path / "cache"))
    monkeypatch.setenv("NNBOOK_OFFLINE", "1")
    monkeypatch.delenv("NNBOOK_DATA", raising=False)
    monkeypatch.delenv("NNBOOK_MNIST_MIRRORS", raising=False)
    M._verified_memo.clear()
    yield


@pytest.fixture
def real_data(monkeypatch, mnist_root):
    """NNBOOK_DATA points at the real files."""
    monkeypatch.setenv("NNBOOK_DATA", str(mnist_root))
    return mnist_root
