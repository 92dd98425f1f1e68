"""A kernel with limits, for grading.

The grader starts kernels through a private kernelspec whose command is
``python -m nnbook.grade.kernel --memory-mb N --cpu-seconds S --processes P --file-mb F
-f {connection_file}`` (inside ``bwrap`` with ``--sandbox``, see :mod:`nnbook.grade.isolation`).
This module sets the resource limits and then replaces itself with the ordinary IPython
kernel (``os.execv``), so the limits hold for the whole kernel process and its children:

``RLIMIT_AS``
    the address space: an allocation beyond it raises ``MemoryError`` in the student's cell;
``RLIMIT_CPU``
    CPU seconds of each process: a process beyond it is killed (``SIGXCPU``). The grader
    does not use it (it counts CPU seconds itself, :mod:`nnbook.grade.procs`): with it set,
    Linux counts CPU time in whole clock ticks and ``time.process_time`` in the kernel no
    longer sees short intervals;
``RLIMIT_NPROC``
    processes and threads of the user: the processes the user already has plus ``P``, so a
    fork bomb gets ``BlockingIOError`` instead of filling the machine (the kernel does not
    enforce this limit for root; the grader also counts the kernel's processes and stops
    them, see :mod:`nnbook.grade.procs`);
``RLIMIT_FSIZE``
    the size of any file the kernel writes; ``SIGXFSZ`` is ignored, so a write beyond it
    fails with ``OSError`` (errno ``EFBIG``) instead of killing the kernel.
"""

from __future__ import annotations

import json
import os
import signal
import sys
from pathlib import Path

__all__ = ["KERNEL_NAME", "write_kernelspec", "main", "user_tasks"]

KERNEL_NAME = "nnbook-grader"

_OPTIONS = ("--memory-mb", "--cpu-seconds", "--processes", "--file-mb")


def write_kernelspec(directory: str | os.PathLike, memory_mb: int, cpu_seconds: int = 0, processes: int = 0,
                     file_mb: int = 0, wrapper: list[str] | None = None) -> Path:
    """Write ``<directory>/<KERNEL_NAME>/kernel.json`` and return ``directory``.

    Parameters
    ----------
    directory : path
        A folder to use as the kernel spec manager's ``kernel_dirs``.
    memory_mb : int
        Address-space limit of the kernel in MiB (0: no limit).
    cpu_seconds, processes, file_mb : int
        The other limits (0: none); see the module docstring.
    wrapper : list of str, optional
        A command the kernel runs inside (``bwrap ... --``); its interrupts are then sent
        as messages, since a signal to the wrapper would not reach the kernel.
    """
    spec_dir = Path(directory) / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    argv = [sys.executable, "-m", "nnbook.grade.kernel", *(["--sandboxed"] if wrapper else []),
            "--memory-mb", str(int(memory_mb)),
            "--cpu-seconds", str(int(cpu_seconds)), "--processes", str(int(processes)), "--file-mb", str(int(file_mb)),
            "-f", "{connection_file}"]
    spec = {
        "argv": [*(wrapper or []), *argv],
        "display_name": "Python 3 (nnbook grader)",
        "language": "python",
        "interrupt_mode": "message" if wrapper else "signal",
        "metadata": {"debugger": False},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return Path(directory)


def user_tasks(uid: int | None = None) -> int:
    """Processes and threads of the user `uid` now (what ``RLIMIT_NPROC`` counts)."""
    uid = os.getuid() if uid is None else uid
    count = 0
    for entry in os.scandir("/proc"):
        if not entry.name.isdigit():
            continue
        try:
            with open(f"/proc/{entry.name}/status", encoding="ascii", errors="replace") as f:
                owner = threads = None
                for line in f:
                    if line.startswith("Uid:"):
                        owner = int(line.split()[1])
                    elif line.startswith("Threads:"):
                        threads = int(line.split()[1])
            if owner == uid:
                count += threads or 1
        except (OSError, ValueError, IndexError):
            continue
    return count


def _set(resource_module, which: str, soft: int, hard: int | None = None) -> None:
    limit = getattr(resource_module, which)
    hard = soft if hard is None else hard
    try:
        _, current = resource_module.getrlimit(limit)
        if current != resource_module.RLIM_INFINITY:
            soft, hard = min(soft, current), min(hard, current)
        resource_module.setrlimit(limit, (soft, hard))
    except (ValueError, OSError) as exc:  # pragma: no cover - exotic systems
        print(f"nnbook grader: could not set {which}: {exc}", file=sys.stderr)


def main(argv: list[str] | None = None) -> None:
    """Set the limits, then exec ``python -m ipykernel_launcher`` with the other arguments."""
    argv = list(sys.argv[1:] if argv is None else argv)
    if "--sandboxed" in argv:
        # In its own PID namespace the kernel's parent is the sandbox's init: ipykernel would
        # take that for a dead parent and exit. The sandbox ends the kernel with the grader.
        argv.remove("--sandboxed")
        os.environ.pop("JPY_PARENT_PID", None)
    values = dict.fromkeys(_OPTIONS, 0)
    for option in _OPTIONS:
        if option in argv:
            i = argv.index(option)
            values[option] = int(argv[i + 1])
            del argv[i : i + 2]
    try:
        import resource
    except ImportError:  # pragma: no cover - non-POSIX
        resource = None
    if resource is not None:
        if values["--memory-mb"] > 0:
            _set(resource, "RLIMIT_AS", values["--memory-mb"] * 1024 * 1024)
        if values["--cpu-seconds"] > 0:
            _set(resource, "RLIMIT_CPU", values["--cpu-seconds"], values["--cpu-seconds"] + 5)
        if values["--file-mb"] > 0:
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # ignored signals stay ignored across exec
            _set(resource, "RLIMIT_FSIZE", values["--file-mb"] * 1024 * 1024)
        if values["--processes"] > 0 and hasattr(resource, "RLIMIT_NPROC"):
            _set(resource, "RLIMIT_NPROC", user_tasks() + values["--processes"])
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])


if __name__ == "__main__":
    main()
