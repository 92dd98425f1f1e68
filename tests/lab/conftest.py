"""Fixtures of the lab tests: the real MNIST files, an isolated cache, no network."""

import os

import pytest


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
