"""The set-up the exercise-system tests (tests/exercises) and the grader tests (tests/grading) share.

``tests/conftest.py`` applies it: before the first test module of either folder is
collected, the test-only exercises of ``tests/exercises/fixture_exercises.py`` (chapter 99,
slug ``testing``) are registered; the grader tests also hand the file to the grader
(``--extra-exercises``), whose kernels load it themselves.
"""

from __future__ import annotations

from pathlib import Path

TESTS = Path(__file__).resolve().parent
FOLDERS = ("exercises", "grading")
FIXTURE_EXERCISES = TESTS / "exercises" / "fixture_exercises.py"
_loaded = False


def in_exercise_system(path) -> bool:
    """Whether a test file lies in tests/exercises or tests/grading."""
    try:
        parts = Path(path).resolve().relative_to(TESTS).parts
    except ValueError:
        return False
    return len(parts) > 1 and parts[0] in FOLDERS


def load_fixture_exercises() -> None:
    """Register the test-only exercises (once per test process)."""
    global _loaded
    if not _loaded:
        from nnbook.exercises import registry

        registry.load_extra(str(FIXTURE_EXERCISES))
        _loaded = True
