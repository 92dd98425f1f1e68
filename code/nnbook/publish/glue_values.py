"""The values a page glues (myst-nb ``glue``), for the notebooks that show them as plain text.

A page's prose pastes numbers its code computed (``{glue:text}`key:.3f```); the HTML book
takes them from the build's execution. The launch notebooks (:mod:`nnbook.publish.notebooks`)
show the same numbers as plain text, so they need the values without executing anything
when they are written or checked. They are kept in the generated notebook itself, in its
metadata ``nnbook.glue``::

    {"code": "<SHA-256 of the page's code cells>",
     "values": {"key": {"text/plain": "...", "text/markdown": "..."}, ...}}

only for the keys the page's Markdown pastes. The code digest says which version of the
page's code computed them. Where the values come from (:func:`nnbook.publish.notebooks.launch_notebook` tries them), in this order:

1. ``stored``: the committed notebook's values, if their digest is the page's code now (and
   they hold every key the page pastes);
2. ``build``: the build's executed notebook ``_build/jupyter_execute/<page>.ipynb``, if the
   code it executed is the page's code now (after ``make book``/``make strict``);
3. ``execute``: the page run now by nbclient in the ``python3`` kernel (the working folder
   of the page, ``NNBOOK_QUIET=1``, ``PYTHONHASHSEED=0``, an empty progress file, the
   build's cache folder ``_build/.nnbook/cache``), as the build runs it.

The pages are seeded, so 2 and 3 give the values the build shows — except measured times,
which differ on every run; a notebook shows those of the run that wrote it. Checking the
notebooks (the tests, ``--check``) uses 1 only and never executes; ``make notebooks`` uses
1, 2, 3; ``make notebooks REFRESH=1`` (``--refresh-glue``) skips 1.
"""

from __future__ import annotations

import hashlib
import json
import os
import tempfile
from pathlib import Path
from typing import Mapping

__all__ = ["GlueStale", "code_digest", "extract", "executed_path", "from_build", "from_notebook",
           "execute_page", "select", "MIMES"]

#: The representations a pasted value can need: {glue:text} the text, {glue:md} the Markdown.
MIMES = ("text/plain", "text/markdown")
PREFIX = "application/papermill.record/"


class GlueStale(RuntimeError):
    """No glue values for the page's current code without executing it."""


def code_digest(nb) -> str:
    """SHA-256 of the sources of a notebook's code cells (what decides the glued values)."""
    h = hashlib.sha256()
    for cell in nb.cells:
        if cell.cell_type == "code":
            h.update(cell.source.encode("utf-8"))
            h.update(b"\0")
    return h.hexdigest()


def extract(executed) -> dict[str, dict[str, str]]:
    """Every glued value of an executed notebook: {key: {mime: data}} (text mimes only)."""
    found: dict[str, dict[str, str]] = {}
    for cell in executed.cells:
        if cell.cell_type != "code":
            continue
        for out in cell.get("outputs", []):
            meta = out.get("metadata", {}).get("scrapbook")
            if not meta:
                continue
            prefix = meta.get("mime_prefix", "")
            data = {k[len(prefix):]: v for k, v in out.get("data", {}).items()}
            found[meta["name"]] = {m: (v if isinstance(v, str) else "".join(v))
                                   for m, v in data.items() if m in MIMES}
    return found


def executed_path(root: Path, page: Path) -> Path:
    """Where the build keeps the executed notebook of a page."""
    rel = page.resolve().relative_to(root.resolve()).with_suffix(".ipynb")
    return root / "_build" / "jupyter_execute" / rel


def from_build(root: Path, page: Path, digest: str) -> dict | None:
    """The values of the build's executed notebook, if it executed the page's code as it is now."""
    import nbformat

    path = executed_path(root, page)
    if not path.is_file():
        return None
    executed = nbformat.read(str(path), as_version=4)
    if code_digest(executed) != digest:
        return None
    return extract(executed)


def from_notebook(path: Path, digest: str, meta_key: str) -> dict | None:
    """The values stored in a generated notebook, if they were computed by this code."""
    if not path.is_file():
        return None
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
    except ValueError:
        return None
    glue = ((data.get("metadata") or {}).get(meta_key) or {}).get("glue")
    if not isinstance(glue, dict) or glue.get("code") != digest:
        return None
    return dict(glue.get("values") or {})


def execute_page(root: Path, page: Path, timeout: int = 900):
    """Run a page top to bottom as the build does; returns the executed notebook."""
    import jupytext
    from nbclient import NotebookClient

    from nnbook.grade.nbexec import patch_nbclient

    patch_nbclient()
    nb = jupytext.reads(page.read_text(encoding="utf-8"), fmt="md:myst")
    env_defaults = {"NNBOOK_QUIET": "1", "PYTHONHASHSEED": "0",
                    "NNBOOK_CACHE": str(root / "_build" / ".nnbook" / "cache")}
    saved = {k: os.environ.get(k) for k in [*env_defaults, "NNBOOK_PROGRESS"]}
    with tempfile.TemporaryDirectory(prefix="nnbook-glue-") as tmp:
        try:
            for k, v in env_defaults.items():
                os.environ.setdefault(k, v)
            os.environ["NNBOOK_PROGRESS"] = str(Path(tmp) / "progress.json")   # attempt 1, as in a build
            client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                                    resources={"metadata": {"path": str(page.parent)}})
            client.execute()
        finally:
            for k, v in saved.items():
                if v is None:
                    os.environ.pop(k, None)
                else:
                    os.environ[k] = v
    return nb


def select(values: Mapping[str, Mapping[str, str]], used: list[str]) -> dict:
    """The values of the keys a page pastes, in the order it pastes them first."""
    out = {}
    for key in used:
        if key in values and key not in out:
            out[key] = {m: values[key][m] for m in MIMES if m in values[key]}
    return out
