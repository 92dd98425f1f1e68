"""``python -m nnbook.grade SUBMISSIONS... --out DIR [options]`` and ``python -m nnbook.grade bundle ...``."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path


def _grade_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="python -m nnbook.grade",
        description="Grade notebooks (.ipynb) or MyST pages (.md) of the book in fresh kernels. "
        "(`python -m nnbook.grade bundle --help`: Gradescope's autograder archive.)",
    )
    p.add_argument("submissions", nargs="+", help="files or folders (searched recursively)")
    p.add_argument("--out", required=True, help="output folder (grades.csv, gradebook.csv, reports/, results.json, ...)")
    p.add_argument("--timeout", type=float, default=60.0, help="seconds per cell (default 60)")
    p.add_argument("--notebook-timeout", type=float, default=600.0, help="seconds per notebook (default 600)")
    p.add_argument("--memory-mb", type=int, default=4096, help="kernel address-space limit in MiB; 0: none")
    p.add_argument("--cpu-seconds", type=int, default=0, help="CPU seconds per kernel process (default: notebook timeout + 60)")
    p.add_argument("--max-processes", type=int, default=256, help="processes a kernel may start (default 256; 0: no limit)")
    p.add_argument("--file-mb", type=int, default=256, help="largest file a kernel may write, MiB (default 256; 0: no limit)")
    p.add_argument("--output-mb", type=float, default=20.0, help="output kept per notebook, MiB (default 20)")
    p.add_argument("--sandbox", nargs="?", const="on", default="off", choices=["on", "off", "auto"],
                   help="run each kernel in bubblewrap: no network, read-only files but its own folder "
                        "(auto: when bwrap works here)")
    p.add_argument("--jobs", "-j", type=int, default=1, help="notebooks graded in parallel")
    p.add_argument("--chapter", action="append", help="grade these chapters (number or slug; repeatable)")
    p.add_argument("--seed", default=None,
                   help="salt of the grading inputs (default: fresh random inputs for every submission)")
    p.add_argument("--extra-exercises", help="extra exercise modules or .py files (NNBOOK_EXTRA_EXERCISES)")
    p.add_argument("--gradescope", type=Path,
                   help="also write Gradescope's results.json here, for the one student of this run")
    p.add_argument("--quiet", action="store_true", help="no progress bar")
    return p


def main(argv=None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv and argv[0] == "bundle":
        from .bundle import main as bundle_main

        return bundle_main(argv[1:])
    from . import grade_batch
    from .runner import GradeOptions

    a = _grade_parser().parse_args(argv)
    sandbox = a.sandbox == "on"
    if a.sandbox == "auto":
        from .isolation import bwrap_problem

        problem = bwrap_problem()
        sandbox = not problem
        if problem:
            print(f"nnbook.grade: no sandbox ({problem})", file=sys.stderr)
    opts = GradeOptions(
        cell_timeout=a.timeout, notebook_timeout=a.notebook_timeout, memory_mb=a.memory_mb,
        salt=None if a.seed is None else str(a.seed), chapters=a.chapter, extra_exercises=a.extra_exercises,
        cpu_seconds=a.cpu_seconds, max_processes=a.max_processes, file_mb=a.file_mb, output_mb=a.output_mb,
        sandbox=sandbox,
    )
    try:
        reports = grade_batch(a.submissions, a.out, opts, jobs=a.jobs, progress=not a.quiet)
    except RuntimeError as exc:
        if not str(exc).startswith("--sandbox"):
            raise
        print(f"nnbook.grade: {exc} (or use --sandbox auto)", file=sys.stderr)
        return 2
    for r in reports:
        print(f"{r.name:<30} {r.total:>6g} / {r.max_total:<6g} {r.status}")
    print(f"wrote {a.out}/grades.csv and {a.out}/gradebook.csv")
    if a.gradescope:
        from .reports import gradescope_single

        a.gradescope.parent.mkdir(parents=True, exist_ok=True)
        a.gradescope.write_text(json.dumps(gradescope_single(reports), indent=1), encoding="utf-8")
        print(f"wrote {a.gradescope}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
