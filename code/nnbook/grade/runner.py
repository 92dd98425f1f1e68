"""Grade one submission: run it in a fresh kernel, collect the answers, judge them here.

The student's code cells run one by one with nbclient (errors allowed: a failing cell is
recorded and the next one runs). Limits: a per-cell timeout, a per-notebook time limit,
and the kernel's resource limits (memory, CPU seconds, processes, file size; see
:mod:`nnbook.grade.kernel`); the output a notebook produces is cut beyond a size, and a
single message beyond a size is dropped on arrival (``ZMQ_MAXMSGSIZE``), so the grader's
memory stays flat whatever a cell prints. A cell that times out is interrupted; if the
kernel does not answer after the interrupt, or if a cell kills the kernel (``os._exit``,
a segfault, ``exit()``), the notebook is run again in a new kernel without the offending
cell, so everything else still earns its credit.

After the student's cells the grader appends one collection cell
(:mod:`nnbook.exercises.grading_harness`) that only *reports* plain data: what the
student's functions return on the grader's fresh inputs, and the hand-in values. The
grader reads the reports from the kernel's messages of that cell and judges them in its
own process (:mod:`nnbook.grade.judge`): the references never enter the kernel, and a
forged report can only claim values, which earn points only if they are right. If a
student's function kills the kernel during collection, that exercise scores 0 and the
rest are collected in a fresh kernel.

Each submission runs in a temporary folder of its own (a copy of the submission in
``work/``, the kernel's home and caches there too); every process the notebook started is
ended when its grading ends (:mod:`nnbook.grade.procs`); with ``sandbox=True`` the kernel
runs in a bubblewrap container (:mod:`nnbook.grade.isolation`).
"""

from __future__ import annotations

import asyncio
import copy
import os
import secrets
import shutil
import tempfile
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from queue import Empty
from typing import Any

import nbformat

from nnbook.exercises.grading_harness import MIME, harness_source
from nnbook.exercises.results import Result
from nnbook.i18n import N_, _

from . import judge
from .kernel import KERNEL_NAME, write_kernelspec
from .procs import Reaper, kill_tree
from .submissions import Submission, detect_chapters, exercises_for, read_notebook

__all__ = ["GradeOptions", "SubmissionReport", "BatchContext", "grade_submission"]


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
    salt : str, optional
        Salt of the grading inputs. None (the default): fresh random bytes for every
        submission, so no notebook can know its inputs in advance; a fixed salt makes the
        inputs reproducible (and known to anyone who knows the salt).
    chapters : list of str, optional
        Force the chapters (numbers or slugs) instead of detecting them.
    extra_exercises : str, optional
        Extra exercise modules (``NNBOOK_EXTRA_EXERCISES``) for the kernel.
    max_kernels : int
        How many times a notebook may be restarted after kernel deaths.
    interrupt_grace : float
        Seconds a timed-out cell has to stop after an interrupt before its kernel is
        replaced.
    cpu_seconds : int
        CPU seconds of each process of a notebook, the kernel included (0: the notebook
        time limit plus a minute); the grader stops a process beyond it.
    max_processes : int
        Processes (and threads) a kernel may add to the user's; beyond, the grader stops
        the extra ones (0: no limit).
    file_mb : int
        Largest file a kernel may write, in MiB (0: no limit).
    output_mb : float
        Output of a notebook kept, in MiB; the rest is cut. One message larger than
        this (or than 16 MiB, whichever is larger) is dropped when it arrives.
    sandbox : bool
        Run each kernel in bubblewrap (no network, read-only file system but its folder).
    """

    cell_timeout: float = 60.0
    notebook_timeout: float = 600.0
    memory_mb: int = 4096
    salt: str | None = None
    chapters: list | None = None
    extra_exercises: str | None = None
    max_kernels: int = 5
    interrupt_grace: float = 10.0
    cpu_seconds: int = 0
    max_processes: int = 256
    file_mb: int = 256
    output_mb: float = 20.0
    sandbox: bool = False


@dataclass
class SubmissionReport:
    """Everything the grader learned about one submission.

    Attributes
    ----------
    name, path : str
    student : str
        Who handed it in (for the gradebook): the folder under the given path, else the
        file name.
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
    student: str = ""
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


