"""Shared test set-up: a non-interactive matplotlib, no progress bars, a private progress file
per test, MNIST from $NNBOOK_DATA or ../shared/data beside the repository, and the test-only
exercises for the exercise-system and grader tests (``exercise_system.py``)."""

import os
from pathlib import Path

import matplotlib
import pytest
from exercise_system import in_exercise_system, load_fixture_exercises

matplotlib.use("Agg")
os.environ.setdefault("NNBOOK_QUIET", "1")
#: The read-only data folder beside the repository (../shared/data), as the Makefile uses it.
_SHARED_DATA = Path(__file__).resolve().parents[1].parent / "shared" / "data"
if (_SHARED_DATA / "mnist").is_dir():
    os.environ.setdefault("NNBOOK_DATA", str(_SHARED_DATA))


def find_mnist_root():
    """A folder whose mnist/ holds the four files: $NNBOOK_DATA, else ../shared/data beside the repo."""
    from nnbook.data import mnist as M

    for c in [os.environ.get("NNBOOK_DATA"), _SHARED_DATA]:
        if c and all((Path(c) / "mnist" / name).is_file() for name in M.SHA256):
            return Path(c)
    return None


def pytest_collectstart(collector):
    """Register the test-only exercises before the first module of tests/exercises or
    tests/grading is imported (their modules list the registry when they are collected)."""
    if isinstance(collector, pytest.Module) and in_exercise_system(collector.path):
        load_fixture_exercises()


@pytest.fixture(autouse=True)
def progress_file(tmp_path, monkeypatch):
    """Every test records exercise progress in its own temporary file, never in the home folder."""
    path = tmp_path / "progress.json"
    monkeypatch.setenv("NNBOOK_PROGRESS", str(path))
    return path


@pytest.fixture(scope="session")
def mnist_root():
    """The folder holding mnist/ with the four real files (the data and lab tests use it)."""
    root = find_mnist_root()
    if root is None:
        pytest.skip("the MNIST files are not here (set NNBOOK_DATA to a folder containing mnist/)")
    return root
