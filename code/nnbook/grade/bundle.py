"""Gradescope's autograder archive for one chapter: ``python -m nnbook.grade bundle --chapter N --out autograder.zip``.

Gradescope builds an image from the archive once (it runs ``setup.sh`` as root) and then
runs ``run_autograder`` for every submission, with the student's files in
``/autograder/submission`` and the archive unpacked in ``/autograder/source``; the script
must write ``/autograder/results/results.json`` (Gradescope's autograder specification:
``score``, ``tests`` with ``name``, ``score``, ``max_score``, ``status``, ``output``,
``visibility``). The archive holds:

``setup.sh``
    Creates ``/autograder/venv`` with the Python version the archive was built with and
    installs ``requirements.txt`` there (the book's packages at the exact versions of the
    repository's ``constraints.txt``, which comes along as pip's constraints), then the
    package; installs ``bubblewrap`` (the kernels run in it when the container allows it).
``run_autograder``
    Grades the submission folder with ``python -m nnbook.grade ... --chapter N --jobs 1
    --sandbox auto --gradescope /autograder/results/results.json`` (the bundled package
    first on ``PYTHONPATH``). ``NNBOOK_AUTOGRADER_ROOT`` replaces ``/autograder`` and
    ``NNBOOK_AUTOGRADER_PYTHON`` the venv's Python (the tests run it in a temporary folder
    with the current interpreter). If the grader fails, it still writes a results file
    (score 0, and what went wrong).
``code/``
    The ``nnbook`` package's source (``pyproject.toml`` and ``nnbook/``).
``extra/``
    Extra exercise modules given with ``--extra-exercises``.
"""

from __future__ import annotations

import argparse
import io
import re
import sys
import zipfile
from pathlib import Path

__all__ = ["build_bundle", "main", "pinned_requirements"]

_SKIP_DIRS = {"__pycache__", ".ipynb_checkpoints"}
_LEAVE_OUT = {"jupyterlab", "jupyterlab-myst"}  # for reading the pages in JupyterLab, not for grading


def _package_dir() -> Path:
    import nnbook

    return Path(nnbook.__file__).resolve().parent


def _repo_root() -> Path | None:
    for parent in _package_dir().parents:
        if (parent / "constraints.txt").is_file() and (parent / "requirements.txt").is_file():
            return parent
    return None


