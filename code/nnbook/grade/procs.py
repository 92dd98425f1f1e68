"""Nothing a notebook starts outlives its grading: the grader as a child subreaper.

A process whose parent exits is normally adopted by ``init``, out of the grader's reach: a
notebook could leave a daemon behind (``start_new_session=True``, a double fork, ``nohup``)
that changes files while other notebooks are graded. On Linux the grader therefore marks
itself a *child subreaper* (``prctl(PR_SET_CHILD_SUBREAPER)``): every orphan among its
descendants is adopted by the grader instead. After each submission the grader kills the
kernel's whole process tree and every adopted process started during the batch that is not
a kernel of a submission still running (:class:`Reaper`), and reaps them, so that not even
a zombie remains. While a notebook runs, :meth:`Reaper.count` lets the grader stop a fork
loop that the user's process limit does not stop (the kernel does not apply
``RLIMIT_NPROC`` to root), and any process of a notebook beyond its CPU seconds (counted
here rather than with ``RLIMIT_CPU``: with that limit set, Linux counts a process's CPU time
in whole clock ticks, and ``time.process_time`` inside the kernel, which the book's own
timing code uses, stops seeing anything shorter).
"""

from __future__ import annotations

import ctypes
import ctypes.util
import os
import signal
import sys
import threading
import time

import psutil

__all__ = ["set_subreaper", "is_subreaper", "Reaper", "kill_tree"]

PR_SET_CHILD_SUBREAPER = 36
PR_GET_CHILD_SUBREAPER = 37


def _prctl():
    if not sys.platform.startswith("linux"):
        return None
    try:
        libc = ctypes.CDLL(ctypes.util.find_library("c") or "libc.so.6", use_errno=True)
    except OSError:  # pragma: no cover
        return None
    return libc.prctl


def set_subreaper(on: bool = True) -> bool:
    """Make this process a child subreaper (or stop being one); False where not supported."""
    prctl = _prctl()
    if prctl is None:
        return False
    return prctl(PR_SET_CHILD_SUBREAPER, int(bool(on)), 0, 0, 0) == 0


def is_subreaper() -> bool:
    """Whether this process is a child subreaper now."""
    prctl = _prctl()
    if prctl is None:
        return False
    value = ctypes.c_int(0)
    if prctl(PR_GET_CHILD_SUBREAPER, ctypes.byref(value), 0, 0, 0) != 0:
        return False
    return bool(value.value)


def _alive(p: psutil.Process) -> bool:
    try:
        return p.status() != psutil.STATUS_ZOMBIE
    except psutil.Error:
        return False


_TICK = os.sysconf("SC_CLK_TCK") if hasattr(os, "sysconf") else 100


def _table() -> dict[int, tuple[int, str, float]]:
    """``{pid: (ppid, state, cpu_seconds)}`` of every process, from one pass over ``/proc``
    (psutil elsewhere)."""
    if not os.path.isdir("/proc/self"):
        out = {}
        for p in psutil.process_iter(["ppid", "status", "cpu_times"]):
            cpu = p.info["cpu_times"]
            out[p.pid] = (p.info["ppid"] or 0, "Z" if p.info["status"] == psutil.STATUS_ZOMBIE else "R",
                          (cpu.user + cpu.system) if cpu else 0.0)
        return out
    out = {}
    for name in os.listdir("/proc"):
        if not name.isdigit():
            continue
        try:
            with open(f"/proc/{name}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        rest = stat[stat.rfind(b")") + 2 :].split()
        if len(rest) >= 13:  # fields 3 (state), 4 (ppid), ..., 14 (utime), 15 (stime)
            out[int(name)] = (int(rest[1]), rest[0].decode("ascii", "replace"), (int(rest[11]) + int(rest[12])) / _TICK)
    return out


def _below(table: dict, roots) -> list[int]:
    children: dict[int, list[int]] = {}
    for pid, (ppid, *_) in table.items():
        children.setdefault(ppid, []).append(pid)
    found, todo = [], list(roots)
    while todo:
        for child in children.get(todo.pop(), []):
            if child not in found:
                found.append(child)
                todo.append(child)
    return found


def descendants(pid: int) -> list[psutil.Process]:
    """The living descendants of `pid` (not `pid` itself)."""
    table = _table()
    out = []
    for child in _below(table, [pid]):
        if table[child][1] != "Z":
            try:
                out.append(psutil.Process(child))
            except psutil.Error:
                pass
    return out


