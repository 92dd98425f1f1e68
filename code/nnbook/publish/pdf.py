"""The book as PDF: every page of the built HTML book printed by Chromium (``make pdf``).

``python -m nnbook.publish.pdf`` opens every page of ``_toc.yml`` from the built site
(``_build/html``) in the project's own headless Chromium (Playwright, Debian's
``/usr/bin/chromium``), offline (every host but the site blocked), waits until MathJax, the
widgets and the quizzes have finished, and prints it:

* ``_build/pdf/<page>.pdf`` — one PDF per page of the book (a chapter, the introduction, an
  appendix), with the chapter's bookmarks (its headings) and "<label>-<n>" page numbers
  (``8-3``: chapter 8, its third page; the introduction is ``0``, appendices ``A``, ``B``, …);
* ``_build/pdf/book.pdf`` — the whole book: a title page, a table of contents with the page
  numbers, then every page in reading order; bookmarks for every chapter and its sections,
  and PDF page labels equal to the printed page numbers;
* a copy of all of them in ``<site>/_pdf/``, where every page's download button links its
  chapter's PDF (``_ext/nnbook_sphinx.py``).

What the print shows (``book/_static/nnbook.css``, ``@media print``, also for a reader who
prints a page from the browser): the article only (no navigation), the solutions unfolded
under their exercises, the quizzes as questions with their options (no answer marked, no
colours), the slider figures at their initial value, typeset mathematics.

Editions: the book at the site's root (``_toc.yml``), then every other edition the site has
in a language folder (``_build/html/zh/``, with ``zh/_toc.yml`` when that exists, else the same
``_toc.yml``) into ``_build/pdf/zh/`` and ``_build/html/zh/_pdf/``; ``--edition zh`` prints one.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import functools
import html
import http.server
import os
import re
import shutil
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Chapter", "chapters_of", "print_book", "main"]

CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync"]
#: How long one page may take to finish its scripts before it is printed anyway (ms).
READY_TIMEOUT_MS = 30_000
PAGE_FORMAT = "A4"
#: The web page's type is large for paper: printed at 80 % (a quarter fewer pages).
SCALE = 0.8
MARGIN = {"top": "16mm", "bottom": "18mm", "left": "15mm", "right": "15mm"}


@dataclass
class Chapter:
    """A page of the book in reading order, and what printing it gave."""

    docname: str           # "book/ch08_gradient_descent"
    label: str = ""        # the page-number prefix: "8", "0" (introduction), "A" (appendix)
    title: str = ""        # "8. Gradient descent"
    pdf: Path | None = None
    pages: int = 0

    @property
    def stem(self) -> str:
        return self.docname.split("/")[-1]


# ------------------------------------------------------------------ the book's pages


def toc_docnames(toc: Path) -> list[str]:
    """Every document of a Jupyter Book _toc.yml, in reading order."""
    import yaml

    data = yaml.safe_load(toc.read_text(encoding="utf-8"))
    names: list[str] = []

    def strip(path: str) -> str:
        return re.sub(r"\.(md|ipynb|rst)$", "", str(path).strip("/"))

    def walk(node):
        if isinstance(node, dict):
            if "file" in node:
                names.append(strip(node["file"]))
            for key in ("parts", "chapters", "sections"):
                for child in node.get(key) or []:
                    walk(child)
        elif isinstance(node, list):
            for child in node:
                walk(child)

    names.append(strip(data["root"]))
    walk({k: v for k, v in data.items() if k != "root"})
    return names


_H1 = re.compile(r"<h1[^>]*>(.*?)</h1>", re.S)


def chapters_of(site: Path, toc: Path) -> list[Chapter]:
    """The pages of the toc with their titles and page-number labels, read from the built HTML."""
    out, letters = [], iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for k, doc in enumerate(toc_docnames(toc)):
        path = site / f"{doc}.html"
        if not path.is_file():
            raise SystemExit(f"{path} is missing: build the book first (make book)")
        text = path.read_text(encoding="utf-8")
        heads = [h for h in _H1.findall(text)]
        h1 = next((h for h in heads if "headerlink" in h), heads[0] if heads else doc)
        number = re.search(r'<span class="section-number">\s*([\d.]+?)\.?\s*</span>', h1)
        title = html.unescape(re.sub(r"<[^>]+>", "", re.sub(r'<a class="headerlink".*?</a>', "", h1))).strip()
        label = number.group(1) if number else ("0" if k == 0 else next(letters))
        out.append(Chapter(doc, label, " ".join(title.split())))
    return out


# ------------------------------------------------------------------ the site, offline


class _Quiet(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):
        pass


class _Server(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request, client_address):
        pass


@contextlib.contextmanager
def serve(root: Path):
    server = _Server(("127.0.0.1", 0), functools.partial(_Quiet, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


# Waits for what the page's scripts do after the load event (as tests/browser does), then
# unfolds every solution and marks the page for print.
_SETTLE_AND_UNFOLD = r"""async (timeout) => {
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const until = async test => { const end = performance.now() + timeout;
    while (!test() && performance.now() < end) await sleep(25); };
  const hasMath = !!document.querySelector('.math, script[src*="mathjax"]');
  if (hasMath) {
    await until(() => window.MathJax && window.MathJax.startup && window.MathJax.startup.promise);
    try { await window.MathJax.startup.promise; } catch (e) {}
  }
  await until(() => [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')]
    .every(s => { const p = s.previousElementSibling; return p && p.classList.contains('widget-subarea') && p.children.length; }));
  if (document.querySelector('[id^="nnbquiz-"]')) {
    await until(() => document.querySelector('.Quiz'));
    const parsed = performance.getEntriesByType('navigation')[0].domInteractive;
    await until(() => performance.now() > parsed + 700);
  }
  if (hasMath && window.MathJax && window.MathJax.typesetPromise) {
    try { await window.MathJax.typesetPromise(); } catch (e) {}
  }
  document.querySelectorAll('.toggle-hidden').forEach(el => el.classList.remove('toggle-hidden'));
  document.querySelectorAll('details').forEach(d => { d.open = true; });
  document.querySelectorAll('img[loading="lazy"]').forEach(i => { i.loading = 'eager'; });
  await Promise.all([...document.images].map(i => i.complete ? null : new Promise(r => { i.onload = i.onerror = r; })));
  await document.fonts.ready;
  return document.querySelectorAll('mjx-merror').length;
}"""


def _footer(book_title: str, chapter: Chapter) -> str:
    e = html.escape
    return (
        '<div style="font-size:8px;color:#333;width:100%;margin:0 15mm;display:flex;'
        'justify-content:space-between;font-family:sans-serif">'
        f"<span>{e(book_title)} · {e(chapter.title)}</span>"
        f'<span>{e(chapter.label)}-<span class="pageNumber"></span></span></div>')


async def _print_chapter(browser, base_url: str, chapter: Chapter, out: Path, book_title: str,
                         blocked: list) -> None:
    context = await browser.new_context(viewport={"width": 1000, "height": 1400}, service_workers="block")
    try:
        async def block(route):
            blocked.append(f"{chapter.docname}: {route.request.url}")
            await route.abort("blockedbyclient")

        await context.route(re.compile("^(?!" + re.escape(base_url) + ")"), block)
        page = await context.new_page()
        await page.goto(base_url + chapter.docname + ".html", wait_until="load", timeout=60_000)
        errors = await page.evaluate(_SETTLE_AND_UNFOLD, READY_TIMEOUT_MS)
        if errors:
            print(f"warning: {chapter.docname}: {errors} MathJax errors in the print", file=sys.stderr)
        await page.emulate_media(media="print")
        chapter.pdf = out / f"{chapter.stem}.pdf"
        await page.pdf(path=str(chapter.pdf), format=PAGE_FORMAT, margin=MARGIN, print_background=True,
                       scale=SCALE, display_header_footer=True, header_template="<span></span>",
                       footer_template=_footer(book_title, chapter), outline=True, tagged=True)
    finally:
        await context.close()


_FRONT = """<!DOCTYPE html><html lang="{lang}"><head><meta charset="utf-8"><title>{title}</title>
<style>
  body {{ font-family: "Helvetica Neue", Arial, sans-serif; color: #111; margin: 0; }}
  .title {{ height: 240mm; display: flex; flex-direction: column; justify-content: center; text-align: center;
           page-break-after: always; }}
  .title h1 {{ font-size: 30pt; margin: 0 0 10mm 0; }}
  .title p {{ font-size: 13pt; margin: 2mm 0; }}
  h2 {{ font-size: 18pt; margin: 0 0 8mm 0; }}
  ol {{ list-style: none; padding: 0; margin: 0; }}
  li {{ display: flex; font-size: 11.5pt; margin: 0 0 3.2mm 0; }}
  li .t {{ flex: 0 1 auto; }}
  li .dots {{ flex: 1 1 auto; border-bottom: 1px dotted #777; margin: 0 2mm 1.2mm 2mm; }}
  li .p {{ flex: 0 0 auto; }}
</style></head><body>
<section class="title"><h1>{title}</h1><p>{author}</p><p>{edition}</p></section>
<section><h2>{contents}</h2><ol>{entries}</ol></section>
</body></html>"""


async def _print_front(browser, path: Path, cfg: dict, chapters: list[Chapter], first_pages: list[str]) -> int:
    e = html.escape
    entries = "".join(f'<li><span class="t">{e(c.title)}</span><span class="dots"></span>'
                      f'<span class="p">{e(p)}</span></li>' for c, p in zip(chapters, first_pages))
    doc = _FRONT.format(lang=e(cfg.get("lang", "en")), title=e(cfg["title"]), author=e(cfg["author"]),
                        edition=e(cfg["edition"]), contents=e(cfg["contents"]), entries=entries)
    page = await browser.new_page()
    try:
        await page.set_content(doc, wait_until="load")
        await page.pdf(path=str(path), format=PAGE_FORMAT, margin=MARGIN, print_background=True)
    finally:
        await page.close()
    from pypdf import PdfReader

    return len(PdfReader(str(path)).pages)


def _assemble(book: Path, front: Path, front_pages: int, chapters: list[Chapter], title: str) -> None:
    """title and contents, then every chapter with its bookmarks; page labels as printed."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    writer.append(str(front), import_outline=False)
    writer.add_outline_item(title=title, page_number=0)
    start = front_pages
    for c in chapters:
        writer.append(str(c.pdf), outline_item=c.title, import_outline=True)
        writer.set_page_label(start, start + c.pages - 1, style="/D", prefix=f"{c.label}-", start=1)
        start += c.pages
    writer.set_page_label(0, front_pages - 1, style="/r")
    writer.add_metadata({"/Title": title})
    writer.page_mode = "/UseOutlines"
    with open(book, "wb") as fh:
        writer.write(fh)


async def _print_all(site: Path, out: Path, chapters: list[Chapter], cfg: dict, chromium: str, jobs: int) -> list:
    from playwright.async_api import async_playwright

    blocked: list = []
    with serve(site) as base_url:
        async with async_playwright() as pw:
            browser = await pw.chromium.launch(executable_path=chromium, headless=True, args=CHROMIUM_ARGS)
            try:
                queue = list(chapters)

                async def worker():
                    while queue:
                        c = queue.pop(0)
                        await _print_chapter(browser, base_url, c, out, cfg["title"], blocked)

                await asyncio.gather(*(worker() for _ in range(max(1, jobs))))
                from pypdf import PdfReader

                for c in chapters:
                    c.pages = len(PdfReader(str(c.pdf)).pages)
                # The contents' page numbers: the front matter is printed once to learn its
                # length (title page + contents), which the numbers do not depend on.
                first = [f"{c.label}-1" for c in chapters]
                front = out / "_front.pdf"
                front_pages = await _print_front(browser, front, cfg, chapters, first)
            finally:
                await browser.close()
    _assemble(out / "book.pdf", front, front_pages, chapters, cfg["title"])
    front.unlink()
    return blocked


def print_book(site: Path, toc: Path, out: Path, *, config: Path | None = None, chromium: str = "/usr/bin/chromium",
               jobs: int = 2, copy_to_site: bool = True) -> list[Chapter]:
    """Print every page of the built ``site`` (pages from ``toc``) into ``out``; see the module doc."""
    import yaml

    site, out = Path(site), Path(out)
    conf = yaml.safe_load((config or toc.with_name("_config.yml")).read_text(encoding="utf-8")) or {}
    lang = ((conf.get("sphinx") or {}).get("config") or {}).get("language", "en")
    cfg = {"title": conf.get("title", "Book"), "author": conf.get("author", ""), "lang": lang,
           "edition": f"PDF edition, printed from the HTML book ({time.strftime('%Y-%m-%d')})",
           "contents": "Contents"}
    chapters = chapters_of(site, toc)
    if out.exists():
        for old in out.glob("*.pdf"):
            old.unlink()
    out.mkdir(parents=True, exist_ok=True)
    blocked = asyncio.run(_print_all(site, out, chapters, cfg, chromium, jobs))
    if blocked:
        raise SystemExit("pages asked for other hosts than the site while printing (blocked):\n  "
                         + "\n  ".join(blocked))
    if copy_to_site:
        dest = site / "_pdf"
        dest.mkdir(exist_ok=True)
        for pdf in out.glob("*.pdf"):
            shutil.copyfile(pdf, dest / pdf.name)
    return chapters


_EDITION = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]+)?$")


def editions(site: Path, toc: Path) -> list[tuple[str, Path, Path]]:
    """(name, built site, toc) of every edition: "en" at the site's root, then each language
    folder of the site with an index.html (its toc: ``<name>/_toc.yml`` beside ``toc``, or ``toc``)."""
    found = [("en", site, toc)]
    for d in sorted(p for p in site.iterdir() if p.is_dir() and _EDITION.match(p.name)):
        if (d / "index.html").is_file():
            own = toc.parent / d.name / "_toc.yml"
            found.append((d.name, d, own if own.is_file() else toc))
    return found


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(prog="python -m nnbook.publish.pdf", description=__doc__.split("\n\n")[0])
    parser.add_argument("--site", type=Path, default=Path("_build/html"), help="the built HTML book")
    parser.add_argument("--toc", type=Path, default=Path("_toc.yml"), help="its table of contents")
    parser.add_argument("--out", type=Path, default=Path("_build/pdf"))
    parser.add_argument("--edition", default=None, help="print only this edition (en, zh, ...); default: all")
    parser.add_argument("--chromium", default=os.environ.get("CHROMIUM") or "/usr/bin/chromium")
    parser.add_argument("--jobs", type=int, default=2, help="pages printed at the same time")
    parser.add_argument("--no-copy", action="store_true", help="do not copy the PDFs into <site>/_pdf/")
    args = parser.parse_args(argv)
    for name, site, toc in editions(args.site, args.toc):
        if args.edition and name != args.edition:
            continue
        t0 = time.perf_counter()
        out = args.out if name == "en" else args.out / name
        chapters = print_book(site, toc, out, chromium=args.chromium, jobs=args.jobs,
                              copy_to_site=not args.no_copy)
        total = sum(c.pages for c in chapters)
        print(f"{name}: {len(chapters)} page PDFs ({total} pages) and book.pdf in {out} "
              f"({time.perf_counter() - t0:.0f} s)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
