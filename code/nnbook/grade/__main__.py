"""``python -m nnbook.grade SUBMISSIONS... --out DIR [--timeout S] [--jobs N] ...``"""

from __future__ import annotations

import argparse
import sys


def main(argv=None) -> int:
    from . import grade_batch
    from .runner import GradeOptions

    p = argparse.ArgumentParser(
        prog="python -m nnbook.grade",
        description="Grade notebooks (.ipynb) or MyST pages (.md) of the book in fresh kernels.",
    )
    p.add_argument("submissions", nargs="+", help="files or folders (searched recursively)")
    p.add_argument("--out", required=True, help="output folder (grades.csv, reports/, results.json, ...)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per cell (default 60)")
    p.add_argument("--notebook-timeout", type=float, default=600.0, help="seconds per notebook (default 600)")
    p.add_argument("--memory-mb", type=int, default=4096, help="kernel address-space limit in MiB; 0: none")
    p.add_argument("--jobs", "-j", type=int, default=1, help="notebooks graded in parallel")
    p.add_argument("--chapter", action="append", help="grade these chapters (number or slug; repeatable)")
    p.add_argument("--seed", default="nnbook-grading", help="salt of the grading seed")
    p.add_argument("--extra-exercises", help="extra exercise modules or .py files (NNBOOK_EXTRA_EXERCISES)")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    a = p.parse_args(argv)
    opts = GradeOptions(
        cell_timeout=a.timeout, notebook_timeout=a.notebook_timeout, memory_mb=a.memory_mb,
        salt=str(a.seed), chapters=a.chapter, extra_exercises=a.extra_exercises,
    )
    reports = grade_batch(a.submissions, a.out, opts, jobs=a.jobs, progress=not a.quiet)
    for r in reports:
        print(f"{r.name:<30} {r.total:>6g} / {r.max_total:<6g} {r.status}")
    print(f"wrote {a.out}/grades.csv")
    return 0


if __name__ == "__main__":
    sys.exit(main())