class BatchContext:
    """What the submissions of one batch share: a temporary root and the process reaper.

    Parameters
    ----------
    hide : list of path
        What a sandboxed kernel must not see (the submissions, the output folder).
    """

    def __init__(self, hide: list | None = None):
        self.root = Path(tempfile.mkdtemp(prefix="nnbook-grade-"))
        os.chmod(self.root, 0o700)
        self.reaper = Reaper()
        self.hide = [Path(p) for p in (hide or [])]

    def __enter__(self) -> "BatchContext":
        self.reaper.__enter__()
        return self

    def __exit__(self, *exc) -> None:
        self.reaper.__exit__(*exc)
        shutil.rmtree(self.root, ignore_errors=True)


def grade_submission(sub: Submission, opts: GradeOptions, ctx: BatchContext | None = None) -> SubmissionReport:
    """Grade one submission; never raises (problems become the report's reasons).

    Parameters
    ----------
    sub : Submission
    opts : GradeOptions
    ctx : BatchContext, optional
        Shared by the submissions of a batch (default: one for this submission alone).

    Returns
    -------
    SubmissionReport
    """
    if ctx is None:
        with BatchContext(hide=[sub.path]) as own:
            return grade_submission(sub, opts, own)
    start = time.monotonic()
    report = SubmissionReport(name=sub.name, path=str(sub.path), student=getattr(sub, "student", "") or sub.name)
    try:
        _grade(sub, opts, report, ctx)
    except Exception as exc:  # noqa: BLE001 - the batch must never abort
        report.status = "not graded" if not report.exercises else "errors"
        report.reasons.append(f"grader error: {type(exc).__name__}: {exc}")
    report.seconds = round(time.monotonic() - start, 2)
    return report


#: What a student reads when the grading of one exercise stopped the kernel (by the reason's key).
_WHILE_GRADED = {
    "took too long": N_("While `{name}` was being graded, it took too long; no points for this exercise."),
    "killed the kernel": N_("While `{name}` was being graded, it killed the kernel; no points for this exercise."),
    "stopped the grading": N_("While `{name}` was being graded, it stopped the grading; no points for this exercise."),
}


def _grade(sub: Submission, opts: GradeOptions, report: SubmissionReport, ctx: BatchContext) -> None:
    try:
        nb = read_notebook(sub.path, getattr(sub, "data", None))
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
    salt = opts.salt if opts.salt is not None else secrets.token_hex(16)
    plans = judge.plan(ids, salt)
    folder = Path(tempfile.mkdtemp(prefix="sub-", dir=ctx.root))
    try:
        (folder / "work").mkdir()
        (folder / "run").mkdir()
        data = getattr(sub, "data", None)  # the submission's own file, as read at the start, and nothing else
        if data is not None:
            (folder / "work" / Path(sub.path).name).write_bytes(data)
        _copy_font_cache(folder / "work" / ".config" / "matplotlib")
        asyncio.run(_run(nb, plans, opts, folder, report, ctx))
    finally:
        ctx.reaper.sweep()
        shutil.rmtree(folder, ignore_errors=True)
    if report.status == "ok" and any(c["status"] != "ok" for c in report.cells):
        report.status = "errors"


# ---------------------------------------------------------------------------- kernel


def _copy_font_cache(target: Path) -> None:
    """Give the kernel's own matplotlib folder the grader's font list (else built anew, ~0.3 s)."""
    home = Path(os.path.expanduser("~"))
    source = Path(os.environ.get("MPLCONFIGDIR") or Path(os.environ.get("XDG_CACHE_HOME") or home / ".cache") / "matplotlib")
    try:
        fonts = sorted(source.glob("fontlist-*.json"))
        if fonts:
            target.mkdir(parents=True, exist_ok=True)
            for f in fonts:
                shutil.copy2(f, target / f.name)
    except OSError:
        pass


