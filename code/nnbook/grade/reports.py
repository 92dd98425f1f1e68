"""Write the grades: a CSV table, a JSON report per submission, Gradescope results.

``DIR/grades.csv``
    One row per submission: submission, path, chapters, one column per exercise ID
    (blank when the exercise does not belong to that submission's chapters), total,
    max_total, status, reason.
``DIR/gradebook.csv``
    For a learning management system's import: one row per student (the folder under
    the given path, else the file name), the points of each exercise (the best of the
    student's submissions; 0 when not handed in), and the total. Plain numbers only.
``DIR/reports/<submission>.json``
    Every message of every exercise, every cell's status.
``DIR/gradescope/<submission>/results.json``
    Gradescope's autograder format for that submission.
``DIR/results.json``
    Gradescope's format for the whole run: one test per exercise (prefixed with the
    submission's name when there are several). For Gradescope itself, build the
    autograder archive with ``python -m nnbook.grade bundle`` (:mod:`nnbook.grade.bundle`).
``DIR/executed/<submission>.ipynb``
    The notebook as executed by the grader (for review).
"""

from __future__ import annotations

import csv
import io
import json
import os
import tempfile
from pathlib import Path

import nbformat

from nnbook.exercises import registry
from nnbook.exercises.results import Result

from .runner import SubmissionReport

__all__ = ["write_reports", "gradescope_results", "gradescope_single", "gradebook_rows"]


def _output(result: dict) -> str:
    return Result.from_dict(result).text()


def gradescope_results(reports: list[SubmissionReport], prefix: bool | None = None) -> dict:
    """Gradescope's ``results.json`` for one or several submissions.

    Parameters
    ----------
    reports : list of SubmissionReport
    prefix : bool, optional
        Prefix test names with the submission name (default: when several).
    """
    prefix = len(reports) > 1 if prefix is None else prefix
    tests = []
    for rep in reports:
        for n, (exercise_id, res) in enumerate(rep.exercises.items(), 1):
            title = f"{exercise_id} — {res.get('title', '')}".rstrip(" —")
            tests.append(
                {
                    "name": f"{rep.name}: {title}" if prefix else title,
                    "number": f"{n}" if not prefix else f"{rep.name}.{n}",
                    "score": float(res["score"]),
                    "max_score": float(res["max_points"]),
                    "status": "passed" if res["passed"] else "failed",
                    "output": _output(res),
                    "visibility": "visible",
                }
            )
    lines = []
    for rep in reports:
        head = f"{rep.name}: {rep.total:g}/{rep.max_total:g} points, status {rep.status}"
        lines.append(head)
        lines.extend("  " + r for r in rep.reasons)
    return {
        "score": float(sum(r.total for r in reports)),
        "execution_time": round(sum(r.seconds for r in reports), 2),
        "output": "\n".join(lines),
        "stdout_visibility": "hidden",
        "visibility": "visible",
        "tests": tests,
    }


def gradescope_single(reports: list[SubmissionReport]) -> dict:
    """Gradescope's ``results.json`` for one student's submission folder.

    Gradescope runs the autograder once per student; if the folder held several notebooks,
    the one with the most points counts (the others are named in the output). With none,
    the score is 0 and the output says so.
    """
    graded = [r for r in reports if r.status != "not graded"] or list(reports)
    if not graded:
        return {"score": 0.0, "output": "No notebook (.ipynb) or MyST page (.md) was found in the submission.",
                "visibility": "visible", "stdout_visibility": "hidden", "tests": []}
    best = max(graded, key=lambda r: (r.total, r.max_total))
    doc = gradescope_results([best], prefix=False)
    others = [r for r in reports if r is not best]
    if others:
        doc["output"] += "\nGraded file: " + best.path + "\nAlso found (not counted): " + ", ".join(
            f"{r.path} ({r.total:g}/{r.max_total:g})" for r in others)
    return doc


def _write(path: Path, text: str) -> None:
    """Write atomically: a temporary file in the same folder, then a rename (which replaces a
    planted symbolic link instead of writing through it)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(prefix=".tmp-", dir=path.parent)
    try:
        with os.fdopen(fd, "w", encoding="utf-8", newline="") as f:
            f.write(text)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _csv(rows: list[list]) -> str:
    buffer = io.StringIO()
    csv.writer(buffer).writerows(rows)
    return buffer.getvalue()


def gradebook_rows(reports: list[SubmissionReport], ids: list[str]) -> list[list]:
    """Rows of ``gradebook.csv``: header, then one row per student (sorted)."""
    best: dict[str, dict[str, float]] = {}
    for r in reports:
        student = r.student or r.name
        scores = best.setdefault(student, {})
        for exercise_id, res in r.exercises.items():
            scores[exercise_id] = max(scores.get(exercise_id, 0.0), float(res["score"]))
    rows = [["student", *ids, "total"]]
    for student in sorted(best):
        scores = best[student]
        rows.append([student, *(f"{scores.get(i, 0.0):g}" for i in ids), f"{sum(scores.values()):g}"])
    return rows


def write_reports(reports: list[SubmissionReport], out: Path) -> None:
    """Write ``grades.csv``, ``gradebook.csv``, ``reports/``, ``gradescope/``, ``results.json``
    and ``executed/``."""
    out = Path(out)
    (out / "reports").mkdir(parents=True, exist_ok=True)
    order = {e.id: (e.chapter, e.id) for e in registry.all()}
    ids = sorted({i for r in reports for i in r.exercises}, key=lambda i: order.get(i, (10**6, i)))
    rows = [["submission", "path", "chapters", *ids, "total", "max_total", "status", "reason"]]
    for r in reports:
        rows.append(
            [r.name, r.path, " ".join(map(str, r.chapters))]
            + [(f"{r.exercises[i]['score']:g}" if i in r.exercises else "") for i in ids]
            + [f"{r.total:g}", f"{r.max_total:g}", r.status, "; ".join(r.reasons)]
        )
    _write(out / "grades.csv", _csv(rows))
    _write(out / "gradebook.csv", _csv(gradebook_rows(reports, ids)))
    for r in reports:
        _write(out / "reports" / f"{r.name}.json", json.dumps(r.to_dict(), indent=1))
        _write(out / "gradescope" / r.name / "results.json", json.dumps(gradescope_results([r], prefix=False), indent=1))
        if r.executed is not None:
            _write(out / "executed" / f"{r.name}.ipynb", nbformat.writes(r.executed))
    _write(out / "results.json", json.dumps(gradescope_results(reports), indent=1))
