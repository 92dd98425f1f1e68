"""Every page of the book runs as a notebook, top to bottom, without an error or a warning.

One test per page (named after the page), so a failure says which page broke. The pages
are executed as a student would run them: converted from MyST Markdown by jupytext and
run in a fresh kernel by nbclient, with the working directory of the page.
"""

from __future__ import annotations

from pathlib import Path

import jupytext
import nbformat
import pytest
import yaml
from nbclient import NotebookClient
from nbclient.exceptions import CellExecutionError

from nnbook.nbexec import patch_nbclient

patch_nbclient()          # no stalled waits after widget cells (nbclient#312)

ROOT = Path(__file__).resolve().parents[2]


def toc_pages():
    """The pages listed in _toc.yml, in book order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    pages = [toc["root"]]
    for part in toc.get("parts", []):
        for ch in part.get("chapters", []):
            pages.append(ch["file"])
            pages += [s["file"] for s in ch.get("sections", [])]
    return [ROOT / (p if p.endswith(".md") else p + ".md") for p in pages]


def is_notebook(path: Path) -> bool:
    head = path.read_text(encoding="utf-8")[:400]
    return head.startswith("---") and "jupytext" in head and "kernelspec" in head


PAGES = [p for p in toc_pages() if is_notebook(p)]


def test_every_toc_entry_exists():
    missing = [str(p.relative_to(ROOT)) for p in toc_pages() if not p.exists()]
    assert not missing, f"_toc.yml lists pages that do not exist: {missing}"


def stderr_outputs(nb):
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.get("output_type") == "stream" and out.get("name") == "stderr":
                yield i, out.get("text", "")


@pytest.mark.pages
@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_page_executes_without_errors_or_warnings(page):
    nb = jupytext.read(page)
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(page.parent)}})
    try:
        client.execute()
    except CellExecutionError as err:
        pytest.fail(f"{page.name}: a cell failed\n{err}", pytrace=False)
    warnings = [f"cell {i}: {text.strip()[:500]}" for i, text in stderr_outputs(nb)]
    assert not warnings, f"{page.name} printed to stderr (the strict build fails on this):\n" + "\n".join(warnings)
    nbformat.validate(nb)
