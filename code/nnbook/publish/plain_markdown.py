"""MyST Markdown of the pages as plain Markdown that every Jupyter front end and Colab render.

The book's pages are written in MyST: directives (```` ```{exercise} ````, ```` ```{warning} ````,
```` ```{prf:theorem} ````, ...), roles (``{doc}``, ``{ref}``, ``{cite}``, ``{glue:text}``, ...),
targets (``(label)=``) and comments (``% ...``). JupyterLab, Notebook 7, VS Code and Colab show
them as raw text. :func:`convert` turns the Markdown of one cell into CommonMark with a little
HTML, the same way for every page:

* **directives** — an exercise becomes a bold title with its number as the book shows it
  (``**Exercise 11.1 (The gradient of the first layer)**``) followed by its text; a theorem,
  definition, ... likewise (``**Theorem 4.1 (...)**``); a proof starts with *Proof.* and
  ends with ∎; an admonition (note, warning, tip, ...) becomes a bold label and its text;
  a ``{solution}`` block becomes a folded ``<details>`` block; a figure an image with its
  numbered caption; ``{math}`` display math; ``{code-block}`` a code fence. Solution gates
  (``{solution-start}`` / ``{solution-end}``) span cells and are handled by the notebook
  generator (:mod:`nnbook.publish.notebooks`), which asks :func:`solution_heading` for
  their title.
* **cross-references** become links into the online book (:attr:`BookIndex.base_url`):
  ``{doc}`` to the page, with its title as the text; ``{ref}``, ``{numref}`` to an exercise,
  theorem or figure with the text the book shows ("Exercise 11.1"), to a section with its
  title; ``{eq}`` with the equation's number in parentheses.
* **numbers** are computed as Sphinx numbers them in this book (``numfig`` with one level of
  section numbers; the chapters of the ``numbered`` parts of ``_toc.yml`` are numbered on
  across parts, as sphinx-multitoc-numbering does): chapter number, a dot, and the position
  of the item among the items of its kind on the page.
* **glued values** (``{glue:text}``, ``{glue:md}``, ``{glue}`` and the ``{glue:md}``
  directive) become the value that the page's code glued (given by the caller: see
  :mod:`nnbook.publish.glue_values`), formatted exactly as myst-nb formats it.
* **citations** become the book's labels ("[Bis06]", the ``alpha`` style that
  sphinxcontrib-bibtex uses by default) linked to the book's bibliography; the notebook
  generator adds a list of the cited works at the end (:func:`reference_list`).
* targets and MyST comments are dropped; ``{term}`` keeps its text; ``{math}`` becomes
  ``$...$``; ``{sub}``/``{sup}`` HTML.

Anything else — an unknown role or directive — raises :class:`UnsupportedMyST` naming it, so
a new construct on a page fails ``make notebooks`` instead of reaching students raw.
:func:`raw_myst` counts what is left of MyST in converted Markdown (the tests require zero).
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Mapping

__all__ = [
    "UnsupportedMyST",
    "Target",
    "BookIndex",
    "convert",
    "solution_heading",
    "raw_myst",
    "cited_keys",
    "reference_list",
    "page_url",
]


class UnsupportedMyST(ValueError):
    """A MyST construct this converter does not know (teach it here before using it on a page)."""


# ------------------------------------------------------------------------- the book's index


@dataclass(frozen=True)
class Target:
    """Something a ``{ref}`` / ``{numref}`` / ``{eq}`` can point at."""

    docname: str                 # "book/ch11_matrix_backprop"
    anchor: str                  # the HTML id on that page
    kind: str                    # "exercise", "theorem", ..., "figure", "equation", "section"
    number: str = ""             # "11.1" ("" if unnumbered)
    title: str = ""              # the item's own title (a section's heading text)
    language: str = "en"         # the edition: the word before the number ("Exercise", "练习")

    @property
    def text(self) -> str:
        """What the book shows for a reference to it: "Exercise 11.1", a section's title."""
        if self.kind == "section":
            return self.title
        if self.kind == "equation":
            return f"({self.number})"
        label = word(_KIND_NAMES.get(self.kind, self.kind.capitalize()), self.language)
        return f"{label} {self.number}".strip() if self.number else (self.title or label)


