"""The grader takes a chapter handed in from either edition and grades the answers alone.

A student who worked in the Chinese notebook (``book/zh/<page>.ipynb``: Chinese text, and a
first cell that makes the package speak Chinese) and one who worked in the English notebook,
with the same answers, get the same grade for every exercise. Here both hand in the book's
reference solutions (the reader's notebook with the ``%%solution`` lines removed), and both
hand in the student edition untouched (the placeholders), which must get nothing.
"""

from __future__ import annotations

import json
from pathlib import Path

import nbformat
import pytest

from nnbook.grade import grade_batch
from nnbook.grade.runner import GradeOptions
from nnbook.publish import notebooks

ROOT = Path(__file__).resolve().parents[2]
PAGE = ROOT / "book" / "ch10_backprop.md"

pytestmark = pytest.mark.slow


def _with_solutions(path: Path) -> nbformat.NotebookNode:
    nb = nbformat.read(str(path), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and cell.source.startswith("%%solution"):
            cell.source = cell.source.split("\n", 1)[1]
    return nb


@pytest.fixture(scope="module")
def reports(tmp_path_factory):
    subs = tmp_path_factory.mktemp("subs")
    english, chinese = notebooks.notebook_path(PAGE), notebooks.notebook_path(PAGE, "zh_CN")
    for path in (english, chinese):
        assert path.is_file(), f"{path} is missing: run `make notebooks`"
    nbformat.write(_with_solutions(english), str(subs / "solved-en.ipynb"))
    nbformat.write(_with_solutions(chinese), str(subs / "solved-zh.ipynb"))
    for language, name in (("en", "student-en"), ("zh_CN", "student-zh")):
        student = notebooks.student_path(PAGE, ROOT, language)
        (subs / f"{name}.ipynb").write_bytes(student.read_bytes())
    out = tmp_path_factory.mktemp("out")
    opts = GradeOptions(cell_timeout=60, notebook_timeout=300, memory_mb=4096, salt="languages")
    grade_batch([subs], out, opts, jobs=2, progress=False)
    return {p.stem: json.loads(p.read_text()) for p in (out / "reports").glob("*.json")}


def _scores(report) -> dict:
    """``{exercise id: (score, max points)}`` of a grader report."""
    return {i: (r["score"], r.get("max_points", r.get("points"))) for i, r in report["exercises"].items()}


def test_the_same_answers_get_the_same_grade_in_either_language(reports):
    english, chinese = _scores(reports["solved-en"]), _scores(reports["solved-zh"])
    assert english and english == chinese, (english, chinese)
    assert reports["solved-en"]["total"] == reports["solved-zh"]["total"]


def test_the_reference_solutions_get_their_points_in_either_language(reports):
    """Every exercise the page's solution cells answer gets full points (an exercise answered in
    a widget, with no solution cell, gets none in either language)."""
    for name in ("solved-en", "solved-zh"):
        scores = _scores(reports[name])
        full = [i for i, (score, most) in scores.items() if score == most]
        assert len(full) >= len(scores) - 1 and reports[name]["total"] > 0, (name, scores)


def test_the_untouched_student_edition_gets_nothing_in_either_language(reports):
    english, chinese = _scores(reports["student-en"]), _scores(reports["student-zh"])
    assert english == chinese
    assert all(score == 0 for score, _most in english.values()), english
