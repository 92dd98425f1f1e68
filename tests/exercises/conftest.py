"""Shared set-up of the exercise-system tests: test-only exercises and a temporary progress file."""

from pathlib import Path

import pytest

from nnbook.exercises import registry

FIXTURE_EXERCISES = Path(__file__).with_name("fixture_exercises.py")

registry.load_extra(str(FIXTURE_EXERCISES))


@pytest.fixture(autouse=True)
def progress_file(tmp_path, monkeypatch):
    """Every test records progress in its own temporary file, never in the home folder."""
    path = tmp_path / "progress.json"
    monkeypatch.setenv("NNBOOK_PROGRESS", str(path))
    return path
