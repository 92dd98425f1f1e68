"""The Colab cell's install, done for real: a fresh virtual environment, the cell's own pip
command (the package from a copy of code/ instead of git, binder/colab-constraints.txt from
the work tree instead of GitHub; the packages come from the registry), then every module the
pages import is imported in it, and what pip installed is the tested versions.

It installs the book's whole page stack, so it takes a minute or two (pip's cache makes a
second run faster): one test, marked slow, run once by `make test`.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
from pathlib import Path

import jupytext
import nbformat
import pytest

from nnbook.publish import notebooks

ROOT = Path(__file__).resolve().parents[2]


def _cell_install_args() -> list[str]:
    """The arguments after `python -m pip install` in the first cell of the launch notebooks."""
    source = nbformat.read(str(notebooks.notebook_path(notebooks.notebook_pages(ROOT)[0])), as_version=4).cells[0].source
    m = re.search(r"^\s*_install = (\[.*\])$", source, re.M)
    assert m, "the setup cell no longer lists its pip arguments in `_install = [...]`"
    return json.loads(m.group(1))


def _page_modules() -> set[str]:
    """Every module the pages' code cells import (dotted, as written), and the setup cell's."""
    found = {"nnbook.publish.solutions"}
    for page in notebooks.notebook_pages(ROOT):
        for cell in jupytext.read(page).cells:
            if cell.cell_type != "code":
                continue
            for m in re.finditer(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+(?:\s*,\s*[\w.]+)*))", cell.source, re.M):
                if m.group(1):
                    found.add(m.group(1))
                else:
                    found.update(n.strip() for n in m.group(2).split(","))
    return {m for m in found if not m.startswith(".")}


@pytest.mark.slow
def test_colab_cell_installs_the_tested_versions_and_every_page_module_imports(tmp_path):
    url, branch = notebooks.repository(ROOT)
    args = _cell_install_args()
    requirement = notebooks.colab_requirement(url, branch)
    constraints_url = notebooks.raw_url(url, branch, notebooks.COLAB_CONSTRAINTS)
    assert args == ["--quiet", requirement, "-c", constraints_url]

    code = tmp_path / "code"                 # a copy: building writes build/ and *.egg-info
    shutil.copytree(ROOT / "code", code, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    local = [a.replace(requirement, f"nnbook[pages] @ {code.as_uri()}")
              .replace(constraints_url, str(ROOT / notebooks.COLAB_CONSTRAINTS)) for a in args]
    venv = tmp_path / "venv"
    subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True)
    python = str(venv / "bin" / "python")
    done = subprocess.run([python, "-m", "pip", "install", "--disable-pip-version-check", *local],
                          capture_output=True, text=True)
    assert done.returncode == 0, f"the Colab cell's pip install failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}"

    modules = sorted(_page_modules())
    script = ("import importlib, json, os\nos.environ.setdefault('MPLBACKEND', 'Agg')\nfailed = {}\n"
              f"for name in {modules!r}:\n"
              "    try:\n        importlib.import_module(name)\n"
              "    except Exception as exc:\n        failed[name] = f'{type(exc).__name__}: {exc}'\n"
              "print(json.dumps(failed))")
    out = subprocess.run([python, "-c", script], capture_output=True, text=True, cwd=tmp_path)
    assert out.returncode == 0, out.stderr[-3000:]
    failed = json.loads(out.stdout.strip().splitlines()[-1])
    assert not failed, f"modules the pages import fail after the Colab install: {failed}"

    listed = json.loads(subprocess.run([python, "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
                                       capture_output=True, text=True, check=True).stdout)
    installed = {notebooks._norm(p["name"]): p["version"] for p in listed}
    pins = {}
    for line in (ROOT / notebooks.COLAB_CONSTRAINTS).read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            name, _, version = line.partition("==")
            pins[notebooks._norm(name)] = version
    differ = {n: f"{v} (tested: {pins[n]})" for n, v in installed.items() if n in pins and v != pins[n]}
    assert not differ, f"the Colab install gave other versions than the book is tested with: {differ}"
    for package in ("numpy", "matplotlib", "ipywidgets", "myst-nb", "jupyterquiz", "nnbook"):
        assert package in installed, f"{package} was not installed"