_KIND_NAMES = {"exercise": "Exercise", "figure": "Fig.", "table": "Table", "code-block": "Listing"}
# sphinx-proof's directives (each its own counter) and their titles
PROOF_KINDS = {
    "theorem": "Theorem", "lemma": "Lemma", "definition": "Definition", "corollary": "Corollary",
    "proposition": "Proposition", "conjecture": "Conjecture", "example": "Example", "remark": "Remark",
    "property": "Property", "observation": "Observation", "algorithm": "Algorithm", "axiom": "Axiom",
    "criterion": "Criterion", "assumption": "Assumption", "condition": "Condition", "notation": "Notation",
}
_KIND_NAMES.update(PROOF_KINDS)
#: The words the converter writes itself, in the Chinese edition: those Sphinx, sphinx-exercise
#: and sphinx-proof show on the Chinese site (their zh_CN catalogues), so notebook and page agree.
WORDS = {
    "zh_CN": {
        "Exercise": "练习", "Fig.": "图", "Table": "表", "Listing": "代码", "Theorem": "定理", "Lemma": "引理",
        "Definition": "定义", "Corollary": "推论", "Proposition": "命题", "Conjecture": "猜想", "Example": "例",
        "Remark": "注", "Property": "性质", "Observation": "观察", "Algorithm": "算法", "Axiom": "公理",
        "Criterion": "准则", "Assumption": "假设", "Condition": "条件", "Notation": "记号",
        "Note": "备注", "Warning": "警告", "Tip": "小技巧", "Important": "重要", "Hint": "提示",
        "Caution": "小心", "Attention": "注意", "Danger": "危险", "Error": "错误", "See also": "参见",
        "Proof.": "证明.", "Solution": "解答", "Solution to": "解答", "Details": "详情",
        "References": "参考文献", "figure": "图",
    },
}


def word(text: str, language: str = "en") -> str:
    """``text`` (one of the converter's own words) in the edition's ``language``."""
    return WORDS.get(language, {}).get(text, text)


ADMONITIONS = {
    "note": "Note", "warning": "Warning", "tip": "Tip", "important": "Important", "hint": "Hint",
    "caution": "Caution", "attention": "Attention", "danger": "Danger", "error": "Error",
    "seealso": "See also",
}


