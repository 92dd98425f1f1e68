"""Grade one submission: run it in a fresh kernel, then run the grading harness.

The student's code cells run one by one with nbclient (errors allowed: a failing cell
is recorded and the next one runs). Limits: a per-cell timeout, a per-notebook time
limit and a memory limit (see :mod:`nnbook.grade.kernel`). A cell that times out is
interrupted; if the kernel does not answer after the interrupt, or if a cell kills the
kernel (``os._exit``, a segfault, ``exit()``), the notebook is run again in a new
kernel without the offending cell, so everything else still earns its credit. After
the student's cells the grader appends one cell running
:mod:`nnbook.exercises.grading_harness`, which writes the results to a file only the
grader knows; if a student's function kills the kernel during grading, that exercise
scores 0 and the rest are graded in a fresh kernel.
"""

from __future__ import annotations

import asyncio
import copy
import json
import os
import secrets
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from queue import Empty
from typing import Any

import nbformat

from nnbook.exercises import registry
from nnbook.exercises.grading_harness import harness_source
from nnbook.exercises.results import Result

from .kernel import KERNEL_NAME, write_kernelspec
from .submissions import Submission, detect_chapters, exercises_for, read_notebook

__all__ = ["GradeOptions", "SubmissionReport", "grade_submission"]


@dataclass
class GradeOptions:
    """Limits and choices of a grading run.

    Attributes
    ----------
    cell_timeout : float
        Seconds one cell may run.
    notebook_timeout : float
        Seconds for the whole notebook, grading included.
    memory_mb : int
        Address-space limit of the kernel (0: none).
    salt : str
        Salt of the grading seed (grading inputs differ from the public ones).
    chapters : list of str, optional
        Force the chapters (numbers or slugs) instead of detecting them.
    extra_exercises : str, optional
        Extra exercise modules (``NNBOOK_EXTRA_EXERCISES``) for the kernel.
    max_kernels : int
        How many times a notebook may be restarted after kernel deaths.
    interrupt_grace : float
        Seconds a timed-out cell has to stop after an interrupt before its kernel is
        replaced.
    """

    cell_timeout: float = 60.0
    notebook_timeout: float = 600.0
    memory_mb: int = 4096
    salt: str = "nnbook-grading"
    chapters: list | None = None
    extra_exercises: str | None = None
    max_kernels: int = 5
    interrupt_grace: float = 10.0


@dataclass
class SubmissionReport:
    """Everything the grader learned about one submission.

    Attributes
    ----------
    name, path : str
    status : {"ok", "errors", "not graded"}
        ``"errors"``: graded, but cells failed, timed out or killed the kernel.
    reasons : list of str
    chapters : list of int
    chapter_source : str
    exercises : dict of str to dict
        Exercise ID to :meth:`Result.to_dict`.
    cells : list of dict
        Per code cell: index, status (ok, error, timeout, killed kernel, not run), error.
    seconds : float
    """

    name: str
    path: str
    status: str = "ok"
    reasons: list = field(default_factory=list)
    chapters: list = field(default_factory=list)
    chapter_source: str = ""
    exercises: dict = field(default_factory=dict)
    cells: list = field(default_factory=list)
    seconds: float = 0.0
    executed: Any = field(default=None, repr=False)

    @property
    def total(self) -> float:
        return float(sum(r["score"] for r in self.exercises.values()))

    @property
    def max_total(self) -> float:
        return float(sum(r["max_points"] for r in self.exercises.values()))

    def to_dict(self) -> dict:
        d = asdict(self)
        d.pop("executed", None)
        d["total"] = self.total
        d["max_total"] = self.max_total
        return d


def grade_submission(sub: Submission, opts: GradeOptions) -> SubmissionReport:
    """Grade one submission; never raises (problems become the report's reasons).

    Parameters
    ----------
    sub : Submission
    opts : GradeOptions

    Returns
    -------
    SubmissionReport
    """
    start = time.monotonic()
    report = SubmissionReport(name=sub.name, path=str(sub.path))
    try:
        _grade(sub, opts, report)
    except Exception as exc:  # noqa: BLE001 - the batch must never abort
        report.status = "not graded" if not report.exercises else "errors"
        report.reasons.append(f"grader error: {type(exc).__name__}: {exc}")
    for exercise_id in list(report.exercises):
        if report.exercises[exercise_id] is None:  # pragma: no cover - defensive
            del report.exercises[exercise_id]
    report.seconds = round(time.monotonic() - start, 2)
    return report


