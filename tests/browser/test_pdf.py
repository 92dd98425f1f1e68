"""The PDFs of ``make pdf`` (nnbook.publish.pdf), read back with pypdf.

``make browser`` prints the book (``make pdf``) before these tests; they read the copies in
``<site>/_pdf/`` (the ones the download buttons link) of every edition: one PDF per page of
the book and ``book.pdf``. They check what a reader of the print needs: the chapter's title,
typeset mathematics (no TeX source left in the text), the solutions unfolded, the quizzes'
questions, and for the book a title page, contents, bookmarks and page numbers in order.
"""

from __future__ import annotations

import base64
import functools
import html
import json
import re
import unicodedata
from pathlib import Path

import pypdf
import pytest
from browser_support import catalogue, editions


def _chapters():
    from nnbook.publish.pdf import chapters_of

    catalogue()                          # a missing site fails here, with what to run
    out = []
    for e in editions():
        out += [(e, c) for c in chapters_of(e.root, e.toc)]
    return out


def _pdf_dir(edition) -> Path:
    path = edition.root / "_pdf"
    if not (path / "book.pdf").is_file():
        pytest.fail(f"no PDFs in {path}: run `make pdf` (after the book is built)", pytrace=False)
    return path


@functools.lru_cache(maxsize=None)
def _text(path: Path) -> tuple[str, ...]:
    return tuple(page.extract_text() or "" for page in pypdf.PdfReader(str(path)).pages)


def _squash(text: str) -> str:
    """Letters and digits only, lower case: PDF text extraction loses spaces and hyphens,
    and gives ligatures as one character ("ﬁ": NFKC makes it "fi")."""
    return re.sub(r"[^0-9a-z\u4e00-\u9fff]+", "", unicodedata.normalize("NFKC", html.unescape(text)).lower())


def _plain_run(fragment_html: str, words: int = 5) -> str | None:
    """The longest stretch of plain words (no math, no code) of an HTML fragment, squashed."""
    text = re.sub(r"<(script|style|mjx-container)[^>]*>.*?</\1>", " ", fragment_html, flags=re.S)
    text = re.sub(r'<span class="math[^"]*">.*?</span>', " | ", text, flags=re.S)
    text = re.sub(r"<(code|pre)[^>]*>.*?</\1>", " | ", text, flags=re.S)
    text = re.sub(r"<[^>]+>", " ", text)
    text = re.sub(r"\$[^$]*\$|\\\(.*?\\\)|\\\[.*?\\\]", " | ", html.unescape(text), flags=re.S)
    runs, run = [], []
    for token in text.split():                # a run ends at any token that is not a plain word
        if re.fullmatch(r"[A-Za-z][A-Za-z'’-]*[,.]?", token):
            run.append(token)
        else:
            runs.append(run)
            run = []
    runs.append(run)
    best = max(runs, key=len, default=[])
    return _squash(" ".join(best[:12])) if len(best) >= words else None


def _code_of(page_html: str) -> str:
    """The text of the page's code blocks (code cells, listings), as the PDF prints it."""
    blocks = re.findall(r"<pre[^>]*>(.*?)</pre>", page_html, flags=re.S)
    return "\n".join(html.unescape(re.sub(r"<[^>]+>", "", b)) for b in blocks)


CHAPTERS = _chapters()
IDS = [c.stem if e.name == "en" else f"{e.name}-{c.stem}" for e, c in CHAPTERS]


@pytest.mark.parametrize(("edition", "chapter"), CHAPTERS, ids=IDS)
def test_chapter_pdf_has_its_title_and_typeset_math(edition, chapter):
    path = _pdf_dir(edition) / f"{chapter.stem}.pdf"
    assert path.is_file(), f"{path} is missing: run `make pdf`"
    pages = _text(path)
    assert len(pages) >= 1
    title = re.sub(r"^[\d.]+\s*", "", chapter.title)
    assert _squash(title) in _squash(pages[0]), f"{path.name}: the title {title!r} is not on its first page"
    # TeX source left in the text (display delimiters, \frac, inline delimiters), outside the
    # page's code, which the print shows as it is (a code cell may build TeX strings)
    code = _code_of((edition.root / f"{chapter.docname}.html").read_text(encoding="utf-8"))
    leftovers = []
    for k, t in enumerate(pages):
        for line in t.splitlines():
            if re.search(r"\$\$|\\frac\b|\\\(|\\\)|\\\[|\\\]|\\begin\{", line) and line.strip()[:25] not in code:
                leftovers.append((k + 1, line.strip()[:80]))
    assert not leftovers, f"{path.name}: raw TeX in the printed text (page, line): {leftovers[:10]}"