@dataclass
class BookIndex:
    """What the conversion needs to know about the whole book.

    Built from the repository by :meth:`load`: the online book's address, every page's title
    and chapter number, every referenceable item with its number, the citation labels.
    """

    base_url: str
    language: str = "en"                                            # the edition (WORDS)
    titles: dict[str, str] = field(default_factory=dict)            # docname -> title
    chapters: dict[str, str] = field(default_factory=dict)          # docname -> "11" (numbered pages)
    targets: dict[str, Target] = field(default_factory=dict)        # label -> target
    citations: dict[str, str] = field(default_factory=dict)         # bibtex key -> "Bis06"
    bibliography: dict[str, str] = field(default_factory=dict)      # bibtex key -> Markdown entry
    references_doc: str | None = None                               # the page with {bibliography}

    def url(self, docname: str, anchor: str = "") -> str:
        return page_url(self.base_url, docname, anchor)

    @classmethod
    def load(cls, root: str | Path, language: str = "en", translate=None) -> "BookIndex":
        """The index of the book at ``root``; for another edition, ``language`` and
        ``translate(docname, markdown) -> markdown`` (the page's text in that language: titles
        and exercise titles come from it), its site being ``<base url><folder>/``."""
        import jupytext
        import yaml

        root = Path(root)
        config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
        base = base_url(config)
        if language != "en":
            base += EDITION_FOLDERS[language] + "/"
        index = cls(base_url=base, language=language)
        numbers = chapter_numbers(root)
        for docname in toc_docnames(root):
            page = root / f"{docname}.md"
            if not page.is_file():
                raise UnsupportedMyST(f"_toc.yml lists {docname}, but {page} is not there (a MyST page)")
            text = page.read_text(encoding="utf-8")
            nb = jupytext.reads(text, fmt="md:myst")
            markdown = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
            if translate is not None:
                markdown = translate(docname, markdown)
            index.titles[docname] = _first_heading(markdown) or Path(docname).name
            if docname in numbers:
                index.chapters[docname] = numbers[docname]
            index._scan(docname, markdown)
        index._load_bibliography(root, config)
        return index

    # ---- scanning a page for labels
    def _number(self, docname: str, counter: int) -> str:
        chapter = self.chapters.get(docname)
        return f"{chapter}.{counter}" if chapter else str(counter)

    def _scan(self, docname: str, markdown: str) -> None:
        counters: dict[str, int] = {}
        lines = markdown.split("\n")
        pending: list[str] = []
        for block in _blocks(lines):
            if isinstance(block, _Directive):
                kind = block.name.removeprefix("prf:")
                if block.name == "bibliography":
                    self.references_doc = docname
                numbered_kind = ("exercise" if block.name == "exercise"
                                 else kind if block.name.startswith("prf:") and kind in PROOF_KINDS
                                 else "figure" if block.name == "figure" else None)
                label = block.options.get("label") or block.options.get("name")
                if numbered_kind and "nonumber" not in block.options:
                    counters[numbered_kind] = counters.get(numbered_kind, 0) + 1
                    number = self._number(docname, counters[numbered_kind])
                else:
                    number = ""
                if numbered_kind and label:
                    title = block.argument if numbered_kind != "figure" else _caption(block.body)
                    self._add(label, Target(docname, label, numbered_kind, number, title, self.language))
                if block.name in ("math",) and label:
                    counters["equation"] = counters.get("equation", 0) + 1
                    self._add(label, Target(docname, f"equation-{label}", "equation",
                                            self._number(docname, counters["equation"]), language=self.language))
                # nested directives (an admonition holding a figure, ...)
                self._scan_nested(docname, block.body, counters)
                continue
            if isinstance(block, _CodeFence):
                continue
            for line in block:
                m = _TARGET.match(line)
                if m:
                    pending.append(m.group(1))
                    continue
                h = re.match(r"^#{1,6}\s+(.*?)\s*#*\s*$", line)
                if h and pending:
                    for label in pending:
                        self._add(label, Target(docname, label, "section", "", _plain(h.group(1)), self.language))
                    pending = []
                elif line.strip():
                    pending = []

    def _scan_nested(self, docname: str, body: list[str], counters: dict[str, int]) -> None:
        for block in _blocks(body):
            if isinstance(block, _Directive) and block.name in ("figure",):
                counters["figure"] = counters.get("figure", 0) + 1
                label = block.options.get("name")
                if label:
                    self._add(label, Target(docname, label, "figure", self._number(docname, counters["figure"]),
                                            _caption(block.body), self.language))

    def _add(self, label: str, target: Target) -> None:
        if label in self.targets and self.targets[label] != target:
            raise UnsupportedMyST(f"the label {label!r} is defined twice ({self.targets[label].docname} "
                                  f"and {target.docname})")
        self.targets[label] = target

    def _load_bibliography(self, root: Path, config: dict) -> None:
        files = config.get("bibtex_bibfiles") or []
        if isinstance(files, str):
            files = [files]
        if not files:
            return
        from pybtex.database import BibliographyData, parse_file
        from pybtex.plugin import find_plugin

        data = BibliographyData()
        for name in files:
            for key, entry in parse_file(str(root / name), bib_format="bibtex").entries.items():
                data.add_entry(key, entry)
        # sphinxcontrib-bibtex's defaults: the "alpha" style, its labels in the references
        style = find_plugin("pybtex.style.formatting", "alpha")()
        backend = find_plugin("pybtex.backends", "markdown")()
        for formatted in style.format_entries(data.entries.values()):
            self.citations[formatted.key] = formatted.label
            self.bibliography[formatted.key] = formatted.text.render(backend)


#: Where each edition other than English lives below the site's root.
EDITION_FOLDERS = {"zh_CN": "zh"}


