"""Shared test set-up: a non-interactive matplotlib, no progress bars, and MNIST from ../shared."""

import os
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
os.environ.setdefault("NNBOOK_QUIET", "1")
_SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
if (_SHARED_DATA / "mnist").is_dir():
    os.environ.setdefault("NNBOOK_DATA", str(_SHARED_DATA))