def _grade(sub: Submission, opts: GradeOptions, report: SubmissionReport) -> None:
    try:
        nb = read_notebook(sub.path)
    except Exception as exc:  # noqa: BLE001
        report.status = "not graded"
        report.reasons.append(f"could not read the notebook: {type(exc).__name__}: {exc}")
        return
    chapters, source = detect_chapters(nb, sub.path, opts.chapters)
    report.chapters, report.chapter_source = chapters, source
    ids = exercises_for(chapters)
    if not ids:
        report.status = "not graded"
        report.reasons.append(
            "could not tell which chapter this notebook belongs to (no nnbook metadata, no "
            "exercise ids in its code); use --chapter" if not chapters else f"chapters {chapters} have no exercises"
        )
        return
    with tempfile.TemporaryDirectory(prefix="nnbook-grade-") as tmp:
        asyncio.run(_run(nb, ids, opts, Path(tmp), report))
    if report.status == "ok" and any(c["status"] != "ok" for c in report.cells):
        report.status = "errors"


# ---------------------------------------------------------------------------- kernel


def _kernel_env(tmp: Path, opts: GradeOptions) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "NNBOOK_PROGRESS": str(tmp / "progress.json"),
            "MPLBACKEND": "Agg",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "PYTHONHASHSEED": "0",
        }
    )
    if opts.extra_exercises:
        env[registry.EXTRA_ENV] = opts.extra_exercises
    return env


async def _start(nb, tmp: Path, opts: GradeOptions):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager
    from nbclient import NotebookClient

    from .nbexec import patch_nbclient

    patch_nbclient()          # no stalled waits after widget cells (nbclient#312)

    specs = write_kernelspec(tmp / "kernels", opts.memory_mb)
    km = AsyncKernelManager(kernel_name=KERNEL_NAME, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(specs)]))
    client = NotebookClient(
        nb, km=km, kernel_name=KERNEL_NAME, timeout=int(opts.cell_timeout), allow_errors=True,
        interrupt_on_timeout=False, raise_on_iopub_timeout=False, iopub_timeout=4, record_timing=False,
        startup_timeout=60, shutdown_kernel="immediate",
        extra_arguments=["--HistoryManager.enabled=False"],
    )
    work = tmp / "work"
    work.mkdir(exist_ok=True)
    log = open(tmp / "kernel.log", "ab")  # the kernel's own stdout/stderr, kept out of the terminal
    try:
        await client.async_start_new_kernel(env=_kernel_env(tmp, opts), cwd=str(work), stdout=log, stderr=log)
    finally:
        log.close()
    await client.async_start_new_kernel_client()
    return client, km


async def _stop(client, km) -> None:
    try:
        pid = getattr(getattr(km, "provisioner", None), "pid", None) or getattr(
            getattr(getattr(km, "provisioner", None), "process", None), "pid", None
        )
        if pid:
            import psutil

            try:
                for child in psutil.Process(pid).children(recursive=True):
                    child.kill()
            except psutil.Error:
                pass
    except Exception:  # noqa: BLE001
        pass
    try:
        if client.kc is not None:
            client.kc.stop_channels()
    except Exception:  # noqa: BLE001
        pass
    try:
        await km.shutdown_kernel(now=True)
    except Exception:  # noqa: BLE001
        pass
    try:
        await km.cleanup_resources()
    except Exception:  # noqa: BLE001
        pass


async def _responsive(client, km, seconds: float = 10.0) -> bool:
    """Interrupt the kernel and see whether it answers a trivial request again."""
    try:
        await km.interrupt_kernel()
        msg_id = client.kc.execute("pass", store_history=False)
        deadline = time.monotonic() + seconds
        while True:
            left = deadline - time.monotonic()
            if left <= 0:
                return False
            try:
                msg = await client.kc.get_shell_msg(timeout=left)
            except Empty:
                return False
            if msg.get("parent_header", {}).get("msg_id") == msg_id:
                return True
    except Exception:  # noqa: BLE001
        return False


def _error_of(cell) -> str:
    for out in cell.get("outputs", []):
        if out.get("output_type") == "error":
            return f"{out.get('ename', 'Error')}: {out.get('evalue', '')}".rstrip(": ")
    return ""


# ------------------------------------------------------------------------------ run