def base_url(config: Mapping) -> str:
    """The online book's address: ``html.baseurl`` of ``_config.yml``, else the GitHub Pages
    address of ``repository.url`` (``https://github.com/ORG/REPO`` -> ``https://ORG.github.io/REPO/``)."""
    url = str(((config.get("html") or {}).get("baseurl")) or "").strip()
    if not url:
        repo = str((config.get("repository") or {}).get("url") or "").rstrip("/").removesuffix(".git")
        m = re.match(r"^https://github\.com/([^/]+)/([^/]+)$", repo)
        if not m:
            raise ValueError("_config.yml: set html.baseurl (the published book's address); the repository "
                             f"url {repo!r} is not on GitHub, so the GitHub Pages address cannot be derived")
        url = f"https://{m.group(1).lower()}.github.io/{m.group(2)}/"
    return url if url.endswith("/") else url + "/"


def page_url(base: str, docname: str, anchor: str = "") -> str:
    return f"{base}{docname}.html" + (f"#{anchor}" if anchor else "")


def _strip_suffix(f: str) -> str:
    return f[:-3] if f.endswith(".md") else f


def toc_docnames(root: str | Path) -> list[str]:
    """Every document of ``_toc.yml`` (root, parts, chapters, sections) in reading order."""
    import yaml

    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text(encoding="utf-8")) or {}
    names = [_strip_suffix(toc["root"])] if toc.get("root") else []

    def walk(entries):
        for entry in entries or []:
            if entry.get("file"):
                names.append(_strip_suffix(entry["file"]))
            walk(entry.get("sections"))

    for part in toc.get("parts") or [{"chapters": toc.get("chapters")}]:
        walk(part.get("chapters"))
    return list(dict.fromkeys(names))


def chapter_numbers(root: str | Path) -> dict[str, str]:
    """{docname: number} of the chapters in the ``numbered`` parts of ``_toc.yml``, numbered
    on across parts (sphinx-multitoc-numbering, on in Jupyter Book); sections get N.M."""
    import yaml

    toc = yaml.safe_load((Path(root) / "_toc.yml").read_text(encoding="utf-8")) or {}
    numbers: dict[str, str] = {}
    count = 0

    strip = _strip_suffix
    parts = toc.get("parts") or [{"chapters": toc.get("chapters") or [], "numbered": toc.get("numbered")}]
    for part in parts:
        if not part.get("numbered"):
            continue
        for chapter in part.get("chapters") or []:
            count += 1
            numbers[strip(chapter["file"])] = str(count)
            for i, section in enumerate(chapter.get("sections") or [], 1):
                numbers[strip(section["file"])] = f"{count}.{i}"
    return numbers


# ---------------------------------------------------------------------------- block parsing


_FENCE = re.compile(r"^(?P<indent> {0,3})(?P<fence>`{3,}|~{3,}|:{3,})\s*(?:\{(?P<name>[A-Za-z0-9_:+-]+)\})?(?P<rest>.*)$")
_TARGET = re.compile(r"^\(([^()\s]+)\)=\s*$")
_ROLE = re.compile(r"\{(?P<name>[A-Za-z][A-Za-z0-9_:+-]*)\}(?P<ticks>`+)")


@dataclass
class _Directive:
    name: str
    argument: str
    options: dict[str, str]
    body: list[str]
    indent: str


@dataclass
class _CodeFence:
    lines: list[str]


def _closing(lines: list[str], start: int, fence: str) -> int:
    char, n = fence[0], len(fence)
    pattern = re.compile(r"^\s*" + re.escape(char) + "{" + str(n) + r",}\s*$")
    for j in range(start + 1, len(lines)):
        if pattern.match(lines[j]):
            return j
    return len(lines)


def _parse_options(body: list[str]) -> tuple[dict[str, str], list[str]]:
    options: dict[str, str] = {}
    if body and body[0].strip() == "---":                      # YAML block of options
        import yaml

        end = next((i for i in range(1, len(body)) if body[i].strip() == "---"), None)
        if end is not None:
            data = yaml.safe_load("\n".join(body[1:end])) or {}
            return {str(k): "" if v is None else str(v) for k, v in data.items()}, body[end + 1:]
    i = 0
    while i < len(body):
        m = re.match(r"^\s*:([A-Za-z0-9_-]+):\s*(.*)$", body[i])
        if not m:
            break
        options[m.group(1)] = m.group(2).strip()
        i += 1
    return options, body[i:]


