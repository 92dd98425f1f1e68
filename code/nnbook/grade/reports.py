"""Write the grades: a CSV table, a JSON report per submission, Gradescope results.

``DIR/grades.csv``
    One row per submission: submission, path, chapters, one column per exercise ID
    (blank when the exercise does not belong to that submission's chapters), total,
    max_total, status, reason.
``DIR/reports/<submission>.json``
    Every message of every exercise, every cell's status.
``DIR/gradescope/<submission>/results.json``
    Gradescope's autograder format for that submission.
``DIR/results.json``
    Gradescope's format for the whole run: one test per exercise (prefixed with the
    submission's name when there are several). On Gradescope, run
    ``python -m nnbook.grade /autograder/submission --out /autograder/results``.
``DIR/executed/<submission>.ipynb``
    The notebook as executed by the grader (for review).
"""

from __future__ import annotations

import csv
import json
from pathlib import Path

import nbformat

from nnbook.exercises import registry
from nnbook.exercises.results import Result

from .runner import SubmissionReport

__all__ = ["write_reports", "gradescope_results"]


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


def write_reports(reports: list[SubmissionReport], out: Path) -> None:
    """Write ``grades.csv``, ``reports/``, ``gradescope/``, ``results.json`` and ``executed/``."""
    out = Path(out)
    (out / "reports").mkdir(parents=True, exist_ok=True)
    order = {e.id: (e.chapter, e.id) for e in registry.all()}
    ids = sorted({i for r in reports for i in r.exercises}, key=lambda i: order.get(i, (10**6, i)))
    with open(out / "grades.csv", "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["submission", "path", "chapters", *ids, "total", "max_total", "status", "reason"])
        for r in reports:
            w.writerow(
                [r.name, r.path, " ".join(map(str, r.chapters))]
                + [(f"{r.exercises[i]['score']:g}" if i in r.exercises else "") for i in ids]
                + [f"{r.total:g}", f"{r.max_total:g}", r.status, "; ".join(r.reasons)]
            )
    for r in reports:
        (out / "reports" / f"{r.name}.json").write_text(json.dumps(r.to_dict(), indent=1), encoding="utf-8")
        gs = out / "gradescope" / r.name
        gs.mkdir(parents=True, exist_ok=True)
        (gs / "results.json").write_text(json.dumps(gradescope_results([r], prefix=False), indent=1), encoding="utf-8")
        if r.executed is not None:
            (out / "executed").mkdir(exist_ok=True)
            nbformat.write(r.executed, str(out / "executed" / f"{r.name}.ipynb"))
    (out / "results.json").write_text(json.dumps(gradescope_results(reports), indent=1), encoding="utf-8")