async def _run(nb, ids: list[str], opts: GradeOptions, tmp: Path, report: SubmissionReport) -> None:
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    code = [i for i, c in enumerate(nb.cells) if c.get("cell_type") == "code" and c.get("source", "").strip()]
    deadline = time.monotonic() + opts.notebook_timeout
    reserve = min(60.0, 0.25 * opts.notebook_timeout)
    skip: dict[int, str] = {}
    log: dict[int, dict] = {}
    remaining = list(ids)
    results: dict[str, dict] = {}
    exercises = {i: registry.get(i) for i in ids}
    kernels = 0
    executed = None
    while remaining and kernels < opts.max_kernels:
        kernels += 1
        work_nb = copy.deepcopy(nb)
        try:
            client, km = await _start(work_nb, tmp, opts)
        except Exception as exc:  # noqa: BLE001
            report.reasons.append(f"the kernel could not start: {type(exc).__name__}: {exc}")
            break
        restart = False
        try:
            for i in code:
                if i in skip:
                    continue
                left = deadline - time.monotonic() - reserve
                if left < 1:
                    for j in code:
                        if j >= i and j not in log:
                            log[j] = {"index": j, "status": "not run", "error": "notebook time limit reached"}
                    report.reasons.append(f"notebook time limit ({opts.notebook_timeout:g} s) reached before cell {i}")
                    break
                limit = max(1, int(min(opts.cell_timeout, left)))
                client.timeout = limit  # nbclient wants an int
                cell = work_nb.cells[i]
                try:
                    await client.async_execute_cell(cell, i)
                    err = _error_of(cell)
                    log[i] = {"index": i, "status": "error" if err else "ok", "error": err}
                except CellTimeoutError:
                    log[i] = {"index": i, "status": "timeout", "error": f"stopped after {limit:g} s"}
                    skip[i] = "timeout"
                    if not await _responsive(client, km, opts.interrupt_grace):
                        restart = True
                        break
                except DeadKernelError:
                    log[i] = {"index": i, "status": "killed kernel", "error": "the kernel died while running this cell"}
                    skip[i] = "killed kernel"
                    restart = True
                    break
            if restart:
                continue
            # ---- the grading harness
            out = tmp / f"results-{kernels}.json"
            nonce = secrets.token_hex(16)
            hcell = nbformat.v4.new_code_cell(harness_source(remaining, str(out), nonce, opts.salt))
            work_nb.cells.append(hcell)
            budget = 30.0 + sum(2 * getattr(exercises[r], "timeout", 10.0) for r in remaining)
            client.timeout = int(max(10.0, min(budget, deadline - time.monotonic() + reserve)))
            died = ""
            try:
                await client.async_execute_cell(hcell, len(work_nb.cells) - 1)
            except CellTimeoutError:
                died = "took too long"
            except DeadKernelError:
                died = "killed the kernel"
            state = _read_state(out, nonce)
            for exercise_id, res in state.get("results", {}).items():
                if exercise_id in remaining:
                    results[exercise_id] = res
                    remaining.remove(exercise_id)
            executed = work_nb
            if state.get("done"):
                break
            current = state.get("current")
            if current in remaining:
                ex = exercises[current]
                why = died or "stopped the grading"
                results[current] = Result(
                    current, title=ex.title, kind=ex.kind, max_points=ex.points,
                    messages=[f"While `{ex.name}` was being graded, it {why}; no points for this exercise."],
                ).to_dict()
                remaining.remove(current)
                report.reasons.append(f"grading {current}: the student's code {why}")
                continue
            err = _error_of(hcell) or died or "no results were written"
            report.reasons.append(f"the grading harness failed: {err}")
            break
        finally:
            await _stop(client, km)
    for exercise_id in list(remaining):
        ex = exercises[exercise_id]
        results[exercise_id] = Result(
            exercise_id, title=ex.title, kind=ex.kind, max_points=ex.points,
            messages=["Not graded: the notebook could not be run to the end (see the reasons)."],
        ).to_dict()
    report.exercises = {i: results[i] for i in ids if i in results}
    report.cells = [log[i] for i in sorted(log)]
    for i in sorted(log):
        entry = log[i]
        if entry["status"] == "timeout":
            report.reasons.append(f"cell {i} timed out ({entry['error']}) and was skipped")
        elif entry["status"] == "killed kernel":
            report.reasons.append(f"cell {i} killed the kernel; the notebook was run again without it")
        elif entry["status"] == "error":
            report.reasons.append(f"cell {i} raised {entry['error']}")
    if kernels >= opts.max_kernels and remaining:
        report.reasons.append(f"gave up after {kernels} kernels")
    report.executed = executed
    if report.reasons and report.status == "ok":
        report.status = "errors"


def _read_state(path: Path, nonce: str) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return {}
    if not isinstance(data, dict) or data.get("nonce") != nonce:
        return {}
    return data