def _blocks(lines: list[str]):
    """Split Markdown lines into runs of plain lines, code fences and directives (in order)."""
    plain: list[str] = []
    i = 0
    while i < len(lines):
        m = _FENCE.match(lines[i])
        if m and (m.group("name") or m.group("fence")[0] in "`~"):
            if plain:
                yield plain
                plain = []
            end = _closing(lines, i, m.group("fence"))
            if m.group("name"):
                options, body = _parse_options(lines[i + 1:end])
                yield _Directive(m.group("name"), m.group("rest").strip(), options, body, m.group("indent"))
            else:
                yield _CodeFence(lines[i:end + 1])
            i = end + 1
            continue
        plain.append(lines[i])
        i += 1
    if plain:
        yield plain


def _first_heading(markdown: str) -> str:
    for block in _blocks(markdown.split("\n")):
        if isinstance(block, list):
            for line in block:
                m = re.match(r"^#\s+(.*?)\s*#*\s*$", line)
                if m:
                    return _plain(m.group(1))
    return ""


def _plain(text: str) -> str:
    """Heading text without Markdown emphasis or code marks (what Sphinx shows as a title)."""
    text = re.sub(r"\*\*(.+?)\*\*|__(.+?)__", lambda m: m.group(1) or m.group(2), text)
    text = re.sub(r"(?<![\w*])\*(?!\s)(.+?)(?<!\s)\*", r"\1", text)
    return text.replace("`", "").strip()


def _caption(body: list[str]) -> str:
    for line in body:
        if line.strip():
            return line.strip()
    return ""


# ------------------------------------------------------------------------------ conversion


GlueLookup = Callable[[str], Mapping[str, str]]


@dataclass
class _Context:
    book: BookIndex
    docname: str
    glue: GlueLookup
    keep: frozenset


def convert(markdown: str, book: BookIndex, docname: str, glue: GlueLookup | None = None,
            keep: frozenset | set = frozenset()) -> str:
    """The plain Markdown of one cell of the page ``docname`` (e.g. ``"book/ch11_matrix_backprop"``).

    Parameters
    ----------
    glue : callable
        ``glue(key)`` returns the glued mime bundle of ``key`` on this page
        (``{"text/plain": ..., "text/markdown": ...}``); needed only if the text pastes glue.
    keep : set of str
        Directive names to leave as they are (the student edition removes its solution
        blocks itself).
    """
    ctx = _Context(book, docname, glue or _no_glue, frozenset(keep))
    out = _convert_lines(markdown.split("\n"), ctx)
    text = "\n".join(out)
    text = re.sub(r"\n{3,}", "\n\n", text)
    return text.strip("\n")


def _no_glue(key: str) -> Mapping[str, str]:
    raise UnsupportedMyST(f"the page pastes the glued value {key!r}, but no glue values were given")


def _convert_lines(lines: list[str], ctx: _Context) -> list[str]:
    out: list[str] = []
    in_math = False
    for block in _blocks(lines):
        if isinstance(block, _CodeFence):
            out.extend(block.lines)
            continue
        if isinstance(block, _Directive):
            if block.name in ctx.keep:
                out.extend(_unparse(block))
            else:
                out.extend(_directive(block, ctx))
            continue
        for line in block:
            if line.strip().startswith("$$"):
                in_math = not in_math if line.strip() == "$$" or line.strip().count("$$") == 1 else in_math
            if not in_math and _TARGET.match(line):
                continue
            if not in_math and re.match(r"^\s*%", line):          # a MyST comment
                continue
            out.append(_roles(line, ctx))
    return out


def _unparse(block: _Directive) -> list[str]:
    fence = "```" + ("`" * max(0, max((len(m) for line in block.body for m in re.findall(r"`{3,}", line)), default=0) - 2))
    opts = [f":{k}: {v}".rstrip() for k, v in block.options.items()]
    return [f"{block.indent}{fence}{{{block.name}}} {block.argument}".rstrip(), *opts, *block.body, f"{block.indent}{fence}"]


def _inline(text: str, ctx: _Context) -> str:
    return "\n".join(_convert_lines(text.split("\n"), ctx)).strip()


