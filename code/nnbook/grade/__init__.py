"""Instructor grader: ``python -m nnbook.grade SUBMISSIONS... --out DIR``.

Each submission (an ``.ipynb`` notebook or a MyST ``.md`` page) runs in a fresh kernel
with limits; then a grading harness, imported fresh inside that kernel, grades every
exercise of the notebook's chapters against the names the student defined. See
:mod:`nnbook.grade.runner` and :mod:`nnbook.grade.reports`.
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

    from .reports import write_reports

    from .runner import GradeOptions, SubmissionReport, grade_submission
    from .submissions import find_submissions

    from nnbook.exercises import registry

    opts = opts or GradeOptions()
    registry.all()  # load the bank once, before the worker threads
    if opts.extra_exercises:
        import os

        os.environ[registry.EXTRA_ENV] = opts.extra_exercises
        registry.load_extra(opts.extra_exercises)
    subs = find_submissions(paths)
    reports: dict[int, SubmissionReport] = {}
    bar = tqdm(total=len(subs), desc="grading", unit="notebook", disable=not progress)
    with ThreadPoolExecutor(max_workers=max(1, int(jobs))) as pool:
        futures = {pool.submit(grade_submission, s, opts): k for k, s in enumerate(subs)}
        for fut in as_completed(futures):
            k = futures[fut]
            try:
                reports[k] = fut.result()
            except BaseException as exc:  # noqa: BLE001 - never lose a row
                reports[k] = SubmissionReport(name=subs[k].name, path=str(subs[k].path), status="not graded",
                                              reasons=[f"grader error: {exc}"])
            bar.set_postfix_str(f"{subs[k].name}: {reports[k].total:g}/{reports[k].max_total:g}")
            bar.update(1)
    bar.close()
    ordered = [reports[k] for k in range(len(subs))]
    write_reports(ordered, Path(out))
    return ordered


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
