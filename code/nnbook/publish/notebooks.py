"""The notebooks that Binder, Colab and a JupyterHub open: ``book/<page>.ipynb`` and ``student/<page>.ipynb``.

The book's pages are MyST Markdown notebooks (``book/*.md`` with a jupytext header). Jupyter
without jupytext opens such a file as text, Colab opens only ``.ipynb`` files, and neither
renders MyST. ``python -m nnbook.publish.notebooks`` (``make notebooks``) therefore writes, for
every notebook page of ``_toc.yml``:

* ``book/<page>.ipynb``, the **reader's notebook** the launch buttons open;
* ``student/<page>.ipynb``, the **student edition** (for the pages with exercises): the same
  notebook without the reference solutions (:mod:`nnbook.grade.student` makes the function
  exercises placeholders that raise ``NotImplementedError``). It lives in the repository, so
  Binder, Colab and nbgitpuller open it like any other file (links: ``--links``,
  ``--nbgitpuller``);
* ``binder/colab-constraints.txt``, the versions the Colab cell installs (below).

What a generated notebook holds:

* **plain Markdown** (:mod:`nnbook.publish.plain_markdown`): exercises, theorems, admonitions
  as bold titles with the book's numbers; cross-references as links into the online book
  (``html.baseurl`` of ``_config.yml``); citations as the book's labels, with the cited works
  listed at the end; **glued numbers as the values of the executed page**
  (:mod:`nnbook.publish.glue_values`: kept in the notebook's metadata ``nnbook.glue`` with a
  digest of the code that computed them; ``make notebooks`` takes them from the last build's
  executed notebook or runs the page when the code changed, checking never executes);
* the page's code cells; ``hide-input``/``remove-input`` cells have their input folded
  (``jupyter.source_hidden``), ``hide-output`` cells their output;
* **reference solutions that Run All skips**: the cells of a solution (between
  ``{solution-start}`` and ``{solution-end}``, or tagged ``solution``) are folded and start with
  ``%%solution exercise N.k`` (:mod:`nnbook.publish.solutions`), which prints a note instead of
  running them and defines placeholders for the functions they would define, so every
  ``check(...)`` grades the student's own code; a bold "Solution to Exercise N.k" line above
  them says how to run them (delete that first line);
* a **first cell** that on Google Colab only installs ``nnbook[pages]`` from the repository and
  branch of ``_config.yml`` with the tested versions: ``-c binder/colab-constraints.txt`` from
  the same branch, which is ``constraints.txt`` without the packages of Colab's running
  kernel (IPython, ipykernel and what they need: replacing them under a running kernel
  breaks it); and that everywhere makes ``%%solution`` known;
* no outputs; bytes that depend only on the pages, ``_toc.yml``, ``_config.yml``,
  ``constraints.txt``, the bibliography and the glued values: stable cell ids (a hash of the
  cell), JSON written as ``nbformat`` writes it.

Never edit them by hand: ``make notebooks`` rewrites them, and ``--check`` (and the tests in
``tests/launch``) fail when they differ from what this module generates. ``_config.yml``
keeps ``book/*.ipynb`` out of the Sphinx build (the ``.md`` is the source).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import re
import sys
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlencode

import nbformat

from nnbook.grade.student import _repo_root, find_pages, strip_solutions
from nnbook.publish import glue_values, plain_markdown
from nnbook.publish.plain_markdown import BookIndex

__all__ = [
    "is_notebook_page",
    "notebook_pages",
    "notebook_path",
    "student_path",
    "repository",
    "colab_setup_source",
    "colab_constraints",
    "launch_notebook",
    "student_notebook",
    "render",
    "expected_files",
    "out_of_date",
    "write",
    "links",
    "main",
]

#: Tag of the generated first cell (installs the package on Colab only; registers %%solution).
COLAB_TAG = "colab-setup"
#: Tag of the cells of a reference solution in the reader's notebook.
SOLUTION_TAG = "solution"
#: Key of the notebook metadata that says where a generated notebook comes from.
META_KEY = "nnbook"
GENERATOR = "python -m nnbook.publish.notebooks (make notebooks)"
STUDENT_DIR = "student"
COLAB_CONSTRAINTS = "binder/colab-constraints.txt"
#: What Colab's running kernel is made of (ipykernel and what it requires): the Colab cell
#: leaves these as Colab has them. Everything else comes in the version of constraints.txt.
COLAB_KERNEL_PACKAGES = frozenset({
    "asttokens", "comm", "debugpy", "executing", "ipykernel", "ipython", "ipython-pygments-lexers", "jedi",
    "jupyter-client", "jupyter-core", "matplotlib-inline", "nest-asyncio2", "packaging", "parso", "pexpect",
    "platformdirs", "prompt-toolkit", "psutil", "ptyprocess", "pure-eval", "pygments", "python-dateutil",
    "pyzmq", "stack-data", "tornado", "traitlets", "typing-extensions", "tzdata", "wcwidth",
})
#: Cell tags of the book (Jupyter Book) and the folding JupyterLab understands.
FOLD = {
    "hide-input": ("source_hidden",), "remove-input": ("source_hidden",),
    "hide-output": ("outputs_hidden",), "remove-output": ("outputs_hidden",),
    "hide-cell": ("source_hidden", "outputs_hidden"), "remove-cell": ("source_hidden", "outputs_hidden"),
}
#: The first cell after the Colab cell in another edition's notebooks: the package speaks its language.
LANGUAGE_CELLS = {
    "zh_CN": ("# 中文版：nnbook 的检查反馈、提示、控件与图中文字都用中文（改回英文：nnbook.set_language(\"en\")）\n"
              "import nnbook\n"
              "nnbook.set_language(\"zh\")"),
}
#: Where the glued values may come from when writing (make notebooks) and when checking.
WRITE_SOURCES = ("stored", "build", "execute")
CHECK_SOURCES = ("stored",)


# ------------------------------------------------------------------------------- the pages


def is_notebook_page(path: str | Path) -> bool:
    """Whether a MyST page is a notebook: a jupytext header that names a kernel.

    These are the pages the theme gives launch buttons (it checks the page's kernelspec).
    """
    path = Path(path)
    if path.suffix != ".md" or not path.is_file():
        return False
    head = path.read_text(encoding="utf-8")[:400]
    return head.startswith("---") and "jupytext" in head and "kernelspec" in head


def notebook_pages(root: str | Path | None = None) -> list[Path]:
    """The notebook pages of ``_toc.yml``, in book order."""
    root = Path(root) if root else _repo_root()
    return [p for p in find_pages(root) if is_notebook_page(p)]


#: The editions whose notebooks are generated: language -> folder beside the English notebooks
#: (the Chinese reader's notebooks are book/zh/<page>.ipynb, its student edition student/zh/).
LANGUAGES = {"en": "", "zh_CN": "zh"}


def notebook_path(page: str | Path, language: str = "en") -> Path:
    """Where the launch notebook of a page lives: beside it, with the suffix ``.ipynb`` (another
    edition's in a folder beside it: ``book/zh/<page>.ipynb``)."""
    page = Path(page)
    folder = LANGUAGES[language]
    return (page.parent / folder / page.name if folder else page).with_suffix(".ipynb")


def student_path(page: str | Path, root: str | Path | None = None, language: str = "en") -> Path:
    """Where the student edition of a page lives: ``student/<page>.ipynb`` at the root
    (``student/zh/<page>.ipynb`` for the Chinese edition)."""
    root = Path(root) if root else _repo_root()
    folder = LANGUAGES[language]
    return root / STUDENT_DIR / folder / Path(page).with_suffix(".ipynb").name


def languages(root: str | Path | None = None) -> list[str]:
    """The editions to generate: English, and each other whose catalogues exist."""
    from nnbook.publish import catalogues

    root = Path(root) if root else _repo_root()
    out = ["en"]
    if (root / catalogues.CATALOGUES.relative_to(catalogues.ROOT)).is_dir():
        out.append("zh_CN")
    return out


def translate_page_markdown(root: Path, language: str):
    """``translate(docname, markdown)``: a page's MyST text in ``language``, through its catalogue
    (each page's catalogue read once, however many cells are translated)."""
    from nnbook.publish import catalogues

    tables: dict[str, dict] = {}

    def translate(docname: str, markdown: str) -> str:
        if language == "en":
            return markdown
        if docname not in tables:
            tables[docname] = catalogues.table(Path(docname).name, root=root)
        return catalogues.translate_markdown(markdown, tables[docname])[0]

    return translate


def _config(root: Path) -> dict:
    import yaml

    return yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}


def repository(root: str | Path | None = None) -> tuple[str, str]:
    """The repository URL and branch of ``_config.yml`` (``repository: url, branch``)."""
    root = Path(root) if root else _repo_root()
    repo = _config(root).get("repository") or {}
    url = str(repo.get("url", "")).rstrip("/")
    if not url:
        raise ValueError(f"{root / '_config.yml'} names no repository url (repository: url:)")
    if url.endswith(".git"):
        url = url[: -len(".git")]
    return url, str(repo.get("branch") or "main")


def raw_url(url: str, branch: str, path: str) -> str:
    """The address of a file of the repository as GitHub serves it raw."""
    m = re.match(r"^https://github\.com/([^/]+)/([^/]+)$", url)
    if not m:
        raise ValueError(f"the Colab cell needs a GitHub repository, not {url!r}")
    return f"https://raw.githubusercontent.com/{m.group(1)}/{m.group(2)}/{branch}/{path}"


# ------------------------------------------------------------------------- the Colab cell


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def colab_constraints(root: str | Path | None = None) -> str:
    """The text of ``binder/colab-constraints.txt``: ``constraints.txt`` less Colab's kernel."""
    root = Path(root) if root else _repo_root()
    lines = ["# The versions the Colab cell of the launch notebooks installs: constraints.txt without the",
             "# packages of Colab's running kernel (IPython, ipykernel and what they need), which Colab",
             "# keeps. Generated by `make notebooks` (nnbook.publish.notebooks); do not edit."]
    for line in (root / "constraints.txt").read_text(encoding="utf-8").splitlines():
        spec = line.split("#", 1)[0].strip()
        if not spec:
            continue
        name = re.split(r"[\s<>=!~\[;]", spec, maxsplit=1)[0]
        if _norm(name) not in COLAB_KERNEL_PACKAGES:
            lines.append(spec)
    return "\n".join(lines) + "\n"


def colab_requirement(url: str, branch: str) -> str:
    return f"nnbook[pages] @ git+{url}@{branch}#subdirectory=code"


def colab_install_args(url: str, branch: str) -> list[str]:
    """The arguments after ``python -m pip install`` that the Colab cell runs."""
    return ["--quiet", colab_requirement(url, branch), "-c", raw_url(url, branch, COLAB_CONSTRAINTS)]


def colab_setup_source(url: str, branch: str) -> str:
    """The source of the generated first cell."""
    args = ", ".join(json.dumps(a) for a in colab_install_args(url, branch))
    return (
        "# Set-up (generated by `make notebooks`). On Google Colab only, this cell installs the book's\n"
        "# package `nnbook` from the book's repository, with the versions the book is tested with\n"
        "# (a minute or two). On Binder, a JupyterHub or your own Jupyter it is installed already.\n"
        "# Everywhere, it makes `%%solution` known: the cells of a reference solution start with it,\n"
        "# so that Run All does not run them and check(...) grades your own code.\n"
        "import importlib.util\n"
        "import sys\n"
        "\n"
        'if "google.colab" in sys.modules and importlib.util.find_spec("nnbook") is None:\n'
        "    import subprocess\n"
        "\n"
        f"    _install = [{args}]\n"
        '    print("Installing nnbook and the tested versions of what it needs ...")\n'
        '    subprocess.run([sys.executable, "-m", "pip", "install", *_install], check=True)\n'
        "    importlib.invalidate_caches()\n"
        '    if "numpy" in sys.modules or "matplotlib" in sys.modules:\n'
        '        print("Installed. Now restart the session (Runtime > Restart session) and run all cells again.")\n'
        "    else:\n"
        '        print("nnbook is installed; run the rest of the notebook.")\n'
        "\n"
        "from nnbook.publish.solutions import register\n"
        "\n"
        "register()"
    )


# ------------------------------------------------------------------------- one notebook


_BOOK_CACHE: dict = {}


def book_index(root: Path, language: str = "en") -> BookIndex:
    """The index of the whole book (titles, numbers, labels, citations) in one edition's
    language, cached per content."""
    files = [root / "_toc.yml", root / "_config.yml", *sorted((root / "book").glob("*.bib")), *find_pages(root)]
    if language != "en":
        files += sorted((root / "locales").rglob("*.po"))
    key = (str(root.resolve()), language,
           tuple((str(f), f.stat().st_mtime_ns) for f in files if f.is_file()))
    if key not in _BOOK_CACHE:
        if len(_BOOK_CACHE) > 4:
            _BOOK_CACHE.clear()
        _BOOK_CACHE[key] = BookIndex.load(root, language, translate_page_markdown(root, language))
    return _BOOK_CACHE[key]


def _cell_id(cell, seen: dict[str, int]) -> str:
    """A stable cell id: a hash of the cell's kind and source (numbered if repeated)."""
    digest = hashlib.sha1(f"{cell.cell_type}\n{cell.source}".encode("utf-8")).hexdigest()[:12]
    seen[digest] = seen.get(digest, 0) + 1
    return digest if seen[digest] == 1 else f"{digest}-{seen[digest]}"


def _docname(root: Path, page: Path) -> str:
    try:
        return page.resolve().relative_to(root.resolve()).with_suffix("").as_posix()
    except ValueError:
        return f"book/{page.stem}"


def _read_page(page: Path):
    import jupytext

    return jupytext.reads(page.read_text(encoding="utf-8"), fmt="md:myst")


def _gate_split(text: str):
    """Split a Markdown cell at the solution gates: ("md", text), ("start", label), ("end", "")."""
    from nnbook.publish.plain_markdown import _FENCE, _closing

    lines = text.split("\n")
    parts: list = []
    current: list[str] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m and (m.group("name") or m.group("fence")[0] in "`~"):
            end = _closing(lines, i, m.group("fence"))
            if m.group("name") in ("solution-start", "solution-end"):
                parts.append(("md", "\n".join(current)))
                current = []
                parts.append(("start" if m.group("name") == "solution-start" else "end", m.group("rest").strip()))
            else:
                current.extend(lines[i:end + 1])
            i = end + 1
            continue
        current.append(lines[i])
        i += 1
    parts.append(("md", "\n".join(current)))
    return [p for p in parts if p[0] != "md" or p[1].strip()]


def _exercise_labels(text: str) -> list[str]:
    from nnbook.publish.plain_markdown import _blocks, _Directive

    return [b.options["label"] for b in _blocks(text.split("\n"))
            if isinstance(b, _Directive) and b.name == "exercise" and b.options.get("label")]


def folding(tags) -> dict:
    """The JupyterLab folding of a generated cell, from its tags: ``{"source_hidden": True, ...}``.

    The solution cells (tag ``solution``) have their input folded, and the book's tags fold
    as :data:`FOLD` says. :mod:`nnbook.publish.jupyter_hooks` restores it on save (JupyterLab
    unfolds outputs when it runs a cell).
    """
    fold: dict = {}
    for tag in tags or []:
        for what in (("source_hidden",) if tag == SOLUTION_TAG else FOLD.get(tag, ())):
            fold[what] = True
    return fold


def apply_folding(cell) -> None:
    """Set a cell's ``jupyter`` metadata to :func:`folding` of its tags (other keys kept)."""
    jupyter = {k: v for k, v in (cell.get("metadata", {}).get("jupyter") or {}).items()
               if k not in ("source_hidden", "outputs_hidden")}
    jupyter.update(folding(cell.get("metadata", {}).get("tags")))
    if jupyter:
        cell["metadata"]["jupyter"] = jupyter
    else:
        cell.get("metadata", {}).pop("jupyter", None)


def solution_note(book: BookIndex, label: str) -> str:
    """The Markdown above the folded cells of a reference solution."""
    if book.language == "zh_CN":
        return (f"**{plain_markdown.solution_heading(book, label)}**\n\n"
                "*参考解答在下面折叠的单元格中（点击单元格左侧的竖条或 ⋯ 展开）。“全部运行”不会运行它——"
                "它的每个单元格都以 `%%solution` 开头——所以 `check(...)` 检查的是你自己的代码。"
                "要运行参考解答，请删除该单元格的第一行。*")
    return (f"**{plain_markdown.solution_heading(book, label)}**\n\n"
            "*The reference solution is in the folded cells below (click their bar or the ⋯ to unfold). "
            "Run All does not run it — each of its cells starts with `%%solution` — so `check(...)` "
            "grades your own code. To run it, delete that first line of its cell.*")


@dataclass
class _Page:
    root: Path
    page: Path
    docname: str
    nb: object                     # the page as jupytext reads it (its text in the edition's language)
    book: BookIndex
    values: dict                   # the glued values the page pastes
    source: str                    # where they come from
    language: str = "en"           # the edition


def _used_glue(page_nb, book: BookIndex, docname: str) -> list[str]:
    """The keys the page's Markdown pastes, in order (a dry conversion with stand-in values)."""
    used: list[str] = []

    def record(key):
        used.append(key)
        return {"text/plain": "0", "text/markdown": "0"}

    for cell in page_nb.cells:
        if cell.cell_type == "markdown":
            for kind, text in _gate_split(cell.source):
                if kind == "md":
                    plain_markdown.convert(text, book, docname, record)
    return list(dict.fromkeys(used))


def _prepare(page: Path, root: Path, sources: tuple[str, ...], log=None, language: str = "en",
             values: dict | None = None) -> _Page:
    """The page read and translated into ``language``, with its glued values (``values``: the
    English edition's, which another edition's page shares)."""
    page = Path(page)
    book = book_index(root, language)
    docname = _docname(root, page)
    nb = _read_page(page)
    if language != "en":
        # the same code cells (and so the same glued values); the Markdown in the edition's language
        translate = translate_page_markdown(root, language)
        for cell in nb.cells:
            if cell.cell_type == "markdown":
                cell.source = translate(docname, cell.source)
    used = _used_glue(nb, book, docname)
    if values is not None:
        missing = [k for k in used if k not in values]
        if missing:
            raise plain_markdown.UnsupportedMyST(f"{page.name} ({language}) pastes glue keys the English page does not: "
                                                 f"{missing}")
        return _Page(root, page, docname, nb, book, glue_values.select(values, used), "english", language)
    values, source = {}, "none"
    if used:
        digest = glue_values.code_digest(nb)
        for src in sources:
            found = None
            if src == "stored":
                found = glue_values.from_notebook(notebook_path(page), digest, META_KEY)
            elif src == "build":
                found = glue_values.from_build(root, page, digest)
            elif src == "execute":
                if log:
                    log(f"running {page.name} for the values it glues ...")
                found = glue_values.extract(glue_values.execute_page(root, page))
            if found is not None:
                missing = [k for k in used if k not in found]
                if missing and src == "execute":
                    raise plain_markdown.UnsupportedMyST(f"{page.name} pastes glue keys its code never glues: {missing}")
                if not missing:
                    values, source = glue_values.select(found, used), src
                    break
        else:
            raise glue_values.GlueStale(
                f"{notebook_path(page).name}: no glued values for the code {page.name} has now "
                f"(looked at: {', '.join(sources)}); run `make notebooks`")
    return _Page(root, page, docname, nb, book, values, source, language)


def _lookup(values: dict):
    def glue(key):
        if key not in values:
            raise plain_markdown.UnsupportedMyST(f"no glued value {key!r}")
        return values[key]
    return glue


def _finish(cells, p: _Page, metadata_extra: dict):
    url, branch = repository(p.root)
    setup = nbformat.v4.new_code_cell(colab_setup_source(url, branch), metadata={"tags": [COLAB_TAG]})
    cells = [setup] + ([nbformat.v4.new_code_cell(LANGUAGE_CELLS[p.language])] if p.language in LANGUAGE_CELLS
                       else []) + list(cells)
    refs = plain_markdown.reference_list(
        p.book, [k for c in p.nb.cells if c.cell_type == "markdown" for k in plain_markdown.cited_keys(c.source)])
    if refs:
        cells.append(nbformat.v4.new_markdown_cell(refs))
    seen: dict[str, int] = {}
    for cell in cells:
        if cell.cell_type == "code":
            cell.outputs = []
            cell.execution_count = None
        cell.id = _cell_id(cell, seen)
    kernelspec = dict(p.nb.metadata.get("kernelspec") or {"name": "python3", "display_name": "Python 3",
                                                           "language": "python"})
    metadata = {
        "kernelspec": kernelspec,
        "language_info": {"name": kernelspec.get("language", "python")},
        META_KEY: {"source": f"{p.docname}.md", "generated_by": GENERATOR,
                   **({"language": p.language} if p.language != "en" else {}), **metadata_extra},
    }
    out = nbformat.v4.new_notebook(cells=cells, metadata=metadata)
    out.nbformat, out.nbformat_minor = 4, 5
    return out


def _reader(p: _Page):
    glue = _lookup(p.values)
    cells = []
    gate: str | None = None
    last_exercise: str | None = None
    for cell in p.nb.cells:
        if cell.cell_type == "markdown":
            for kind, payload in _gate_split(cell.source):
                if kind == "start":
                    gate = payload.split()[0] if payload.split() else last_exercise
                    cells.append(nbformat.v4.new_markdown_cell(solution_note(p.book, gate)))
                elif kind == "end":
                    gate = None
                else:
                    labels = _exercise_labels(payload)
                    last_exercise = labels[-1] if labels else last_exercise
                    text = plain_markdown.convert(payload, p.book, p.docname, glue)
                    if text.strip():
                        md = nbformat.v4.new_markdown_cell(text, metadata={"tags": [SOLUTION_TAG]} if gate else {})
                        apply_folding(md)
                        cells.append(md)
            continue
        if cell.cell_type != "code":
            cells.append(cell)
            continue
        new = nbformat.v4.new_code_cell(cell.source, metadata=dict(cell.metadata))
        tags = list(new.metadata.get("tags") or [])
        if gate or SOLUTION_TAG in tags:
            label = gate or last_exercise
            target = p.book.targets.get(label or "")
            if target is None:
                raise plain_markdown.UnsupportedMyST(f"{p.page.name}: a solution cell before any exercise")
            new.source = f"%%solution exercise {target.number}\n{cell.source}"
            if SOLUTION_TAG not in tags:
                new.metadata["tags"] = tags + [SOLUTION_TAG]
        apply_folding(new)
        cells.append(new)
    values = {"code": glue_values.code_digest(p.nb), "values": p.values} if p.values else None
    return _finish(cells, p, {"glue": values} if values else {})


def _has_exercises(nb) -> bool:
    return any(c.cell_type == "markdown" and _exercise_labels(c.source) for c in nb.cells)


def _student(p: _Page):
    """The student edition: solutions removed (nnbook.grade.student), the rest as the reader's."""
    from nnbook.exercises import registry
    from nnbook.grade.submissions import mentioned_ids

    glue = _lookup(p.values)
    keep = {"solution", "solution-start", "solution-end"}
    nb = nbformat.from_dict(p.nb)
    for cell in nb.cells:
        if cell.cell_type == "markdown":
            cell.source = plain_markdown.convert(cell.source, p.book, p.docname, glue, keep=keep)
    known = {e.id: e for e in registry.all()}
    ids = [i for i in mentioned_ids(p.nb) if i in known]
    chapters = sorted({known[i].chapter for i in ids})
    names = {e.name: e.id for e in registry.all() if e.kind == "function" and (not chapters or e.chapter in chapters)}
    stripped = strip_solutions(nb, names)
    cells = []
    for cell in stripped.cells:
        if cell.cell_type == "code":
            new = nbformat.v4.new_code_cell(cell.source, metadata=dict(cell.metadata))
            apply_folding(new)
            cells.append(new)
        else:
            cells.append(nbformat.v4.new_markdown_cell(cell.source))
    return _finish(cells, p, {"edition": "student", "chapters": chapters})


def launch_notebook(page: str | Path, root: str | Path | None = None, *, sources: tuple[str, ...] = CHECK_SOURCES,
                    log=None, language: str = "en"):
    """The reader's notebook of one MyST page (an ``nbformat`` v4 notebook without outputs).

    ``sources``: where its glued values may come from (see :mod:`nnbook.publish.glue_values`);
    the default takes only the values stored in the committed notebook and never executes.
    """
    root = Path(root) if root else _repo_root()
    return _reader(_prepare(Path(page), root, sources, log, language))


def student_notebook(page: str | Path, root: str | Path | None = None, *, sources: tuple[str, ...] = CHECK_SOURCES,
                     log=None, language: str = "en"):
    """The student edition of one page (``None`` if the page has no exercises)."""
    root = Path(root) if root else _repo_root()
    p = _prepare(Path(page), root, sources, log, language)
    return _student(p) if _has_exercises(p.nb) else None


def render(nb) -> str:
    """The file text of a notebook: nbformat's JSON (sorted keys, indent 1) and a final newline."""
    nbformat.validate(nb)
    text = nbformat.writes(nb, version=4)
    return text if text.endswith("\n") else text + "\n"


def expected_files(root: str | Path | None = None, sources: tuple[str, ...] = CHECK_SOURCES,
                   log=None, stale: list | None = None) -> dict[Path, str]:
    """Every generated file as it should be: {path relative to the root: file text}.

    A page without glued values for its code raises :class:`~nnbook.publish.glue_values.GlueStale`,
    or, given a list ``stale``, is added to it and left out.
    """
    root = Path(root) if root else _repo_root()
    files: dict[Path, str] = {}
    base = root.resolve()
    for page in notebook_pages(root):
        try:
            english = _prepare(page, root, sources, log)
        except glue_values.GlueStale as err:
            if stale is None:
                raise
            stale.append(str(err))
            continue
        for language in languages(root):
            # another edition's page has the same code cells: the same glued values
            p = english if language == "en" else _prepare(page, root, sources, log, language, values=english.values)
            files[notebook_path(page, language).resolve().relative_to(base)] = render(_reader(p))
            if _has_exercises(p.nb):
                files[student_path(page, root, language).resolve().relative_to(base)] = render(_student(p))
    files[Path(COLAB_CONSTRAINTS)] = colab_constraints(root)
    return files


def _generated_here(path: Path) -> bool:
    """Whether an ``.ipynb`` file says it was written by this module."""
    try:
        nb = nbformat.read(str(path), as_version=4)
    except Exception:  # noqa: BLE001 — unreadable: not one of ours
        return False
    return isinstance(nb.metadata.get(META_KEY), dict) and nb.metadata[META_KEY].get("generated_by") == GENERATOR


def _orphans(root: Path) -> list[Path]:
    """Generated notebooks in ``book/`` or ``student/`` whose page is gone from the table of contents."""
    stems = {p.stem for p in notebook_pages(root)}
    found = []
    for sub in LANGUAGES.values():
        for folder in (root / "book" / sub, root / STUDENT_DIR / sub):
            found += sorted(folder.glob("*.ipynb")) if folder.is_dir() else []
    return [p.relative_to(root) for p in found if p.stem not in stems and _generated_here(p)]


def out_of_date(root: str | Path | None = None) -> list[str]:
    """What differs between the generated files on disk and what the pages give (empty: in sync)."""
    root = Path(root) if root else _repo_root()
    problems: list[str] = []
    expected = expected_files(root, stale=problems)
    for rel, text in expected.items():
        path = root / rel
        if not path.is_file():
            problems.append(f"{rel.as_posix()} is missing")
        elif path.read_bytes() != text.encode("utf-8"):
            problems.append(f"{rel.as_posix()} differs from what its source gives")
    problems += [f"{rel.as_posix()} has no page in _toc.yml any more" for rel in _orphans(root)]
    return problems


def write(root: str | Path | None = None, out: str | Path | None = None,
          sources: tuple[str, ...] = WRITE_SOURCES, log=None) -> list[Path]:
    """Write every generated file (into ``out`` instead of the repository if given).

    Returns the files written. Writing into the repository also removes generated notebooks
    whose page has left the table of contents. ``sources``: see :func:`launch_notebook`.
    """
    root = Path(root) if root else _repo_root()
    expected = expected_files(root, sources, log)
    base = Path(out) if out else root
    written = []
    for rel, text in expected.items():
        target = base / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.is_file() or target.read_bytes() != text.encode("utf-8"):
            target.write_bytes(text.encode("utf-8"))
        written.append(target)
    if out is None:
        for rel in _orphans(root):
            (root / rel).unlink()
    return written


# ------------------------------------------------------------------------------- links


def _interface(root: Path) -> str:
    ui = str((_config(root).get("launch_buttons") or {}).get("notebook_interface") or "jupyterlab")
    return {"jupyterlab": "lab/tree", "classic": "tree"}.get(ui, "lab/tree")


def nbgitpuller_link(hub: str, url: str, branch: str, path: str, ui_prefix: str = "lab/tree") -> str:
    """The nbgitpuller link that pulls the repository into the user's home on ``hub`` and
    opens ``path`` (a file or folder of the repository); as the book's theme writes it."""
    folder = url.rstrip("/").rsplit("/", 1)[-1]
    params = urlencode({"repo": url, "urlpath": f"{ui_prefix}/{folder}/{path}".rstrip("/"), "branch": branch},
                       safe="/")
    return f"{hub.rstrip('/')}/hub/user-redirect/git-pull?{params}"


def binder_link(binderhub: str, url: str, branch: str, path: str, ui_prefix: str = "lab/tree") -> str:
    m = re.match(r"^https://github\.com/([^/]+)/([^/]+)$", url)
    if not m:
        raise ValueError(f"Binder links are written for GitHub repositories, not {url!r}")
    return f"{binderhub.rstrip('/')}/v2/gh/{m.group(1)}/{m.group(2)}/{branch}?urlpath={ui_prefix}/{path}"


def colab_link(colab: str, url: str, branch: str, path: str) -> str:
    m = re.match(r"^https://github\.com/([^/]+)/([^/]+)$", url)
    if not m:
        raise ValueError(f"Colab opens notebooks of GitHub repositories, not {url!r}")
    return f"{colab.rstrip('/')}/github/{m.group(1)}/{m.group(2)}/blob/{branch}/{path}"


def links(root: str | Path | None = None, hub: str | None = None) -> list[tuple[str, str, str]]:
    """(what, edition, link) for each chapter and edition: nbgitpuller links on ``hub``, else
    Binder and Colab links (``launch_buttons`` of ``_config.yml``)."""
    root = Path(root) if root else _repo_root()
    url, branch = repository(root)
    ui = _interface(root)
    launch = _config(root).get("launch_buttons") or {}
    book = book_index(root)
    rows = []

    def make(path: str) -> list[tuple[str, str]]:
        if hub:
            return [("JupyterHub", nbgitpuller_link(hub, url, branch, path, ui))]
        out = []
        if launch.get("binderhub_url"):
            out.append(("Binder", binder_link(launch["binderhub_url"], url, branch, path, ui)))
        if launch.get("colab_url") and path.endswith(".ipynb"):
            out.append(("Colab", colab_link(launch["colab_url"], url, branch, path)))
        return out

    for folder, edition in (("book", "reader's notebooks (with solutions)"), (STUDENT_DIR, "student edition")):
        for kind, link in make(folder + "/"):
            rows.append((f"the folder {folder}/", f"{edition}, {kind}", link))
    for page in notebook_pages(root):
        docname = _docname(root, page)
        number = book.chapters.get(docname)
        title = (f"{number}. " if number else "") + book.titles.get(docname, page.stem)
        editions = [("reader", notebook_path(page).resolve().relative_to(root.resolve()).as_posix())]
        student = student_path(page, root)
        if student.is_file():
            editions.append(("student edition", student.resolve().relative_to(root.resolve()).as_posix()))
        for edition, path in editions:
            for kind, link in make(path):
                rows.append((title, f"{edition}, {kind}", link))
    return rows


def _hub_from_config(root: Path) -> str:
    return str((_config(root).get("launch_buttons") or {}).get("jupyterhub_url") or "").strip()


# ---------------------------------------------------------------------------------- CLI


def main(argv: list[str] | None = None) -> int:
    """``python -m nnbook.publish.notebooks [--root ROOT] [--out DIR | --check | --links | --nbgitpuller [HUB]]``."""
    p = argparse.ArgumentParser(prog="python -m nnbook.publish.notebooks",
                                description="Write book/<page>.ipynb and student/<page>.ipynb (Binder, Colab, "
                                            "JupyterHub) from the MyST pages, or print their launch links.")
    p.add_argument("--root", type=Path, help="repository root (default: found automatically)")
    p.add_argument("--out", type=Path, help="write into this folder instead of the repository")
    p.add_argument("--check", action="store_true", help="write nothing; fail if the notebooks are out of date")
    p.add_argument("--refresh-glue", action="store_true",
                   help="take the glued values from the last build or by running the pages, not from the notebooks")
    p.add_argument("--nbgitpuller", nargs="?", const="", metavar="HUB_URL",
                   help="print the nbgitpuller link of every chapter and of the student edition on the JupyterHub "
                        "HUB_URL (default: launch_buttons.jupyterhub_url of _config.yml)")
    p.add_argument("--links", action="store_true", help="print the Binder and Colab links of every notebook")
    p.add_argument("--student", choices=sorted(LANGUAGES), metavar="LANGUAGE",
                   help="with --out: write only the student edition in LANGUAGE (en or zh_CN), flat into --out")
    a = p.parse_args(argv)
    root = a.root or _repo_root()
    if a.nbgitpuller is not None or a.links:
        hub = None
        if a.nbgitpuller is not None:
            hub = a.nbgitpuller or _hub_from_config(root)
            if not hub:
                print("No JupyterHub address: give one (--nbgitpuller https://hub.example.edu) or set "
                      "launch_buttons.jupyterhub_url in _config.yml.", file=sys.stderr)
                return 2
        for what, edition, link in links(root, hub):
            print(f"{what} — {edition}\n    {link}")
        return 0
    if a.check:
        problems = out_of_date(root)
        for line in problems:
            print(line)
        if problems:
            print("The generated notebooks are out of date: run `make notebooks`.")
            return 1
        print("The generated notebooks are in sync with the pages.")
        return 0
    if a.student:
        if not a.out:
            p.error("--student needs --out")
        folder = (Path(STUDENT_DIR) / LANGUAGES[a.student]) if LANGUAGES[a.student] else Path(STUDENT_DIR)
        a.out.mkdir(parents=True, exist_ok=True)
        count = 0
        for rel, text in expected_files(root, WRITE_SOURCES, log=lambda m: print(m, file=sys.stderr)).items():
            if rel.parent == folder:
                (a.out / rel.name).write_bytes(text.encode("utf-8"))
                count += 1
        print(f"wrote the student edition ({a.student}, {count} notebooks) to {a.out}")
        return 0
    sources = tuple(s for s in WRITE_SOURCES if not (a.refresh_glue and s == "stored"))
    written = write(root, a.out, sources, log=lambda m: print(m, file=sys.stderr))
    print(f"wrote {len(written)} files" + (f" to {a.out}" if a.out else " (book/*.ipynb, student/*.ipynb, "
                                                                      f"{COLAB_CONSTRAINTS})"))
    return 0


if __name__ == "__main__":
    sys.exit(main())
