"""Shared test set-up: a non-interactive matplotlib, no progress bars, and MNIST from ../shared."""

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("NNBOOK_QUIET", "1")
_SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
if (_SHARED_DATA / "mnist").is_dir():
    os.environ.setdefault("NNBOOK_DATA", str(_SHARED_DATA))


def find_mnist_root():
    """A folder whose mnist/ holds the four files: $NNBOOK_DATA, else shared/data beside the repo."""
    from nnbook.data import mnist as M

    for c in [os.environ.get("NNBOOK_DATA"), _SHARED_DATA, "/work/shared/data"]:
        if c and all((Path(c) / "mnist" / name).is_file() for name in M.SHA256):
            return Path(c)
    return None


@pytest.fixture(scope="session")
def mnist_root():
    """The folder holding mnist/ with the four real files (the data and lab tests use it)."""
    root = find_mnist_root()
    if root is None:
        pytest.skip("the MNIST files are not here (set NNBOOK_DATA to a folder containing mnist/)")
    return root
