"""A kernel with a memory limit, for grading.

The grader starts kernels through a private kernelspec whose command is
``python -m nnbook.grade.kernel --memory-mb N -f {connection_file}``. This module sets
``RLIMIT_AS`` (the address-space limit: an allocation beyond it raises ``MemoryError``
in the student's cell) and then replaces itself with the ordinary IPython kernel
(``os.execv``), so the limit holds for the whole kernel process and its children.
"""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

__all__ = ["KERNEL_NAME", "write_kernelspec", "main"]

KERNEL_NAME = "nnbook-grader"


def write_kernelspec(directory: str | os.PathLike, memory_mb: int) -> Path:
    """Write ``<directory>/<KERNEL_NAME>/kernel.json`` and return ``directory``.

    Parameters
    ----------
    directory : path
        A folder to use as the kernel spec manager's ``kernel_dirs``.
    memory_mb : int
        Address-space limit of the kernel in MiB (0: no limit).
    """
    spec_dir = Path(directory) / KERNEL_NAME
    spec_dir.mkdir(parents=True, exist_ok=True)
    spec = {
        "argv": [sys.executable, "-m", "nnbook.grade.kernel", "--memory-mb", str(int(memory_mb)),
                 "-f", "{connection_file}"],
        "display_name": "Python 3 (nnbook grader)",
        "language": "python",
        "metadata": {"debugger": False},
    }
    (spec_dir / "kernel.json").write_text(json.dumps(spec, indent=1), encoding="utf-8")
    return Path(directory)


def main(argv: list[str] | None = None) -> None:
    """Set the memory limit, then exec ``python -m ipykernel_launcher`` with the other arguments."""
    argv = list(sys.argv[1:] if argv is None else argv)
    memory_mb = 0
    if "--memory-mb" in argv:
        i = argv.index("--memory-mb")
        memory_mb = int(argv[i + 1])
        del argv[i : i + 2]
    if memory_mb > 0:
        try:
            import resource

            limit = memory_mb * 1024 * 1024
            resource.setrlimit(resource.RLIMIT_AS, (limit, limit))
        except (ImportError, ValueError, OSError) as exc:  # pragma: no cover - non-POSIX
            print(f"nnbook grader: could not set the memory limit: {exc}", file=sys.stderr)
    os.execv(sys.executable, [sys.executable, "-m", "ipykernel_launcher", *argv])


if __name__ == "__main__":
    main()