def _directive(d: _Directive, ctx: _Context) -> list[str]:
    name = d.name
    body = _convert_lines(d.body, ctx)
    target = ctx.book.targets.get(d.options.get("label") or d.options.get("name") or "")
    if name == "exercise":
        number = target.number if target and target.kind == "exercise" else ""
        title = f"{word('Exercise', ctx.book.language)} {number}".strip()
        if d.argument:
            title += f" ({_inline(d.argument, ctx)})"
        return ["", f"**{title}**", "", *body, ""]
    if name.startswith("prf:"):
        kind = name[4:]
        if kind == "proof":
            text = "\n".join(body).rstrip()
            return ["", f"*{word('Proof.', ctx.book.language)}* " + text.lstrip() + " ∎", ""]
        if kind not in PROOF_KINDS:
            raise UnsupportedMyST(f"directive {{{name}}} in {ctx.docname}")
        number = target.number if target and target.kind == kind else ""
        title = f"{word(PROOF_KINDS[kind], ctx.book.language)} {number}".strip()
        if d.argument:
            title += f" ({_inline(d.argument, ctx)})"
        return ["", f"**{title}.**", "", *body, ""]
    if name in ADMONITIONS or name == "admonition":
        label = _inline(d.argument, ctx) if name == "admonition" else word(ADMONITIONS[name], ctx.book.language)
        if name != "admonition" and d.argument:            # a title argument of a note etc.
            body = [_inline(d.argument, ctx), *body]
        first, rest = _first_paragraph(body)
        return ["", f"**{label}.** " + first, *rest, ""]
    if name in ("solution", "dropdown"):
        title = word("Solution", ctx.book.language) if name == "solution" else (
            _inline(d.argument, ctx) or word("Details", ctx.book.language))
        if name == "solution":
            title = solution_heading(ctx.book, d.argument)
        return ["", f"<details><summary>{html.escape(_strip_md(title))}</summary>", "", *body, "", "</details>", ""]
    if name in ("math",):
        number = f" \\tag{{{target.number}}}" if target and target.kind == "equation" else ""
        return ["", "$$", *d.body, number.strip(), "$$", ""] if number else ["", "$$", *d.body, "$$", ""]
    if name in ("code-block", "code", "sourcecode"):
        return ["```" + d.argument, *d.body, "```"]
    if name in ("figure", "image"):
        caption = "\n".join(body).strip()
        alt = d.options.get("alt") or _strip_md(caption) or word("figure", ctx.book.language)
        lines = ["", f"![{alt}]({d.argument})", ""]
        if name == "figure" and caption:
            number = target.number if target and target.kind == "figure" else ""
            fig = word("Fig.", ctx.book.language)
            lines += [f"*{(fig + ' ' + number + ' ') if number else ''}{caption}*", ""]
        return lines
    if name in ("glue:md", "glue:any", "glue", "glue:"):
        return ["", _glue_markdown(d.argument, ctx), ""]
    if name == "glue:math":
        return ["", "$$", _glue_bundle(d.argument, ctx).get("text/latex", "").strip().strip("$"), "$$", ""]
    if name == "bibliography":
        book = ctx.book
        return ["", *[f"* **[{book.citations[k]}]** {book.bibliography[k]}"
                      for k in sorted(book.citations, key=lambda k: list(book.citations).index(k))], ""]
    if name in ("epigraph", "pull-quote", "highlights"):
        return ["", *("> " + line if line.strip() else ">" for line in body), ""]
    if name in ("solution-start", "solution-end"):
        raise UnsupportedMyST(f"{{{name}}} in {ctx.docname} must be handled by the notebook generator "
                              "(it spans cells)")
    raise UnsupportedMyST(f"directive {{{name}}} in {ctx.docname}: teach nnbook.publish.plain_markdown")


def _first_paragraph(body: list[str]) -> tuple[str, list[str]]:
    lines = list(body)
    while lines and not lines[0].strip():
        lines.pop(0)
    if not lines:
        return "", []
    return lines[0], lines[1:]


def _strip_md(text: str) -> str:
    return re.sub(r"[*_`]", "", text).strip()


def solution_heading(book: BookIndex, label: str) -> str:
    """"Solution to Exercise 11.1 (title)", as the book titles the solution of ``label``."""
    target = book.targets.get(label.strip())
    if target is None or target.kind != "exercise":
        raise UnsupportedMyST(f"a solution refers to {label!r}, which is no exercise label of the book")
    text = f"{word('Solution to', book.language)} {target.text}".strip()
    return text + (f" ({target.title})" if target.title else "")