def _kernel_env(folder: Path, opts: GradeOptions) -> dict:
    work, run = folder / "work", folder / "run"
    env = dict(os.environ)
    if "NNBOOK_CACHE" not in env:  # the lab's trained networks and MNIST, as outside the grader
        try:
            from nnbook.data.mnist import _cache_root

            env["NNBOOK_CACHE"] = str(_cache_root())
        except Exception:  # noqa: BLE001
            pass
    env.update(
        {
            "HOME": str(work),
            "IPYTHONDIR": str(run / f"ipython-{secrets.token_hex(6)}"),  # fresh for every kernel: no startup files
            "MPLCONFIGDIR": str(work / ".config" / "matplotlib"),
            "XDG_CACHE_HOME": str(work / ".cache"),
            "XDG_CONFIG_HOME": str(work / ".config"),
            "JUPYTER_CONFIG_DIR": str(work / ".jupyter"),
            "JUPYTER_RUNTIME_DIR": str(run),
            "TMPDIR": str(work),
            "PYTHONNOUSERSITE": "1",
            "NNBOOK_PROGRESS": str(run / "progress.json"),
            "MPLBACKEND": "Agg",
            "OMP_NUM_THREADS": "1",
            "OPENBLAS_NUM_THREADS": "1",
            "MKL_NUM_THREADS": "1",
            "PYDEVD_DISABLE_FILE_VALIDATION": "1",
            "PYTHONHASHSEED": "0",
        }
    )
    if opts.extra_exercises:
        from nnbook.exercises import registry

        specs = [x.strip() for x in opts.extra_exercises.replace(os.pathsep, ",").split(",") if x.strip()]
        env[registry.EXTRA_ENV] = ",".join(
            os.path.abspath(x) if x.endswith(".py") or os.sep in x else x for x in specs
        )  # the kernel runs in another folder
    return env


def _output_limit(opts: GradeOptions) -> int:
    return int(opts.output_mb * 1024 * 1024)


def _message_limit(opts: GradeOptions) -> int:
    return max(_output_limit(opts), 16 * 1024 * 1024)


def _size(value: Any, depth: int = 0) -> int:
    """Characters of the text in a message's content (what keeping it would cost)."""
    if isinstance(value, str):
        return len(value)
    if depth > 20:
        return 0
    if isinstance(value, dict):
        return sum(_size(v, depth + 1) + 8 for v in value.values())
    if isinstance(value, (list, tuple)):
        return sum(_size(v, depth + 1) + 8 for v in value)
    return 8


