"""Student edition: the chapter notebooks with the reference solutions removed.

``python -m nnbook.grade.student --out DIR`` reads the book's MyST pages (those of the
chapter table :mod:`nnbook.chapters`, or the pages given), converts each page that has
code cells to an ``.ipynb`` notebook, and removes the solutions:

* a code cell tagged ``solution`` that defines functions becomes a cell with the
  same ``def`` line(s) and docstring and the body
  ``raise NotImplementedError("Exercise <id>: write your solution here")``
  (imports of the cell are kept); any other cell tagged ``solution`` is removed;
* ``{solution}`` directives (backtick or colon fences) are cut out of markdown
  cells, and everything between ``{solution-start}`` and ``{solution-end}`` is
  removed, code cells included, except that a code cell tagged ``solution`` inside
  the gate that defines functions becomes a placeholder as above (the student
  needs a cell to write in);
* ``{exercise}`` directives become plain Markdown (a bold "Exercise: title" line
  and the text), since a notebook does not render MyST directives.

Outputs are cleared and the notebook metadata gets ``nnbook: {"chapters": [...],
"source": "<page>"}`` so the grader knows which exercises belong to it.
"""

from __future__ import annotations

import argparse
import ast
import copy
import re
import sys
from pathlib import Path

import nbformat

from nnbook import chapters as chapter_table
from nnbook.i18n import _

__all__ = ["find_pages", "student_notebook", "strip_solutions", "placeholder_source", "main"]

_FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|:{3,})\s*\{(?P<name>[a-zA-Z0-9_-]+)\}(?P<rest>.*)$")


def _repo_root() -> Path:
    here = Path(__file__).resolve()
    for parent in here.parents:
        if (parent / "_toc.yml").exists() or (parent / "book").is_dir():
            return parent
    return Path.cwd()


def find_pages(root: str | Path | None = None) -> list[Path]:
    """The book's pages in reading order: those of :data:`nnbook.chapters.PAGES` under ``root``.

    Parameters
    ----------
    root : path, optional
        Repository root (default: found from this file, else the current folder). Pages
        of the table missing under it are left out (a partial copy of the book).
    """
    return chapter_table.page_paths(Path(root) if root else _repo_root())


# ------------------------------------------------------------------- markdown


def _strip_markdown(text: str, in_gate: bool) -> tuple[str, bool]:
    """Remove solution directives from one markdown cell; track a gated solution."""
    lines = text.split("\n")
    out: list[str] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m and m.group("name") in {"solution", "solution-start", "solution-end"}:
            end = _closing(lines, i, m.group("fence"))
            name = m.group("name")
            i = end + 1
            if name == "solution-start":
                in_gate = True
            elif name == "solution-end":
                in_gate = False
            continue
        if m and m.group("name") == "exercise" and not in_gate:
            # plain Markdown in the notebook: a bold title, the options dropped
            end = _closing(lines, i, m.group("fence"))
            title = m.group("rest").strip()
            out.append("**" + (_("Exercise: {title}").format(title=title) if title else _("Exercise")) + "**")
            out.append("")
            body = lines[i + 1 : end]
            while body and re.match(r"^\s*:[a-zA-Z-]+:", body[0]):
                body = body[1:]
            out.extend(body)
            i = end + 1
            continue
        if not in_gate:
            out.append(lines[i])
        i += 1
    cleaned = "\n".join(out)
    cleaned = re.sub(r"\n{3,}", "\n\n", cleaned).strip("\n")
    return cleaned, in_gate


def _closing(lines: list[str], start: int, fence: str) -> int:
    char, n = fence[0], len(fence)
    pattern = re.compile(r"^\s*" + re.escape(char) + "{" + str(n) + r",}\s*$")
    for j in range(start + 1, len(lines)):
        if pattern.match(lines[j]):
            return j
    return len(lines) - 1


# ----------------------------------------------------------------------- code