# ----------------------------------------------------------------------------------- roles


def _roles(line: str, ctx: _Context) -> str:
    """Replace every role in one line; code spans are left alone."""
    out = []
    i = 0
    while i < len(line):
        m = _ROLE.search(line, i)
        tick = line.find("`", i)
        if tick == -1 and not m:
            out.append(line[i:])
            break
        if m and (tick == -1 or m.start() <= tick):
            ticks = m.group("ticks")
            end = line.find(ticks, m.end())
            if end == -1:
                raise UnsupportedMyST(f"an unclosed role {{{m.group('name')}}} in {ctx.docname}: {line!r}")
            out.append(line[i:m.start()])
            out.append(_role(m.group("name"), line[m.end():end], ctx))
            i = end + len(ticks)
            continue
        # an ordinary code span: copy it verbatim
        run = re.match(r"`+", line[tick:]).group(0)
        end = line.find(run, tick + len(run))
        if end == -1:
            out.append(line[i:])
            break
        out.append(line[i:end + len(run)])
        i = end + len(run)
    return "".join(out)


def _explicit(content: str) -> tuple[str | None, str]:
    """``text <target>`` -> (text, target); ``target`` -> (None, target)."""
    m = re.match(r"^(.*?)\s*<([^<>]+)>$", content.strip(), re.S)
    if m and m.group(1):
        return m.group(1).strip(), m.group(2).strip()
    return None, content.strip()


def _link(text: str, url: str) -> str:
    text = text.replace("[", "\\[").replace("]", "\\]")
    return f"[{text}]({url})"


def _resolve_doc(ctx: _Context, target: str) -> str:
    target = target.removesuffix(".md").removesuffix(".ipynb")
    if target.startswith("/"):
        docname = target.lstrip("/")
    else:
        folder = ctx.docname.rpartition("/")[0]
        parts = (folder.split("/") if folder else []) + target.split("/")
        stack: list[str] = []
        for p in parts:
            if p == "..":
                if stack:
                    stack.pop()
            elif p and p != ".":
                stack.append(p)
        docname = "/".join(stack)
    if docname not in ctx.book.titles:
        raise UnsupportedMyST(f"{{doc}}`{target}` in {ctx.docname}: no such page in _toc.yml")
    return docname


def _role(name: str, content: str, ctx: _Context) -> str:
    book = ctx.book
    if name == "doc":
        text, target = _explicit(content)
        docname = _resolve_doc(ctx, target)
        return _link(text or book.titles[docname], book.url(docname))
    if name in ("ref", "numref", "eq"):
        text, label = _explicit(content)
        target = book.targets.get(label)
        if target is None:
            raise UnsupportedMyST(f"{{{name}}}`{content}` in {ctx.docname}: no label {label!r} in the book")
        if name == "eq":
            shown = f"({target.number})"
        elif text and name == "numref":
            shown = text.replace("%s", target.number).replace("{number}", target.number)
        else:
            shown = text or target.text
        return _link(shown, book.url(target.docname, target.anchor))
    if name in ("cite", "cite:p", "cite:t", "cite:ps", "cite:ts", "cite:label"):
        keys = [k.strip() for k in content.split(",") if k.strip()]
        missing = [k for k in keys if k not in book.citations]
        if missing:
            raise UnsupportedMyST(f"{{cite}} of unknown keys {missing} in {ctx.docname}")
        url = book.url(book.references_doc, "bibliography") if book.references_doc else ""
        labels = ", ".join(book.citations[k] for k in keys)
        return _link(f"[{labels}]", url) if url else f"[{labels}]"
    if name in ("glue:text",):
        from myst_nb.core.variables import format_plain_text

        key, _, fmt = content.rpartition(":") if ":" in content else (content, "", "s")
        if not key:
            key, fmt = content, "s"
        bundle = _glue_bundle(key, ctx)
        if "text/plain" not in bundle:
            raise UnsupportedMyST(f"{{glue:text}}`{content}` in {ctx.docname}: no text/plain value")
        return format_plain_text(bundle["text/plain"], fmt)
    if name in ("glue:md", "glue", "glue:", "glue:any"):
        return _glue_markdown(content, ctx)
    if name == "term":
        text, _ = _explicit(content)
        return text or _explicit(content)[1]
    if name == "math":
        return f"${content}$"
    if name in ("sub", "subscript"):
        return f"<sub>{content}</sub>"
    if name in ("sup", "superscript"):
        return f"<sup>{content}</sup>"
    if name == "abbr":
        m = re.match(r"^(.*?)\s*\((.*)\)$", content)
        return m.group(1) if m else content
    if name in ("kbd", "guilabel", "menuselection", "file", "samp", "command", "program"):
        return f"`{content}`"
    raise UnsupportedMyST(f"role {{{name}}} in {ctx.docname}: teach nnbook.publish.plain_markdown")


