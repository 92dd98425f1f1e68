"""Grading speed: notebooks per minute for student-edition notebooks with the answers filled in.

``python benchmarks/bench_grade.py [--jobs 1 2] [--chapters 8 10 ...] [--json out.json]``

What is graded: for every chapter with exercises (by default all but the MNIST lab, chapter
17, which trains a network and needs the data), the student edition of its page
(:func:`nnbook.grade.student.student_notebook`) with the answers filled in the way a
student who solved everything would: each placeholder ``raise NotImplementedError(
"Exercise <id>: ...")`` cell is replaced by the page's own ``solution`` cell, and each
hand-in line ``name = None`` is set to the reference answer of its value, choice or
slider exercise. Each batch is graded by ``nnbook.grade.grade_batch`` (fresh kernels, the
default limits) once per ``--jobs`` value; the script reports notebooks per minute,
seconds per notebook (wall clock, and CPU seconds of the grader and its kernels), the points earned (a filled-in notebook should earn every point: a
lost point means the benchmark measured a broken run) and the load average of the machine
before and after (the numbers mean little on a busy machine).

The script only uses functions that exist since the grader was written, so the same file
can time an older tree: ``PYTHONPATH=/tmp/old-tree/code python benchmarks/bench_grade.py``.
"""

from __future__ import annotations

import argparse
import ast
import json
import os
import re
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_SKIP = {17}


def _defs(source: str) -> set[str]:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return set()
    return {n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))}


def _answer_literal(exercise):
    """Python source of the reference answer of a value/choice/slider exercise, or None."""
    import numpy as np

    kind = exercise.kind
    if kind == "value":
        value = exercise.reference_value()
    elif kind == "choice":
        correct = sorted(exercise.correct())
        value = set(correct) if exercise.multiple else correct[0]
    elif kind == "slider":
        value = exercise.solution_setting()
    else:
        return None
    if value is None:
        return None
    if isinstance(value, np.ndarray):
        return f"np.array({value.tolist()!r})"
    if isinstance(value, np.generic):
        value = value.item()
    return repr(value)


def answered_notebook(page: Path):
    """The student edition of `page` with every answer filled in (None if no exercises)."""
    import jupytext

    from nnbook.exercises import registry
    from nnbook.grade.student import student_notebook

    nb = student_notebook(page, ROOT)
    if nb is None or not nb.metadata.get("nnbook", {}).get("chapters"):
        return None
    text = page.read_text(encoding="utf-8")
    full = jupytext.reads(text, fmt="md:myst")
    solutions = [c.source for c in full.cells if c.cell_type == "code" and "solution" in c.metadata.get("tags", [])]
    chapters = set(nb.metadata["nnbook"]["chapters"])
    answers = {e.name: _answer_literal(e) for e in registry.all() if e.chapter in chapters and e.kind != "function"}
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if 'NotImplementedError("Exercise ' in cell.source:
            names = _defs(cell.source)
            for src in solutions:
                if names and names <= _defs(src):
                    cell.source = src
                    break
        m = re.match(r"^([A-Za-z_][A-Za-z0-9_]*)\s*=\s*None\b", cell.source)
        if m and answers.get(m.group(1)) is not None:
            cell.source = f"import numpy as np\n{m.group(1)} = {answers[m.group(1)]}"
    return nb


def build(out: Path, chapters: list[int] | None) -> list[Path]:
    import nbformat

    from nnbook.grade.student import find_pages

    out.mkdir(parents=True, exist_ok=True)
    files = []
    for page in find_pages(ROOT):
        nb = answered_notebook(page)
        if nb is None:
            continue
        chs = set(nb.metadata["nnbook"]["chapters"])
        if chapters is not None and not chs & set(chapters):
            continue
        if chapters is None and chs & DEFAULT_SKIP:
            continue
        target = out / f"{page.stem}.ipynb"
        nbformat.write(nb, str(target))
        files.append(target)
    return files


def _cpu() -> float:
    """CPU seconds of this process and of its finished children (the kernels): what grading
    costs, less sensitive than the wall clock to other work on a busy machine."""
    import resource

    own, kids = resource.getrusage(resource.RUSAGE_SELF), resource.getrusage(resource.RUSAGE_CHILDREN)
    return own.ru_utime + own.ru_stime + kids.ru_utime + kids.ru_stime


def run(files: list[Path], jobs: int, out: Path) -> dict:
    from nnbook.grade import grade_batch
    from nnbook.grade.runner import GradeOptions

    load_before = os.getloadavg()
    cpu_before = _cpu()
    start = time.perf_counter()
    reports = grade_batch([str(f) for f in files], out, GradeOptions(), jobs=jobs, progress=False)
    seconds = time.perf_counter() - start
    cpu = _cpu() - cpu_before
    load_after = os.getloadavg()
    lost = {r.name: [i for i, e in r.exercises.items() if e["score"] < e["max_points"]] for r in reports}
    return {
        "jobs": jobs,
        "notebooks": len(files),
        "seconds": round(seconds, 2),
        "notebooks_per_minute": round(60.0 * len(files) / seconds, 2),
        "seconds_per_notebook": round(seconds / len(files), 2),
        "cpu_seconds_per_notebook": round(cpu / len(files), 2),
        "points": sum(r.total for r in reports),
        "max_points": sum(r.max_total for r in reports),
        "lost": {k: v for k, v in lost.items() if v},
        "status": {r.name: r.status for r in reports if r.status != "ok"},
        "load_before": [round(x, 2) for x in load_before],
        "load_after": [round(x, 2) for x in load_after],
    }


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--jobs", type=int, nargs="+", default=[1, 2], help="values of --jobs to time (default 1 2)")
    p.add_argument("--chapters", type=int, nargs="+", help="chapters to grade (default: all with exercises but 17)")
    p.add_argument("--json", type=Path, help="write the results here")
    p.add_argument("--keep", type=Path, help="keep the notebooks and the grades in this folder")
    a = p.parse_args(argv)
    os.environ.setdefault("NNBOOK_QUIET", "1")
    with tempfile.TemporaryDirectory(prefix="bench-grade-") as tmp:
        base = a.keep or Path(tmp)
        files = build(base / "notebooks", a.chapters)
        if not files:
            print("no notebooks to grade", file=sys.stderr)
            return 1
        print(f"{len(files)} notebooks: {' '.join(f.stem for f in files)}")
        results = []
        for jobs in a.jobs:
            res = run(files, jobs, base / f"grades-jobs{jobs}")
            results.append(res)
            print(
                f"--jobs {jobs}: {res['notebooks_per_minute']:.1f} notebooks/min, "
                f"{res['seconds_per_notebook']:.2f} s per notebook ({res['seconds']:.1f} s in all, "
                f"{res['cpu_seconds_per_notebook']:.2f} CPU s per notebook), "
                f"{res['points']:g}/{res['max_points']:g} points, "
                f"load {res['load_before'][0]:.2f} -> {res['load_after'][0]:.2f}"
            )
            if res["lost"] or res["status"]:
                print(f"  points lost: {res['lost']}; status: {res['status']}")
    doc = {"python": sys.version.split()[0], "cpus": os.cpu_count(), "results": results}
    if a.json:
        a.json.write_text(json.dumps(doc, indent=1), encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