def placeholder_source(source: str, exercise_ids: dict[str, str] | None = None) -> str | None:
    """The placeholder for a solution cell, or ``None`` if it defines no function.

    Parameters
    ----------
    source : str
        The cell's code.
    exercise_ids : dict of str to str
        Function name to exercise ID, for the ``NotImplementedError`` message.
    """
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    funcs = [n for n in tree.body if isinstance(n, (ast.FunctionDef, ast.AsyncFunctionDef))]
    if not funcs:
        return None
    lines = source.split("\n")
    parts: list[str] = []
    for node in tree.body:
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            parts.append("\n".join(lines[node.lineno - 1 : node.end_lineno]))
    for node in funcs:
        start = (node.decorator_list[0].lineno if node.decorator_list else node.lineno) - 1
        body = node.body
        doc = body[0] if body and isinstance(body[0], ast.Expr) and isinstance(getattr(body[0], "value", None), ast.Constant) and isinstance(body[0].value.value, str) else None
        first = body[0]
        if first.lineno == node.lineno:  # one-line def: rebuild the header
            bare = copy.copy(node)
            bare.body = [ast.Pass()]
            header = ast.unparse(bare).rsplit("\n", 1)[0]
            indent = " " * (node.col_offset + 4)
            doc_text = ""
        else:
            header = "\n".join(lines[start : first.lineno - 1]).rstrip()
            indent = " " * first.col_offset
            doc_text = "\n".join(lines[doc.lineno - 1 : doc.end_lineno]) if doc is not None else ""
        ident = (exercise_ids or {}).get(node.name)
        message = (_("Exercise {id}: write your solution here").format(id=ident) if ident
                   else _("Write your solution here"))
        block = header + "\n" + (doc_text + "\n" if doc_text else "") + f'{indent}raise NotImplementedError("{message}")'
        parts.append(block)
    return "\n\n\n".join(p for p in parts if p.strip()) + "\n"


def _tags(cell) -> list:
    return list(cell.get("metadata", {}).get("tags", []) or [])


def strip_solutions(nb, exercise_ids: dict[str, str] | None = None):
    """Return a copy of `nb` without solutions (see the module docstring)."""
    nb = nbformat.from_dict(nb)  # copy
    cells = []
    in_gate = False
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            text, in_gate_after = _strip_markdown(cell.source, in_gate)
            in_gate = in_gate_after
            if text.strip():
                cell.source = text
                cells.append(cell)
            continue
        if in_gate and not (cell.cell_type == "code" and "solution" in _tags(cell)):
            continue
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
            if "solution" in _tags(cell):
                new = placeholder_source(cell.source, exercise_ids)
                if new is None:
                    continue
                cell.source = new.rstrip("\n")
                cell.metadata["tags"] = [t for t in _tags(cell) if t not in {"solution", "hide-input", "remove-input", "hide-cell", "remove-cell"}]
                if not cell.metadata["tags"]:
                    del cell.metadata["tags"]
        cells.append(cell)
    nb.cells = cells
    return nb


# ----------------------------------------------------------------------- pages


def student_notebook(page: str | Path, root: Path | None = None):
    """Read a MyST page (or notebook) and return its student edition (``None`` if no code)."""
    import jupytext

    from nnbook.exercises import registry
    from nnbook.grade.submissions import mentioned_ids

    page = Path(page)
    if page.suffix == ".ipynb":
        nb = nbformat.read(str(page), as_version=4)
    else:
        text = page.read_text(encoding="utf-8")
        nb = jupytext.reads(text, fmt="md:myst" if "{code-cell}" in text or "jupytext" in text else "md")
    if not any(c.cell_type == "code" for c in nb.cells):
        return None
    known = {e.id: e for e in registry.all()}
    ids = [i for i in mentioned_ids(nb) if i in known]
    chapters = sorted({known[i].chapter for i in ids})
    slug_chapters = sorted({e.chapter for e in registry.for_chapter(page.stem.replace("_", "-"))})
    chapters = chapters or slug_chapters
    names = {e.name: e.id for e in registry.all() if e.kind == "function" and (not chapters or e.chapter in chapters)}
    out = strip_solutions(nb, names)
    meta = {k: v for k, v in out.metadata.items() if k not in {"jupytext"}}
    meta.setdefault("kernelspec", {"name": "python3", "display_name": "Python 3", "language": "python"})
    try:
        source = str(page.resolve().relative_to((root or _repo_root()).resolve()))
    except ValueError:
        source = str(page)
    meta["nnbook"] = {"chapters": chapters, "source": source}
    out.metadata = nbformat.from_dict(meta)
    return out


def main(argv: list[str] | None = None) -> int:
    """``python -m nnbook.grade.student --out DIR [--root ROOT] [PAGE ...]``."""
    p = argparse.ArgumentParser(prog="python -m nnbook.grade.student", description="Write the student edition of the book's notebooks.")
    p.add_argument("--out", required=True, type=Path, help="output folder")
    p.add_argument("--root", type=Path, help="repository root (default: found automatically)")
    p.add_argument("pages", nargs="*", type=Path, help="MyST pages to convert (default: every page of the book)")
    a = p.parse_args(argv)
    root = a.root or _repo_root()
    pages = a.pages or find_pages(root)
    a.out.mkdir(parents=True, exist_ok=True)
    written = 0
    for page in pages:
        nb = student_notebook(page, root)
        if nb is None:
            continue
        target = a.out / f"{page.stem}.ipynb"
        nbformat.write(nb, str(target))
        written += 1
        print(f"{page} -> {target}")
    print(f"wrote {written} notebooks to {a.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