def _client_class():
    from nbclient import NotebookClient

    from .nbexec import poll_in_short_steps

    class GraderClient(NotebookClient):
        """A notebook client that caps the output it keeps and picks out the grading records."""

        def __init__(self, *args, output_limit: int, message_limit: int, **kwargs):
            super().__init__(*args, **kwargs)
            self.nn_output_limit = output_limit
            self.nn_message_limit = message_limit
            self.nn_kept = 0
            self.nn_cut = 0
            self.nn_collecting = False
            self.nn_records: list[str] = []
            self.nn_record_chars = 0
            self.nn_idle = False
            self.nn_lost = 0

        async def async_start_new_kernel_client(self):
            import zmq
            import zmq.asyncio
            from nbclient.util import run_hook

            context = zmq.asyncio.Context()
            context.setsockopt(zmq.MAXMSGSIZE, self.nn_message_limit)  # larger messages are dropped on arrival
            context.setsockopt(zmq.RCVHWM, 200)
            self.kc = self.km.client(context=context)
            try:
                await _maybe_await(self.kc.start_channels())
                await _maybe_await(self.kc.wait_for_ready(timeout=self.startup_timeout))
            except Exception:
                await self._async_cleanup_kernel()
                raise
            self.kc.allow_stdin = False
            poll_in_short_steps(self.kc)  # no stalled waits after widget cells (nbclient#312)
            await run_hook(self.on_notebook_start, notebook=self.nb)
            return self.kc

        async def async_execute_cell(self, cell, cell_index, execution_count=None, store_history=True):
            self.nn_idle = False
            result = await super().async_execute_cell(cell, cell_index, execution_count, store_history)
            if not self.nn_idle and self.kc is not None and not await self.nn_iopub_alive(5.0):
                # No "idle" came for this cell and the output channel is silent: a message beyond
                # the size limit was dropped, which also ends the connection. Connect again.
                self.nn_lost += 1
                await self.nn_reconnect_iopub()
            return result

        async def nn_iopub_alive(self, seconds: float) -> bool:
            """Whether the kernel's status messages reach the output channel now."""
            from time import monotonic

            try:
                msg_id = self.kc.kernel_info()
                deadline = monotonic() + seconds
                while monotonic() < deadline:
                    try:
                        msg = await _maybe_await(self.kc.iopub_channel.get_msg(timeout=0.1))
                    except Empty:
                        continue
                    if msg.get("parent_header", {}).get("msg_id") == msg_id:
                        return True
            except Exception:  # noqa: BLE001 - a dead kernel: the caller finds out
                pass
            return False

        async def nn_reconnect_iopub(self, tries: int = 20) -> bool:
            try:
                if self.kc._iopub_channel is not None:
                    self.kc._iopub_channel.close()
            except Exception:  # noqa: BLE001
                pass
            self.kc._iopub_channel = None
            try:
                self.kc.iopub_channel.start()
            except Exception:  # noqa: BLE001
                return False
            for _try in range(tries):  # a new subscriber misses what is sent before it is connected
                if await self.nn_iopub_alive(0.5):
                    return True
            return False

        def process_message(self, msg, cell, cell_index):
            msg_type = msg.get("msg_type", "")
            content = msg.get("content") or {}
            if msg_type == "status" and isinstance(content, dict) and content.get("execution_state") == "idle":
                self.nn_idle = True
            data = content.get("data") if isinstance(content, dict) else None
            if msg_type in ("display_data", "execute_result") and isinstance(data, dict) and MIME in data:
                text = data[MIME]
                if self.nn_collecting and isinstance(text, str) and self.nn_record_chars + len(text) <= 64 * self.nn_message_limit:
                    self.nn_records.append(text)
                    self.nn_record_chars += len(text)
                return None
            if msg_type in ("stream", "display_data", "execute_result", "error", "update_display_data") or msg_type.startswith("comm"):
                size = _size(content)
                if self.nn_cut or self.nn_kept + size > self.nn_output_limit:
                    if not self.nn_cut and isinstance(cell, dict) and "outputs" in cell:
                        cell["outputs"].append(nbformat.v4.new_output(
                            "stream", name="stderr", text="[nnbook grader: the output is cut here]\n"))
                    self.nn_cut += max(size, 1)
                    return None
                self.nn_kept += size
            return super().process_message(msg, cell, cell_index)

    return GraderClient


async def _maybe_await(value):
    if asyncio.iscoroutine(value) or isinstance(value, asyncio.Future):
        return await value
    return value


async def _start(nb, folder: Path, opts: GradeOptions, ctx: BatchContext):
    from jupyter_client.kernelspec import KernelSpecManager
    from jupyter_client.manager import AsyncKernelManager

    run, work = folder / "run", folder / "work"
    wrapper = None
    if opts.sandbox:
        from .isolation import bwrap_command

        wrapper = bwrap_command(folder, [ctx.root, *ctx.hide], work)
    specs = write_kernelspec(run / "kernels", opts.memory_mb, 0, opts.max_processes, opts.file_mb, wrapper)
    km = AsyncKernelManager(
        kernel_name=KERNEL_NAME, kernel_spec_manager=KernelSpecManager(kernel_dirs=[str(specs)]),
        transport="ipc", ip=str(run / "ipc"), connection_file=str(run / "connection.json"),
    )
    client = _client_class()(
        nb, km=km, kernel_name=KERNEL_NAME, timeout=int(opts.cell_timeout), allow_errors=True,
        interrupt_on_timeout=False, raise_on_iopub_timeout=False, iopub_timeout=4, record_timing=False,
        startup_timeout=60, shutdown_kernel="immediate", extra_arguments=["--HistoryManager.enabled=False"],
        output_limit=_output_limit(opts), message_limit=_message_limit(opts),
    )
    log = open(run / "kernel.log", "ab")  # the kernel's own stdout/stderr, kept out of the terminal
    try:
        with ctx.reaper.lock:  # the new kernel is tracked before any sweep can see it
            await client.async_start_new_kernel(env=_kernel_env(folder, opts), cwd=str(work), stdout=log, stderr=log)
            ctx.reaper.track(_kernel_pid(km))
    finally:
        log.close()
    await client.async_start_new_kernel_client()
    return client, km


