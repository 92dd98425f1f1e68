"""Every page of the book runs as a notebook, top to bottom, without an error or a warning.

One test per page (named after the page), so a failure says which page broke. What runs is
what a reader opens from a launch button: the page's generated notebook ``book/<page>.ipynb``
(first checked to be in sync with its MyST source), executed by nbclient in a fresh kernel
with the working directory of the page.

The kernel is Binder's: a Python of ``.venv-binder``, the venv ``make binder-env`` makes from
``binder/requirements.txt`` alone, as repo2docker installs it. So these tests also prove
that Binder's install path gives every page what it needs (no PyTorch, pytest or hypothesis
there). Without that venv the tests fail and say to run ``make binder-env``; for a quick
local run, ``NNBOOK_PAGES_KERNEL=main`` uses the kernel of the venv running pytest instead.
"""

from __future__ import annotations

import os
from pathlib import Path

import nbformat
import pytest
from jupyter_client.kernelspec import KernelSpecManager
from jupyter_client.manager import AsyncKernelManager
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError
from traitlets import default

from nnbook import chapters
from nnbook.grade.nbexec import patch_nbclient
from nnbook.publish import notebooks

patch_nbclient()          # no stalled waits after widget cells (nbclient#312)

ROOT = Path(__file__).resolve().parents[2]
BINDER_VENV = ROOT / ".venv-binder"
BINDER_KERNEL = "nnbook-binder"
BINDER_KERNELS = BINDER_VENV / "share" / "jupyter" / "kernels"
KERNEL_CHOICE = os.environ.get("NNBOOK_PAGES_KERNEL", "binder")
# What `make binder-env` installs from (its prerequisites in the Makefile).
BINDER_INPUTS = ["binder/requirements.txt", "binder/runtime.txt", "requirements.txt", "constraints.txt",
                 "code/pyproject.toml"]


def toc_pages():
    """The pages of the book, in reading order (the chapter table, which matches _toc.yml:
    tests/project/test_chapters.py)."""
    return [ROOT / p.page for p in chapters.PAGES]


PAGES = notebooks.notebook_pages(ROOT)


class BinderKernelManager(AsyncKernelManager):
    """A kernel manager that finds kernels only in the Binder venv (``.venv-binder``)."""

    @default("kernel_spec_manager")
    def _kernel_spec_manager_default(self):
        return KernelSpecManager(kernel_dirs=[str(BINDER_KERNELS)])


def kernel_options() -> dict:
    """nbclient options for the chosen kernel; fails when Binder's venv is not there."""
    if KERNEL_CHOICE == "main":
        return {"kernel_name": "python3"}
    if KERNEL_CHOICE != "binder":
        pytest.fail(f"NNBOOK_PAGES_KERNEL={KERNEL_CHOICE!r}: use 'binder' (the default) or 'main'", pytrace=False)
    if not ((BINDER_VENV / ".installed").is_file() and (BINDER_KERNELS / BINDER_KERNEL / "kernel.json").is_file()):
        pytest.fail(f"Binder's venv {BINDER_VENV.name} with the kernel {BINDER_KERNEL} is missing: run "
                    "`make binder-env` (or set NNBOOK_PAGES_KERNEL=main for a quick run in this venv's kernel)",
                    pytrace=False)
    stamp = (BINDER_VENV / ".installed").stat().st_mtime
    newer = [f for f in BINDER_INPUTS if (ROOT / f).stat().st_mtime > stamp]
    if newer:
        pytest.fail(f"{', '.join(newer)} changed after {BINDER_VENV.name} was made: run `make binder-env`",
                    pytrace=False)
    return {"kernel_name": BINDER_KERNEL, "kernel_manager_class": BinderKernelManager}


def test_every_toc_entry_exists():
    missing = [str(p.relative_to(ROOT)) for p in toc_pages() if not p.exists()]
    assert not missing, f"the chapter table (nnbook/chapters.py) lists pages that do not exist: {missing}"


def test_binder_kernel_runs_the_python_of_binder_venv():
    """The kernel the page tests use is Binder's venv, not the venv running pytest."""
    if KERNEL_CHOICE == "main":
        pytest.skip("NNBOOK_PAGES_KERNEL=main: the pages run in this venv's kernel")
    kernel_options()
    spec = KernelSpecManager(kernel_dirs=[str(BINDER_KERNELS)]).get_kernel_spec(BINDER_KERNEL)
    assert Path(spec.argv[0]).parent == BINDER_VENV / "bin", spec.argv


def stderr_outputs(nb):
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                yield i, out.get("text", "")


@pytest.mark.pages
@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_executes_without_errors_or_warnings(page):
    options = kernel_options()
    path = notebooks.notebook_path(page)
    expected = notebooks.render(notebooks.launch_notebook(page, ROOT))
    if not path.is_file() or path.read_bytes() != expected.encode("utf-8"):
        pytest.fail(f"{path.relative_to(ROOT)} is missing or out of date with {page.name}: run `make notebooks`",
                    pytrace=False)
    nb = nbformat.read(str(path), as_version=4)
    client = NotebookClient(nb, timeout=600, resources={"metadata": {"path": str(page.parent)}}, **options)
    try:
        client.execute()
    except CellExecutionError as err:
        pytest.fail(f"{path.name} ({options['kernel_name']} kernel): a cell failed\n{err}", pytrace=False)
    first = nb.cells[0]
    assert notebooks.COLAB_TAG in first.metadata.get("tags", []) and not first.outputs, \
        f"{path.name}: the Colab-only first cell did something outside Colab: {first.outputs}"
    warnings = [f"cell {i}: {text.strip()[:500]}" for i, text in stderr_outputs(nb)]
    assert not warnings, f"{path.name} printed to stderr (the strict build fails on this):\n" + "\n".join(warnings)
    nbformat.validate(nb)