@pytest.mark.parametrize(("edition", "chapter"), CHAPTERS, ids=IDS)
def test_chapter_pdf_shows_its_solutions_and_quiz_questions(edition, chapter):
    source = (edition.root / f"{chapter.docname}.html").read_text(encoding="utf-8")
    text = _squash("".join(_text(_pdf_dir(edition) / f"{chapter.stem}.pdf")))
    missing = []
    # every solution's body (folded on the web page) is printed
    for sol in re.findall(r'<div class="solution[^"]*"[^>]*>(.*?)\n</div>\n(?=<|$)', source, flags=re.S):
        body = sol.split("</p>", 1)[1] if "admonition-title" in sol.split("</p>", 1)[0] else sol
        run = _plain_run(body)
        if run and run not in text:
            missing.append(f"solution text {run[:60]!r}")
    # every quiz question is printed (its text, from the encoded questions of the page)
    for data in re.findall(r'<span id="nnbquiz-[^"]+"[^>]*>([^<]+)</span>', source):
        for q in json.loads(base64.b64decode(html.unescape(data))):
            run = _plain_run(q["question"], words=3)
            if run and run not in text:
                missing.append(f"quiz question {q['question'][:60]!r}")
    assert not missing, f"{chapter.stem}.pdf lacks {len(missing)} parts of the page:\n  - " + "\n  - ".join(missing)


@pytest.mark.parametrize("edition", editions(), ids=lambda e: e.name)
def test_book_pdf_has_a_title_page_contents_bookmarks_and_every_chapter_in_order(edition):
    from nnbook.publish.pdf import chapters_of

    folder = _pdf_dir(edition)
    chapters = chapters_of(edition.root, edition.toc)
    reader = pypdf.PdfReader(str(folder / "book.pdf"))
    counts = [len(pypdf.PdfReader(str(folder / f"{c.stem}.pdf")).pages) for c in chapters]
    front = len(reader.pages) - sum(counts)
    assert front in (2, 3, 4), f"book.pdf: {front} pages before the chapters (title page and contents)"
    # the text of the front matter and of every chapter's first page (not the whole book: slow)
    starts = [front + sum(counts[:k]) for k in range(len(chapters))]
    pages = {k: reader.pages[k].extract_text() or "" for k in [*range(front), *starts]}
    import yaml

    title = yaml.safe_load((edition.book / "_config.yml").read_text(encoding="utf-8"))["title"]
    assert _squash(title) in _squash(pages[0]), "the title page does not show the book's title"
    contents = _squash("".join(pages[k] for k in range(1, front)))
    positions = [contents.find(_squash(c.title)) for c in chapters]
    assert all(p >= 0 for p in positions), [c.title for c, p in zip(chapters, positions) if p < 0]
    assert positions == sorted(positions), "the contents list the chapters out of order"
    # every chapter's first page, at the page the contents name, with its title and label
    start = front
    for c, n in zip(chapters, counts):
        assert _squash(re.sub(r"^[\d.]+\s*", "", c.title)) in _squash(pages[start]), (
            f"book.pdf page {start + 1} should open {c.title!r}")
        assert reader.page_labels[start] == f"{c.label}-1", (reader.page_labels[start], c.label)
        assert f"{c.label}-1" in "".join(pages[k] for k in range(1, front))
        start += n
    # bookmarks: one per chapter, in reading order, each with the chapter's sections inside
    top = [item for item in reader.outline if not isinstance(item, list)]
    assert [t.title for t in top][-len(chapters):] == [c.title for c in chapters]


@pytest.mark.parametrize("edition", editions(), ids=lambda e: e.name)
def test_download_button_of_every_page_offers_its_chapter_pdf(edition):
    from nnbook.publish.pdf import chapters_of

    folder = _pdf_dir(edition)
    problems = []
    for c in chapters_of(edition.root, edition.toc):
        page = (edition.root / f"{c.docname}.html").read_text(encoding="utf-8")
        depth = c.docname.count("/")
        want = {("../" * depth) + f"_pdf/{c.stem}.pdf", ("../" * depth) + "_pdf/book.pdf"}
        hrefs = set(re.findall(r'href="([^"]*_pdf/[^"]+\.pdf)"', page))
        if not want <= hrefs:
            problems.append(f"{c.docname}: download links {sorted(hrefs)}, expected {sorted(want)}")
        if not (folder / f"{c.stem}.pdf").is_file():
            problems.append(f"{c.docname}: {folder}/{c.stem}.pdf is missing")
    assert not problems, "\n".join(problems)