def _kernel_pid(km) -> int | None:
    provisioner = getattr(km, "provisioner", None)
    pid = getattr(provisioner, "pid", None)
    if pid is None:
        pid = getattr(getattr(provisioner, "process", None), "pid", None)
    return pid


async def _stop(client, km, ctx: BatchContext) -> None:
    pid = _kernel_pid(km)
    ctx.reaper.end_kernel(pid)
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
    ctx.reaper.untrack(pid)
    ctx.reaper.end_kernel(pid)
    ctx.reaper.sweep()
    try:
        client.kc.context.destroy(linger=0)
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


async def _watch_processes(km, opts: GradeOptions, ctx: BatchContext, seen: dict) -> None:
    """Stop a kernel's processes when there are more than ``max_processes`` of them, and any
    of its processes (the kernel too) beyond its CPU seconds."""
    pid = _kernel_pid(km)
    cpu_limit = opts.cpu_seconds or opts.notebook_timeout + 60
    while True:
        await asyncio.sleep(1.0)
        n, cpu = await asyncio.to_thread(ctx.reaper.census, pid)
        if opts.max_processes > 0 and n > opts.max_processes:
            seen["stopped"] = max(seen.get("stopped", 0), n)
            await asyncio.to_thread(ctx.reaper.end_kernel, pid)
            await asyncio.to_thread(ctx.reaper.sweep)
        over = [p for p, seconds in cpu.items() if seconds > cpu_limit]
        if over:
            seen["cpu"] = cpu_limit
            await asyncio.to_thread(kill_tree, over)


# ------------------------------------------------------------------------------ run