def _name(requirement: str) -> str:
    return re.split(r"[<>=!~\[; ]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def pinned_requirements(requirements: str, constraints: str) -> list[str]:
    """The lines of `requirements` pinned to the exact versions in `constraints`.

    Comments, ``-e`` lines (the package itself) and the JupyterLab extras are left out; a
    requirement without a pin keeps its range.
    """
    pins = {}
    for line in constraints.splitlines():
        line = line.split("#", 1)[0].strip()
        if "==" in line:
            pins[_name(line)] = line
    out = []
    for line in requirements.splitlines():
        line = line.split("#", 1)[0].strip()
        if not line or line.startswith("-"):
            continue
        name = _name(line)
        if name in _LEAVE_OUT:
            continue
        out.append(pins.get(name, line))
    if "ipykernel" not in {_name(x) for x in out}:
        out.append(pins.get("ipykernel", "ipykernel"))
    return out


SETUP_SH = """#!/usr/bin/env bash
# Gradescope runs this once, as root, when it builds the autograder image.
set -euo pipefail
cd "$(dirname "$0")"
export DEBIAN_FRONTEND=noninteractive
PY=python{pyver}
if ! command -v "$PY" >/dev/null 2>&1; then
  apt-get update -qq
  apt-get install -y -qq software-properties-common >/dev/null
  add-apt-repository -y ppa:deadsnakes/ppa >/dev/null
  apt-get update -qq
  apt-get install -y -qq "python{pyver}" "python{pyver}-venv" >/dev/null
fi
apt-get install -y -qq bubblewrap >/dev/null || echo "(no bubblewrap: kernels run without the sandbox)"
"$PY" -m venv /autograder/venv
/autograder/venv/bin/python -m pip install --quiet --upgrade pip
/autograder/venv/bin/python -m pip install --quiet -r requirements.txt -c constraints.txt
/autograder/venv/bin/python -m pip install --quiet --no-deps ./code
"""

RUN_AUTOGRADER = """#!/usr/bin/env bash
# Gradescope runs this for every submission; it must write results/results.json.
set -uo pipefail
ROOT="${{NNBOOK_AUTOGRADER_ROOT:-/autograder}}"
PY="${{NNBOOK_AUTOGRADER_PYTHON:-$ROOT/venv/bin/python}}"
SRC="$ROOT/source"
export PYTHONPATH="$SRC/code${{PYTHONPATH:+:$PYTHONPATH}}"
export NNBOOK_QUIET=1
mkdir -p "$ROOT/results"
rm -f "$ROOT/results/results.json"
"$PY" -m nnbook.grade "$ROOT/submission" --out "$ROOT/results/nnbook" --gradescope "$ROOT/results/results.json" \\
    --jobs 1 --sandbox auto --quiet {options}
status=$?
if [ ! -s "$ROOT/results/results.json" ]; then
  "$PY" - "$ROOT/results/results.json" "$status" <<'EOF' || echo '{{"score": 0, "output": "The autograder failed."}}' > "$ROOT/results/results.json"
import json, sys
json.dump({{"score": 0.0, "output": f"The autograder failed (exit status {{sys.argv[2]}}); please tell your instructor.",
           "visibility": "visible", "tests": []}}, open(sys.argv[1], "w"))
EOF
fi
exit 0
"""


def _add(z: zipfile.ZipFile, name: str, data: bytes | str, executable: bool = False) -> None:
    info = zipfile.ZipInfo(name, date_time=(2024, 1, 1, 0, 0, 0))
    info.compress_type = zipfile.ZIP_DEFLATED
    info.external_attr = ((0o755 if executable else 0o644) | 0o100000) << 16
    z.writestr(info, data.encode("utf-8") if isinstance(data, str) else data)


def build_bundle(chapters: list[str], out: str | Path, *, extra_exercises: list[str] = (), timeout: float = 120.0,
                 notebook_timeout: float = 900.0, memory_mb: int = 4096) -> Path:
    """Write the autograder archive; return its path.

    Parameters
    ----------
    chapters : list of str
        Chapter numbers or slugs graded (``--chapter``).
    out : path
        The ``.zip`` to write.
    extra_exercises : list of path
        Extra exercise modules to ship and load (``--extra-exercises``).
    timeout, notebook_timeout, memory_mb
        The grader's limits per cell, per notebook, and of the kernel's memory.
    """
    from nnbook.exercises import registry

    if extra_exercises:
        registry.load_extra(",".join(str(Path(e).resolve()) for e in extra_exercises))
    for c in chapters:
        exercises = registry.for_chapter(c)
        if not exercises:
            raise ValueError(f"chapter {c!r} has no exercises")
    root = _repo_root()
    if root is None:
        raise FileNotFoundError("requirements.txt and constraints.txt of the book's repository were not found")
    constraints = (root / "constraints.txt").read_text(encoding="utf-8")
    requirements = pinned_requirements((root / "requirements.txt").read_text(encoding="utf-8"), constraints)
    options = [f"--chapter {c}" for c in chapters]
    options += [f"--timeout {timeout:g}", f"--notebook-timeout {notebook_timeout:g}", f"--memory-mb {int(memory_mb)}"]
    extra_names = [Path(e).name for e in extra_exercises]
    if extra_names:
        options.append('--extra-exercises "' + ",".join(f"$SRC/extra/{n}" for n in extra_names) + '"')
    pyver = f"{sys.version_info.major}.{sys.version_info.minor}"
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as z:
        _add(z, "setup.sh", SETUP_SH.format(pyver=pyver), executable=True)
        _add(z, "run_autograder", RUN_AUTOGRADER.format(options=" ".join(options)), executable=True)
        _add(z, "requirements.txt", "# the book's packages, pinned to constraints.txt\n" + "\n".join(requirements) + "\n")
        _add(z, "constraints.txt", constraints)
        _add(z, "README.txt", f"nnbook autograder for chapter(s) {', '.join(map(str, chapters))}: upload this zip as "
             "Gradescope's autograder (see code/nnbook/grade/bundle.py).\n")
        package = _package_dir()
        pyproject = package.parent / "pyproject.toml"
        if pyproject.is_file():
            _add(z, "code/pyproject.toml", pyproject.read_bytes())
            readme = package.parent / "README.md"
            if readme.is_file():
                _add(z, "code/README.md", readme.read_bytes())
        for f in sorted(package.rglob("*")):
            rel = f.relative_to(package.parent)
            if f.is_dir() or _SKIP_DIRS & set(rel.parts) or f.suffix in {".pyc", ".pyo"}:
                continue
            _add(z, f"code/{rel.as_posix()}", f.read_bytes())
        for e in extra_exercises:
            _add(z, f"extra/{Path(e).name}", Path(e).read_bytes())
    out.write_bytes(buffer.getvalue())
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m nnbook.grade bundle --chapter N [--chapter M] --out autograder.zip``."""
    p = argparse.ArgumentParser(prog="python -m nnbook.grade bundle",
                                description="Write Gradescope's autograder archive for chapters of the book.")
    p.add_argument("--chapter", action="append", required=True, help="chapter number or slug (repeatable)")
    p.add_argument("--out", required=True, type=Path, help="the .zip to write")
    p.add_argument("--extra-exercises", action="append", default=[], help="an extra exercise module (.py) to ship")
    p.add_argument("--timeout", type=float, default=120.0, help="seconds per cell (default 120)")
    p.add_argument("--notebook-timeout", type=float, default=900.0, help="seconds per notebook (default 900)")
    p.add_argument("--memory-mb", type=int, default=4096, help="kernel memory limit in MiB (default 4096)")
    a = p.parse_args(argv)
    path = build_bundle(a.chapter, a.out, extra_exercises=a.extra_exercises, timeout=a.timeout,
                        notebook_timeout=a.notebook_timeout, memory_mb=a.memory_mb)
    print(f"wrote {path}: upload it as the autograder of a Gradescope programming assignment")
    return 0
