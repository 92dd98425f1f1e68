"""Instructor grader: ``python -m nnbook.grade SUBMISSIONS... --out DIR``.

Each submission (an ``.ipynb`` notebook or a MyST ``.md`` page) runs in a fresh kernel
with limits, in a temporary folder of its own; then a collection cell reports, as plain
data, what the student's functions return on inputs the grader drew afresh and the values
the student handed in, and the grader judges every exercise of the notebook's chapters in
its own process (:mod:`nnbook.grade.judge`). Every process a notebook started ends with
its grading (:mod:`nnbook.grade.procs`); ``--sandbox`` runs the kernels in bubblewrap
(:mod:`nnbook.grade.isolation`). See :mod:`nnbook.grade.runner`,
:mod:`nnbook.grade.reports` and, for Gradescope, :mod:`nnbook.grade.bundle`.
"""


__all__ = ["GradeOptions", "SubmissionReport", "grade_submission", "grade_batch", "Submission", "find_submissions", "main"]


def grade_batch(paths, out, opts=None, jobs: int = 1, progress: bool = True):
    """Grade files and folders, write the reports to `out`, return the reports.

    Parameters
    ----------
    paths : list of path
        Files (``.ipynb``, ``.md``) or folders (searched recursively).
    out : path
        Output folder.
    opts : GradeOptions, optional
    jobs : int
        Submissions graded in parallel, each in its own kernel.
    progress : bool
        Show a tqdm progress bar.

    Returns
    -------
    list of SubmissionReport
        In the order of the submissions.
    """
    from concurrent.futures import ThreadPoolExecutor, as_completed
    from pathlib import Path

    from tqdm import tqdm

    from nnbook.exercises import registry

    from .reports import write_reports
    from .runner import BatchContext, GradeOptions, SubmissionReport, grade_submission
    from .submissions import find_submissions

    opts = opts or GradeOptions()
    if opts.sandbox:
        from .isolation import bwrap_problem

        problem = bwrap_problem()
        if problem:
            raise RuntimeError(f"--sandbox: {problem}")
    registry.all()  # load the bank once, before the worker threads
    if opts.extra_exercises:
        import os

        os.environ[registry.EXTRA_ENV] = opts.extra_exercises
        registry.load_extra(opts.extra_exercises)
    _preload()
    subs = find_submissions(paths)
    for s in subs:
        s.snapshot()
    reports: dict[int, SubmissionReport] = {}
    bar = tqdm(total=len(subs), desc="grading", unit="notebook", disable=not progress)
    with BatchContext(hide=[*map(Path, paths), Path(out)]) as ctx, ThreadPoolExecutor(max_workers=max(1, int(jobs))) as pool:
        futures = {pool.submit(grade_submission, s, opts, ctx): k for k, s in enumerate(subs)}
        for fut in as_completed(futures):
            k = futures[fut]
            try:
                reports[k] = fut.result()
            except BaseException as exc:  # noqa: BLE001 - never lose a row
                reports[k] = SubmissionReport(name=subs[k].name, path=str(subs[k].path), student=subs[k].student,
                                              status="not graded", reasons=[f"grader error: {exc}"])
            bar.set_postfix_str(f"{subs[k].name}: {reports[k].total:g}/{reports[k].max_total:g}")
            bar.update(1)
    bar.close()
    ordered = [reports[k] for k in range(len(subs))]
    write_reports(ordered, Path(out))
    return ordered


def _preload() -> None:
    """Import what grading needs before any notebook runs (the kernels run as the same user:
    code loaded later could have been changed on disk by a notebook)."""
    import jupyter_client.kernelspec  # noqa: F401
    import jupyter_client.manager  # noqa: F401
    import nbclient  # noqa: F401
    import nbclient.exceptions  # noqa: F401
    import zmq.asyncio  # noqa: F401

    from nnbook.exercises import checking, compare, grading_harness, plain, results  # noqa: F401

    from . import judge, procs, reports  # noqa: F401


def __getattr__(name):
    if name in {"GradeOptions", "SubmissionReport", "grade_submission"}:
        from . import runner

        return getattr(runner, name)
    if name in {"Submission", "find_submissions"}:
        from . import submissions

        return getattr(submissions, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def main(argv=None) -> int:
    from .__main__ import main as _main

    return _main(argv)
