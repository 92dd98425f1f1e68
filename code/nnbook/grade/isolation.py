"""``--sandbox``: each kernel in a bubblewrap container.

Without it, a kernel is an ordinary process of the grader's user: it cannot change a grade
(the grader compares in its own process, see :mod:`nnbook.grade.judge`) and it leaves no
process behind (:mod:`nnbook.grade.procs`), but it can read and write whatever that user
can, use the network, and see the other processes of the machine.

With ``--sandbox`` (needs ``bwrap``, Debian package ``bubblewrap``) each kernel runs in
new namespaces: no network (only a loopback device of its own), its own process list
(``--unshare-pid``: it cannot see or signal the grader or other kernels; when the sandbox
ends, every process in it ends), no capabilities (even when the grader runs as root), and
a read-only view of the file system in which only its own submission folder is writable,
while the submissions, the output folder and the other submissions' folders are hidden
(empty and read-only). The grader talks to the kernel over Unix sockets in the submission
folder, the one place both see.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import sys
from pathlib import Path

__all__ = ["BWRAP", "bwrap_problem", "bwrap_command"]

BWRAP = "bwrap"


@functools.lru_cache(maxsize=None)
def bwrap_problem() -> str:
    """``""`` if bubblewrap works here, else why not (a sentence for the user)."""
    exe = shutil.which(BWRAP)
    if exe is None:
        return "bubblewrap (bwrap) is not installed: apt-get install bubblewrap"
    probe = [exe, "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--unshare-pid", "--unshare-net",
             "--unshare-ipc", "--die-with-parent", "true"]
    try:
        done = subprocess.run(probe, capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired) as exc:
        return f"bwrap could not run: {exc}"
    if done.returncode != 0:
        return ("bwrap cannot create namespaces on this machine (" + (done.stderr.strip() or f"exit {done.returncode}")
                + "); unprivileged user namespaces may be disabled")
    return ""


def bwrap_command(own: Path, hide: list[Path], workdir: Path) -> list[str]:
    """The ``bwrap ... --`` prefix of a kernel's command.

    Parameters
    ----------
    own : Path
        The submission's folder: the only writable place (kernel sockets, work folder).
    hide : list of Path
        Folders and files to hide (the submissions, the output folder, the batch's
        temporary folder). Folders become empty and read-only, files empty.
    workdir : Path
        The kernel's working folder (inside `own`).
    """
    exe = shutil.which(BWRAP) or BWRAP
    cmd = [exe, "--die-with-parent", "--unshare-pid", "--unshare-net", "--unshare-ipc", "--unshare-uts",
           "--unshare-cgroup-try", "--ro-bind", "/", "/", "--dev", "/dev", "--proc", "/proc", "--tmpfs", "/dev/shm"]
    needed = [Path(sys.prefix).resolve(), Path(sys.executable).resolve().parent, Path(__file__).resolve().parents[1]]
    emptied: list[str] = []
    for path in hide:
        path = Path(path).resolve()
        if not path.exists() or any(n == path or path in n.parents for n in needed):
            continue  # never hide Python or the package the kernel runs
        if path.is_dir():
            cmd += ["--tmpfs", str(path)]
            emptied.append(str(path))
        else:
            cmd += ["--ro-bind", "/dev/null", str(path)]
    own = Path(own).resolve()
    cmd += ["--bind", str(own), str(own)]
    for path in emptied:  # read-only after the submission's own folder is mounted inside
        cmd += ["--remount-ro", path]
    cmd += ["--chdir", str(Path(workdir).resolve())]
    if os.geteuid() == 0:
        cmd += ["--cap-drop", "ALL"]
    return [*cmd, "--"]