def _glue_bundle(key: str, ctx: _Context) -> Mapping[str, str]:
    if "::" in key:
        raise UnsupportedMyST(f"a glue reference to another page ({key!r}) in {ctx.docname}")
    return ctx.glue(key.strip())


def _glue_markdown(content: str, ctx: _Context) -> str:
    key, _, fmt = content.strip().rpartition(":")
    if not key or fmt not in ("myst", "commonmark", "gfm"):
        key = content.strip()
    bundle = _glue_bundle(key, ctx)
    if "text/markdown" in bundle:
        return _inline(str(bundle["text/markdown"]), ctx)
    if "text/plain" in bundle:
        from myst_nb.core.variables import format_plain_text

        return format_plain_text(bundle["text/plain"], "")
    raise UnsupportedMyST(f"glue {key!r} in {ctx.docname} has neither text/markdown nor text/plain")


# --------------------------------------------------------------------------- what is left


RAW_PATTERNS = {
    "directive fences": re.compile(r"^\s*(?:`{3,}|~{3,}|:{3,})\s*\{[^}]*\}", re.M),
    "directive options": re.compile(r"^\s*:[A-Za-z][A-Za-z0-9_-]*:(?:\s|$)", re.M),
    "roles": re.compile(r"\{[A-Za-z][A-Za-z0-9_:+-]*\}`"),
    "targets": re.compile(r"^\([^()\s]+\)=\s*$", re.M),
    "glue references": re.compile(r"\{glue|glue:(?:text|md|any|figure|math)\b"),
}


def raw_myst(markdown: str) -> dict[str, int]:
    """How many MyST constructs of each kind are in ``markdown`` (outside code fences)."""
    lines = []
    for block in _blocks(markdown.split("\n")):
        if isinstance(block, _CodeFence):
            continue
        if isinstance(block, _Directive):
            lines.extend(_unparse(block))
        else:
            lines.extend(re.sub(r"(`+)(?!\{).*?\1", "", line) if "`" in line and not _ROLE.search(line) else line
                         for line in block)
    text = "\n".join(lines)
    return {kind: len(p.findall(text)) for kind, p in RAW_PATTERNS.items()}


def cited_keys(markdown: str) -> list[str]:
    """The bibtex keys cited in MyST Markdown, in order of first citation."""
    keys: list[str] = []
    for m in re.finditer(r"\{cite(?::[a-z]+)?\}`([^`]*)`", markdown):
        for k in m.group(1).split(","):
            k = k.strip()
            if k and k not in keys:
                keys.append(k)
    return keys


def reference_list(book: BookIndex, keys: list[str]) -> str:
    """A Markdown list of the cited works (label and entry), to end a notebook with."""
    if not keys:
        return ""
    url = book.url(book.references_doc, "bibliography") if book.references_doc else ""
    if book.language == "zh_CN":
        head = "## 参考文献\n\n" + ("本章引用的文献，与本书的" + _link("参考文献", url) + "一致：" if url
                                   else "本章引用的文献：")
    else:
        head = "## References" + "\n\n" + ("The works cited in this chapter, as listed in the book's "
                                            + _link("bibliography", url) + ":" if url else
                                            "The works cited in this chapter:")
    items = [f"* **[{book.citations[k]}]** {book.bibliography[k]}" for k in
             sorted(keys, key=lambda k: list(book.citations).index(k))]
    return head + "\n\n" + "\n".join(items)