def _reap(pids) -> None:
    """Collect the exit status of those of `pids` that are our own (zombie) children."""
    for pid in pids:
        try:
            os.waitpid(pid, os.WNOHANG)
        except (ChildProcessError, OSError):
            pass


def kill_tree(roots: list[int], include_roots: bool = True, rounds: int = 50) -> int:
    """SIGKILL `roots` (if `include_roots`) and all their descendants, until none is left.

    Processes can fork while they are being killed, so this looks again after each round.
    Killed processes that are this process's own children are reaped.

    Returns
    -------
    int
        How many processes were killed.
    """
    killed: set[int] = set()
    for _ in range(rounds):
        targets = []
        for root in roots:
            if include_roots:
                try:
                    p = psutil.Process(root)
                    if _alive(p):
                        targets.append(p)
                except psutil.Error:
                    pass
            targets.extend(descendants(root))
        targets = [p for p in targets if p.pid != os.getpid()]
        if not targets:
            break
        for p in targets:
            try:
                p.send_signal(signal.SIGKILL)
                killed.add(p.pid)
            except psutil.Error:
                pass
        time.sleep(0.01)
        _reap(killed)
    _reap(killed)
    return len(killed)


class Reaper:
    """The processes of one grading batch.

    Parameters
    ----------
    started : float, optional
        Processes started before this time (``time.time()``) are never touched (default:
        now): the grader's caller may have children of its own.
    """

    def __init__(self, started: float | None = None):
        self.started = time.time() - 1.0 if started is None else started
        me = os.getpid()
        self.before = {pid for pid, (ppid, *_) in _table().items() if ppid == me}  # never ours to end
        self.kernels: set[int] = set()
        self.lock = threading.RLock()  # held while a kernel starts, so a sweep never sees it untracked
        self.subreaper = False
        self._was_subreaper = False

    def __enter__(self) -> "Reaper":
        self._was_subreaper = is_subreaper()
        self.subreaper = set_subreaper(True) or self._was_subreaper
        return self

    def __exit__(self, *exc) -> None:
        self.sweep(everything=True)
        if not self._was_subreaper:
            set_subreaper(False)

    def track(self, pid: int | None) -> None:
        if pid:
            with self.lock:
                self.kernels.add(int(pid))

    def untrack(self, pid: int | None) -> None:
        with self.lock:
            self.kernels.discard(pid)

    def _adopted(self, everything: bool = False) -> list[psutil.Process]:
        """Our children started during the batch that are not running kernels."""
        out = []
        try:
            children = psutil.Process(os.getpid()).children()
        except psutil.Error:
            return out
        for p in children:
            try:
                if p.create_time() < self.started:
                    continue
            except psutil.Error:
                continue
            if not everything and p.pid in self.kernels:
                continue
            out.append(p)
        return out

    def sweep(self, everything: bool = False) -> int:
        """Kill the processes the batch left behind (and reap them); return how many."""
        with self.lock:
            adopted = self._adopted(everything)
            pids = [p.pid for p in adopted]
            zombies = [p.pid for p in adopted if not _alive(p)]
        _reap(zombies)
        return kill_tree([p for p in pids if p not in zombies]) if pids else 0

    def census(self, kernel_pid: int | None) -> tuple[int, dict[int, float]]:
        """How many processes live under a kernel (adopted ones and theirs included), and
        the CPU seconds of each of them and of the kernel."""
        table = _table()
        me = os.getpid()
        with self.lock:
            adopted = [pid for pid, (ppid, *_) in table.items()
                       if ppid == me and pid not in self.kernels and pid not in self.before]
        roots = adopted + ([kernel_pid] if kernel_pid else [])
        living = [pid for pid in _below(table, roots) + adopted if table.get(pid, (0, "Z", 0))[1] != "Z"]
        cpu = {pid: table[pid][2] for pid in living + ([kernel_pid] if kernel_pid in table else [])}
        return len(living), cpu

    def count(self, kernel_pid: int | None) -> int:
        """Living processes under a kernel, plus adopted ones (with their descendants)."""
        return self.census(kernel_pid)[0]

    def end_kernel(self, kernel_pid: int | None) -> int:
        """Kill everything a kernel started (not the kernel itself, whose manager stops it)."""
        if not kernel_pid:
            return 0
        return kill_tree([kernel_pid], include_roots=False)