async def _run(nb, plans: list, opts: GradeOptions, folder: Path, report: SubmissionReport, ctx: BatchContext) -> None:
    from nbclient.exceptions import CellTimeoutError, DeadKernelError

    code = [i for i, c in enumerate(nb.cells) if c.get("cell_type") == "code" and c.get("source", "").strip()]
    deadline = time.monotonic() + opts.notebook_timeout
    reserve = min(60.0, 0.25 * opts.notebook_timeout)
    skip: dict[int, str] = {}
    log: dict[int, dict] = {}
    by_id = {p.exercise.id: p for p in plans}
    results: dict[str, dict] = {}
    for p in plans:
        if p.problem:
            results[p.exercise.id] = judge.judge(p, judge.Records()).to_dict()
    remaining = [p.exercise.id for p in plans if not p.problem]
    kernels = 0
    isolate = give_up = False
    executed = None
    cut = lost = 0
    processes: dict = {}
    while remaining and kernels < opts.max_kernels:
        kernels += 1
        work_nb = copy.deepcopy(nb)
        try:
            client, km = await _start(work_nb, folder, opts, ctx)
        except Exception as exc:  # noqa: BLE001
            report.reasons.append(f"the kernel could not start: {type(exc).__name__}: {exc}")
            break
        watchdog = asyncio.ensure_future(_watch_processes(km, opts, ctx, processes))
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
            # ---- the collection cells: plain data out of the kernel, judged here. All exercises
            # in one cell; after a kernel death one exercise per cell, because a kernel that dies
            # can take the reports still queued on its way out with it (os._exit), so only then
            # is the exercise that killed it known for sure.
            while remaining:
                todo = [by_id[r] for r in (remaining[:1] if isolate else remaining)]
                hcell = nbformat.v4.new_code_cell(harness_source(judge.requests_of(todo)))
                work_nb.cells.append(hcell)
                budget = 30.0 + sum(2 * getattr(p.exercise, "timeout", 10.0) for p in todo)
                client.timeout = int(max(10.0, min(budget, deadline - time.monotonic() + reserve)))
                died = ""
                client.nn_records = []
                client.nn_collecting = True
                try:
                    await client.async_execute_cell(hcell, len(work_nb.cells) - 1)
                except CellTimeoutError:
                    died = "took too long"
                except DeadKernelError:
                    died = "killed the kernel"
                finally:
                    client.nn_collecting = False
                records = judge.Records(client.nn_records)
                executed = work_nb
                before = len(remaining)
                for exercise_id in list(remaining):
                    if records.ended(exercise_id):
                        results[exercise_id] = judge.judge(by_id[exercise_id], records).to_dict()
                        remaining.remove(exercise_id)
                if died == "killed the kernel" and not isolate:
                    isolate = True              # run again, one exercise per cell, in a new kernel
                    break
                if records.done and not died and len(remaining) < before:
                    continue                    # the next exercise (isolated), or nothing left
                current = todo[0].exercise.id if isolate else (remaining[0] if remaining else "")
                if current in remaining and (died or records.by_id.get(current, {}).get("started")):
                    ex = by_id[current].exercise
                    why = died or "stopped the grading"
                    results[current] = Result(
                        current, title=_(ex.title), kind=ex.kind, max_points=ex.points,
                        messages=[_(_WHILE_GRADED[why]).format(name=ex.name)],
                    ).to_dict()
                    remaining.remove(current)
                    report.reasons.append(f"grading {current}: the student's code {why}")
                    break                       # a new kernel for the rest
                if not remaining:
                    break
                err = _error_of(hcell) or "no results came back from the kernel"
                report.reasons.append(f"the collection of the answers failed: {err}")
                give_up = True
                break
            if give_up or not remaining:
                break
        finally:
            watchdog.cancel()
            try:
                await watchdog
            except (asyncio.CancelledError, Exception):  # noqa: BLE001
                pass
            cut += client.nn_cut
            lost += client.nn_lost
            await _stop(client, km, ctx)
    for exercise_id in list(remaining):
        ex = by_id[exercise_id].exercise
        results[exercise_id] = Result(
            exercise_id, title=_(ex.title), kind=ex.kind, max_points=ex.points,
            messages=[_("Not graded: the notebook could not be run to the end (see the reasons).")],
        ).to_dict()
    report.exercises = {p.exercise.id: results[p.exercise.id] for p in plans if p.exercise.id in results}
    report.cells = [log[i] for i in sorted(log)]
    for i in sorted(log):
        entry = log[i]
        if entry["status"] == "timeout":
            report.reasons.append(f"cell {i} timed out ({entry['error']}) and was skipped")
        elif entry["status"] == "killed kernel":
            report.reasons.append(f"cell {i} killed the kernel; the notebook was run again without it")
        elif entry["status"] == "error":
            report.reasons.append(f"cell {i} raised {entry['error']}")
    if cut or lost:
        big = f"; {lost} message(s) larger than {_message_limit(opts) / 2**20:g} MiB dropped" if lost else ""
        report.reasons.append(f"output beyond {opts.output_mb:g} MiB was cut ({cut / 2**20:.1f} MiB dropped{big})")
    if processes.get("cpu"):
        report.reasons.append(f"a process of the notebook used more than {processes['cpu']:g} CPU seconds and was stopped")
    if processes.get("stopped"):
        report.reasons.append(
            f"the notebook ran more than {opts.max_processes} processes at once ({processes['stopped']}); they were stopped"
        )
    if kernels >= opts.max_kernels and remaining:
        report.reasons.append(f"gave up after {kernels} kernels")
    report.executed = executed
    if report.reasons and report.status == "ok":
        report.status = "errors"
