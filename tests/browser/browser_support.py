"""Helpers of the browser tests (conftest.py has the fixtures, test_browser_pages.py the checks).

* the site: ``$NNBOOK_SITE`` or ``_build/html`` of this repository, and what each page of
  ``_toc.yml`` holds according to its HTML (math, images, widgets, explorers, quizzes, ...);
* the browser: Debian's Chromium (``$CHROMIUM`` or ``/usr/bin/chromium``), never one that
  Playwright downloads, with the flags that keep it off the network;
* the editions: the English book at the site's root and every other edition in a folder of
  its own (``_build/html/zh/`` for the Chinese one), each with its pages in reading order;
* offline: every request to a host other than the loopback server that serves the site is
  blocked (aborted, never answered) and recorded, so a page that needs the internet fails
  with the URL named. The site serves MathJax, require.js and the widget manager itself
  (``book/_static/npm``). ``LocalCdn`` (answering CDN URLs from the npm packages in
  ``tests/browser/node_modules``) is only for a page opened with ``offline=False``;
* opening a page: a fresh browser context, JavaScript errors recorded from the start, and a
  wait until MathJax, the widget manager and the quizzes have finished;
* axe-core (``tests/browser/node_modules/axe-core``, pinned in ``package-lock.json``),
  injected into a loaded page to check it against WCAG 2.1 A and AA.

Nothing here skips: a missing site, browser or ``node_modules`` is a collection error whose
message says what to run.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import html
import json
import mimetypes
import os
import re
import warnings
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml

HERE = Path(__file__).resolve().parent
REPO = HERE.parents[1]
NODE_MODULES = HERE / "node_modules"
SCREENSHOTS = REPO / "_build" / "screenshots"
AXE_JS = NODE_MODULES / "axe-core" / "axe.min.js"

# The flags that keep headless Chromium off the closed network of these machines (it
# otherwise retries its background services for ever). Playwright adds --headless and a
# fresh temporary --user-data-dir for every launch.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
VIEWPORT = {"width": 1280, "height": 900}

# How long a page may take to finish its scripts (MathJax, the widget manager, quizzes).
READY_TIMEOUT_MS = 20_000

# ---------------------------------------------------------------- where things are


def site_root() -> Path:
    """The built HTML book under test: $NNBOOK_SITE, else _build/html of this repository."""
    return Path(os.environ.get("NNBOOK_SITE") or REPO / "_build" / "html").resolve()


def chromium_path() -> str:
    return os.environ.get("CHROMIUM") or "/usr/bin/chromium"


INSTALL_CHROMIUM = (
    "install Debian's Chromium with `apt-get install -y chromium` (or set $CHROMIUM to a "
    "Chromium binary); Playwright's own browser download does not work here"
)


def setup_problems() -> list[str]:
    """What is missing for the browser tests to run, each with what to do about it."""
    problems = []
    root = site_root()
    if not (root / "index.html").is_file():
        problems.append(
            f"the built book is missing: no {root}/index.html. Build it first: `make strict` "
            "(or `make book`), or point $NNBOOK_SITE at a built _build/html")
    chromium = chromium_path()
    if not (os.path.isfile(chromium) and os.access(chromium, os.X_OK)):
        problems.append(f"no Chromium at {chromium}: {INSTALL_CHROMIUM}")
    if not (NODE_MODULES / ".package-lock.json").is_file() or not AXE_JS.is_file():
        problems.append(
            f"the npm packages of the browser suite (axe-core, the releases of the vendored "
            f"files) are missing ({NODE_MODULES}): run `make browser-deps` (npm ci in tests/browser)")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        problems.append("the Python package playwright is missing: "
                        "`.venv/bin/pip install -r requirements-dev.txt -c constraints.txt` (or `make setup`)")
    return problems


# ---------------------------------------------------------------- the book's configuration


def _merge(base: dict, over: dict) -> dict:
    out = dict(base)
    for k, v in (over or {}).items():
        out[k] = _merge(out[k], v) if isinstance(v, dict) and isinstance(out.get(k), dict) else v
    return out


@functools.lru_cache(maxsize=None)
def book_config(edition: str = "en") -> dict:
    """_config.yml over Jupyter Book's own defaults (what the build really used).

    An edition with a book folder of its own (``<repo>/<edition>/_config.yml``) reads that.
    """
    import jupyter_book

    defaults = yaml.safe_load((Path(jupyter_book.__file__).parent / "default_config.yml").read_text())
    user = yaml.safe_load((edition_by_name(edition).book / "_config.yml").read_text(encoding="utf-8"))
    return _merge(defaults, user)


# ---------------------------------------------------------------- editions


@dataclass(frozen=True)
class Edition:
    """One edition of the book in the built site.

    ``en`` is the site's root, built from the repository's own _config.yml/_toc.yml. Any
    other edition lives in a folder of the site named after its language (``zh/``) and comes
    from the book folder ``<repo>/<name>/`` when that has a ``_toc.yml`` of its own, else
    from the repository's (the same pages, translated in place).
    """

    name: str
    root: Path       # its built HTML
    book: Path       # the folder of its _config.yml and _toc.yml (its sources are below it)
    prefix: str      # its URL path below the site's root: "" or "zh/"

    @property
    def toc(self) -> Path:
        return self.book / "_toc.yml"


_EDITION_DIR = re.compile(r"^[a-z]{2,3}(?:[-_][A-Za-z0-9]+)?$")


@functools.lru_cache(maxsize=None)
def editions() -> tuple[Edition, ...]:
    """The editions under test: $NNBOOK_EDITIONS ("en zh"), else en and every language folder
    of the site (``<site>/<code>/index.html``). A listed edition that was not built fails."""
    root = site_root()
    listed = os.environ.get("NNBOOK_EDITIONS", "").split()
    names = listed or ["en"] + sorted(
        d.name for d in root.iterdir() if d.is_dir() and _EDITION_DIR.match(d.name)
        and (d / "index.html").is_file()) if root.is_dir() else ["en"]
    out = []
    for name in names:
        if name == "en":
            out.append(Edition("en", root, REPO, ""))
        else:
            book = REPO / name if (REPO / name / "_toc.yml").is_file() else REPO
            out.append(Edition(name, root / name, book, f"{name}/"))
    return tuple(out)


def edition_by_name(name: str) -> Edition:
    found = [e for e in editions() if e.name == name]
    if found:
        return found[0]
    return Edition("en", site_root(), REPO, "") if name == "en" else Edition(
        name, site_root() / name, REPO / name if (REPO / name / "_toc.yml").is_file() else REPO, f"{name}/")


def toc_docnames(toc_path: Path | None = None) -> list[str]:
    """Every document of the book, in reading order.

    The English edition's pages come from the book's one chapter table (``nnbook.chapters``,
    which tests/project/test_chapters.py holds equal to ``_toc.yml``); another edition's own
    ``_toc.yml`` (``toc_path``) is read as it is.
    """
    if toc_path is None or Path(toc_path).resolve() == (REPO / "_toc.yml").resolve():
        from nnbook import chapters

        return chapters.docnames()
    from nnbook.publish.pdf import toc_docnames as edition_docnames

    return edition_docnames(Path(toc_path))


def _docname(path: str) -> str:
    return re.sub(r"\.(md|ipynb|rst)$", "", str(path).strip("/"))


# ---------------------------------------------------------------- what each page holds


@dataclass(frozen=True)
class PageInfo:
    """A page of the built book and what its HTML says it contains (read without a browser)."""

    docname: str
    html_path: Path
    source: Path | None
    edition: str = "en"            # the edition (see ``editions()``); its URL prefix below
    prefix: str = ""
    mathjax: bool = False          # the page loads MathJax (Sphinx adds it to pages with math)
    math_nodes: int = 0            # Sphinx math elements (class="math ...")
    widget_views: int = 0          # <script type="application/vnd.jupyter.widget-view+json">
    widget_state: bool = False     # the page embeds the widget state
    sliders: int = 0               # nnbook slider figures (precomputed explorers)
    quizzes: int = 0               # nnbook quizzes (the hidden span with the encoded questions)
    solutions: int = 0             # sphinx-exercise solution blocks
    images: int = 0                # <img> elements (figures, explorer frames, button logos)

    @property
    def id(self) -> str:
        name = self.docname.split("/")[-1]
        return name if self.edition == "en" else f"{self.edition}-{name}"

    @property
    def url_path(self) -> str:
        return self.prefix + self.docname + ".html"


def _count(pattern: str, text: str) -> int:
    return len(re.findall(pattern, text))


@functools.lru_cache(maxsize=None)
def catalogue() -> tuple[PageInfo, ...]:
    """The pages of _toc.yml as built. A page missing from the site is a collection error."""
    problems = setup_problems()
    if problems:
        pytest.fail("BROWSER TESTS CANNOT RUN:\n  - " + "\n  - ".join(problems), pytrace=False)
    pages, missing = [], []
    for edition, doc in [(e, d) for e in editions() for d in toc_docnames(e.toc)]:
        path = edition.root / f"{doc}.html"
        if not path.is_file():
            missing.append(f"{edition.prefix}{doc}.html")
            continue
        text = path.read_text(encoding="utf-8")
        src = next((edition.book / f"{doc}{ext}" for ext in (".md", ".ipynb", ".rst")
                    if (edition.book / f"{doc}{ext}").is_file()), None)
        pages.append(PageInfo(
            docname=doc,
            html_path=path,
            source=src,
            edition=edition.name,
            prefix=edition.prefix,
            mathjax=bool(re.search(r"<script[^>]+src=\"[^\"]*mathjax[^\"]*\"", text, re.I)),
            math_nodes=_count(r"class=\"math notranslate", text),
            widget_views=_count(r"type=\"application/vnd\.jupyter\.widget-view\+json\"", text),
            widget_state="application/vnd.jupyter.widget-state+json" in text,
            sliders=_count(r"<div class=\"nnb-slider\" id=", text),
            quizzes=_count(r"<span id=\"nnbquiz-", text),
            solutions=_count(r"<div class=\"solution\b[^\"]*\"", text),
            images=_count(r"<img\b", text),
        ))
    if missing:
        pytest.fail(f"{len(missing)} pages of _toc.yml are missing from the built site {site_root()}: "
                    + ", ".join(missing) + ". The site is stale or partial: build the book first "
                    "(`make strict`), or point $NNBOOK_SITE at a complete build.", pytrace=False)
    return tuple(pages)


# ---------------------------------------------------------------- the local CDN


@dataclass
class Served:
    """How a non-local URL is answered: a local file, or the reason it cannot be."""

    path: Path | None
    reason: str = ""


# URLs of CDN files whose exact bytes no npm package ships, mapped to the npm file with the
# same code. cdnjs' require.min.js is the RequireJS project's own minified release (built by
# their release script, not published to npm); npm's requirejs@2.3.4 has the unminified
# require.js of the same release. The page pins cdnjs' bytes with an SRI hash, so serving
# npm's file also needs that one integrity attribute dropped (see ``adjust_integrity``).
# The clean fix is in _config.yml (nb_ipywidgets_js pointing at npm's file on jsDelivr with
# its own hash); then this table is not used.
SAME_CODE_AS = {
    "https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.4/require.min.js":
        ("requirejs", "2.3.4", "require.js"),
}
# The (url, integrity) pairs for which that substitution is accepted: the hash myst-nb pins
# for cdnjs' file. Any other integrity mismatch is a failure.
ACCEPTED_INTEGRITY_SUBSTITUTES = {
    ("https://cdnjs.cloudflare.com/ajax/libs/require.js/2.3.4/require.min.js",
     "sha256-Ae2Vz/4ePdIu6ZyI/5ZGsYnb+m0JlOmKPjt6XZ9JJkA="),
}

_NPM_CDN = re.compile(
    r"^https://(?:cdn\.jsdelivr\.net/npm|unpkg\.com)/"
    r"(?P<pkg>(?:@[^/@]+/)?[^/@]+)@(?P<ver>[^/]+)/(?P<path>[^?#]*)")


class LocalCdn:
    """Answers CDN URLs from tests/browser/node_modules, by package name and version."""

    def __init__(self, node_modules: Path):
        self.node_modules = node_modules
        self._bytes: dict[Path, bytes] = {}

    def installed_version(self, pkg: str) -> str | None:
        meta = self.node_modules / pkg / "package.json"
        if not meta.is_file():
            return None
        return json.loads(meta.read_text(encoding="utf-8")).get("version")

    @staticmethod
    def version_matches(requested: str, installed: str) -> bool:
        """jsDelivr/unpkg resolve a partial version ("3", "3.2") to the newest match."""
        return installed == requested or installed.startswith(requested + ".")

    def resolve(self, url: str) -> Served:
        clean = url.split("#")[0]
        if clean in SAME_CODE_AS:
            pkg, ver, path = SAME_CODE_AS[clean]
            return self._file(pkg, ver, ver, path)
        m = _NPM_CDN.match(clean)
        if not m:
            return Served(None, "no local copy of this host")
        return self._file(m["pkg"], m["ver"], None, unquote(m["path"]))

    def _file(self, pkg: str, requested: str, exact: str | None, path: str) -> Served:
        installed = self.installed_version(pkg)
        if installed is None:
            return Served(None, f"npm package {pkg} is not in tests/browser/package.json (add it, "
                                "pinned at the version the page asks for)")
        if not (installed == exact if exact else self.version_matches(requested, installed)):
            return Served(None, f"the page asks for {pkg}@{requested}; the local copy in "
                                f"tests/browser/node_modules is {pkg}@{installed} (pin the version "
                                "the page asks for in tests/browser/package.json)")
        base = (self.node_modules / pkg).resolve()
        target = (base / path).resolve()
        if base not in target.parents or not target.is_file():
            return Served(None, f"{path} is not a file of npm package {pkg}@{installed}")
        return Served(target)

    def body(self, path: Path) -> bytes:
        if path not in self._bytes:
            self._bytes[path] = path.read_bytes()
        return self._bytes[path]

    def integrity_of(self, path: Path, algorithm: str) -> str:
        digest = hashlib.new(algorithm, self.body(path)).digest()
        return f"{algorithm}-{base64.b64encode(digest).decode('ascii')}"


# Substitutions made to run offline, printed at the end of the run (conftest.py).
NOTES: set = set()

_SCRIPT_TAG = re.compile(r"<script\b[^>]*>", re.I)
_ATTR = r'\s{name}="([^"]*)"'


def adjust_integrity(page_html: str, cdn: LocalCdn) -> tuple[str, list[str], list[str]]:
    """Check every SRI-pinned external script of a page against its local copy.

    Returns the HTML to serve, notes (accepted substitutions, whose integrity attribute was
    dropped), and problems (a pinned hash the local copy does not have: the browser will
    refuse that script, as it would refuse a changed CDN file).
    """
    notes, problems = [], []

    def fix(match: re.Match) -> str:
        tag = match.group(0)
        src = re.search(_ATTR.format(name="src"), tag)
        sri = re.search(_ATTR.format(name="integrity"), tag)
        if not (src and sri):
            return tag
        url, pinned = html.unescape(src.group(1)), html.unescape(sri.group(1))
        served = cdn.resolve(url)
        if served.path is None:
            return tag                      # reported as an unrouted request when requested
        algorithm = pinned.split("-", 1)[0]
        have = cdn.integrity_of(served.path, algorithm)
        if have == pinned:
            return tag
        if (url, pinned) in ACCEPTED_INTEGRITY_SUBSTITUTES:
            notes.append(f"{url} is served from npm's {served.path.relative_to(cdn.node_modules)} "
                         f"(same release, unminified); its integrity pin {pinned} was dropped for the test")
            return tag.replace(sri.group(0), "")
        problems.append(f"{url}: the page pins integrity {pinned}, the local copy "
                        f"{served.path.relative_to(cdn.node_modules)} has {have}")
        return tag

    return _SCRIPT_TAG.sub(fix, page_html), notes, problems




# ---------------------------------------------------------------- the loopback server


def serve_directory(root: Path):
    """Serve ``root`` over HTTP on 127.0.0.1 (a free port) in a thread; yields the base URL.

    The same quiet loopback server that ``make pdf`` prints from (``nnbook.publish.pdf.serve``).
    """
    from nnbook.publish.pdf import serve

    return serve(root)


# ---------------------------------------------------------------- a loaded page


@dataclass
class LoadedPage:
    """A book page open in the browser, with everything observed since navigation."""

    info: PageInfo
    url: str
    page: object                                   # playwright Page
    errors: list = field(default_factory=list)     # JsError: uncaught exceptions, console errors
    unrouted: list = field(default_factory=list)   # external requests blocked: (url, type, why)
    local_failures: list = field(default_factory=list)  # loopback requests that failed
    integrity_problems: list = field(default_factory=list)
    not_ready: list = field(default_factory=list)  # what did not finish loading in time

    def where(self) -> str:
        return f"page {self.info.docname} ({self.url})"

    def new_errors_since(self, count: int) -> list:
        return self.errors[count:]


@dataclass(frozen=True)
class JsError:
    """An error the page's JavaScript reported: its kind, its message, where it came from."""

    kind: str       # "uncaught exception" or "console.error"
    text: str       # the message, as allowed by exact text in ALLOWED_CONSOLE_ERRORS
    source: str     # script URL and line, or the first stack frame

    def __str__(self) -> str:
        return f"{self.kind}: {self.text}" + (f" [{self.source}]" if self.source else "")


def _console_location(msg) -> str:
    loc = msg.location or {}
    if loc.get("url"):
        return f"{loc['url'][:160]}:{loc.get('lineNumber', '?')}"
    return ""


def _stack_top(exc) -> str:
    """Where an uncaught exception was thrown: the first frame of its stack, if any."""
    for line in (getattr(exc, "stack", None) or "").splitlines()[1:]:
        line = line.strip()
        if line.startswith("at "):
            return line[3:][:160]
    return ""


class SitePages:
    """The site's HTML pages as the browser gets them: with SRI pins checked (``adjust_integrity``).

    A page whose HTML needs no change is left to the HTTP server; a changed one is written
    once to ``workdir`` and served from there. Problems are kept per page.
    """

    def __init__(self, root: Path, cdn: LocalCdn, workdir: Path):
        self.root, self.cdn, self.workdir = root, cdn, workdir
        self._served: dict[Path, Path | None] = {}
        self.problems: dict[Path, list[str]] = {}

    def serve(self, url: str) -> Path | None:
        rel = unquote(urlsplit(url).path).lstrip("/")
        path = (self.root / rel).resolve()
        if self.root not in path.parents or not path.is_file():
            return None
        if path not in self._served:
            text = path.read_text(encoding="utf-8")
            new, notes, problems = adjust_integrity(text, self.cdn)
            for note in notes:
                if note not in NOTES:      # said once per run (as a warning: xdist shows it too)
                    NOTES.add(note)
                    warnings.warn(f"browser tests: {note}", UserWarning, stacklevel=1)
            self.problems[path] = problems
            if new == text:
                self._served[path] = None
            else:
                out = self.workdir / rel
                out.parent.mkdir(parents=True, exist_ok=True)
                out.write_text(new, encoding="utf-8")
                self._served[path] = out
        return self._served[path]


# Why a request to another host was refused in offline mode.
OFFLINE_REASON = "offline: every host but the site is blocked (the site must serve this itself)"


def open_page(browser, site_url: str, cdn: LocalCdn, info: PageInfo, documents: SitePages,
              offline: bool = True, color_scheme: str = "light") -> LoadedPage:
    """Open one page in a fresh context and wait until it settled.

    ``offline`` (the default): every request to another host than ``site_url`` is blocked
    and recorded in ``LoadedPage.unrouted``. ``offline=False``: such requests are answered
    from the npm copies of ``cdn`` when it has them (a build that still loads CDN scripts).
    """
    context = browser.new_context(viewport=VIEWPORT, service_workers="block", color_scheme=color_scheme)
    page = context.new_page()
    loaded = LoadedPage(info=info, url=site_url + info.url_path, page=page)
    local = urlsplit(site_url)

    def on_document(route):
        # The site's own pages load unchanged, but for the SRI pins of their CDN scripts.
        served = documents.serve(route.request.url)
        if served is None:
            return route.continue_()
        return route.fulfill(path=str(served), headers={"content-type": "text/html; charset=utf-8"})

    def on_external(route):
        request = route.request
        if offline:
            loaded.unrouted.append((request.url, request.resource_type, OFFLINE_REASON))
            return route.abort("blockedbyclient")
        served = cdn.resolve(request.url)
        if served.path is None:
            loaded.unrouted.append((request.url, request.resource_type, served.reason))
            return route.abort("blockedbyclient")
        ctype = mimetypes.guess_type(served.path.name)[0] or "application/octet-stream"
        if served.path.suffix in (".js", ".mjs"):
            ctype = "application/javascript; charset=utf-8"
        # path=: the driver reads the file itself (megabytes need not pass through Python).
        return route.fulfill(status=200, path=str(served.path), headers={
            "content-type": ctype,
            "access-control-allow-origin": "*",
            "cache-control": "max-age=3600",
        })

    def on_console(msg):
        if msg.type == "error":
            loaded.errors.append(JsError("console.error", msg.text, _console_location(msg)))

    def on_request_failed(request):
        parts = urlsplit(request.url)
        if (parts.hostname, parts.port) == (local.hostname, local.port) and not any(
                f.startswith(request.url + ": HTTP") for f in loaded.local_failures):
            loaded.local_failures.append(f"{request.url}: {request.failure}")

    def on_response(response):
        parts = urlsplit(response.url)
        if (parts.hostname, parts.port) == (local.hostname, local.port) and response.status >= 400:
            loaded.local_failures.append(f"{response.url}: HTTP {response.status}")

    # Only what leaves the loopback server (and the site's HTML pages) goes through Python;
    # the site's other files load directly. data: and blob: URLs never reach the network.
    context.route(re.compile("^(?!" + re.escape(site_url) + ")"), on_external)
    context.route(re.compile("^" + re.escape(site_url) + r".*\.html(?:[?#].*)?$"), on_document)
    page.on("pageerror", lambda exc: loaded.errors.append(JsError("uncaught exception", str(exc), _stack_top(exc))))
    page.on("console", on_console)
    page.on("requestfailed", on_request_failed)
    page.on("response", on_response)

    page.goto(loaded.url, wait_until="load", timeout=60_000)
    loaded.integrity_problems.extend(documents.problems.get(info.html_path.resolve(), []))
    _wait_until_settled(loaded)
    return loaded


# Waits, in the page, for what its own scripts do after the load event; returns what did not
# finish in time. One round trip instead of a polling call per item.
_SETTLE = r"""async ({mathjax, widgets, quizzes, timeout}) => {
  const notReady = [];
  const sleep = ms => new Promise(r => setTimeout(r, ms));
  const until = async (what, test) => {
    const end = performance.now() + timeout;
    while (!test()) {
      if (performance.now() > end) { notReady.push(what); return false; }
      await sleep(20);
    }
    return true;
  };
  const typeset = async what => {
    try { await window.MathJax.startup.promise; } catch (e) { notReady.push(`${what}: ${e}`); }
  };
  const mjReady = () => !!(window.MathJax && window.MathJax.startup && window.MathJax.startup.promise);
  if (mathjax && await until('MathJax (window.MathJax.startup never appeared)', mjReady))
    await typeset('MathJax startup failed');
  if (widgets)
    await until('widget views (the widget manager did not render them)', () =>
      [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')].every(s => {
        const p = s.previousElementSibling;
        return p && p.classList.contains('widget-subarea') && p.children.length > 0; }));
  if (quizzes) {
    await until('quizzes (jupyterquiz rendered no questions)', () => document.querySelector('.Quiz') !== null);
    // jupyterquiz typesets its questions 500 ms after rendering them, while the page is
    // parsed: wait until 700 ms after the end of parsing (usually long past).
    const parsed = performance.getEntriesByType('navigation')[0].domInteractive;
    await until('quiz typesetting', () => performance.now() > parsed + 700);
  }
  if (mathjax && mjReady()) await typeset('MathJax typesetting failed');
  await document.fonts.ready;          // fonts requested by the typeset math and the widgets
  return notReady;
}"""


def _wait_until_settled(loaded: LoadedPage) -> None:
    """Wait for the page's own scripts: MathJax's typesetting, widget views, quizzes, fonts."""
    info = loaded.info
    loaded.not_ready.extend(loaded.page.evaluate(_SETTLE, {
        "mathjax": info.mathjax, "widgets": info.widget_views > 0, "quizzes": info.quizzes > 0,
        "timeout": READY_TIMEOUT_MS}))


# ---------------------------------------------------------------- axe-core

#: The axe-core tags of WCAG 2.1 levels A and AA (WCAG 2.0's rules are part of 2.1).
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
#: Impacts that fail a page.
FAILING_IMPACTS = ("serious", "critical")

_AXE_RUN = r"""async ({include, tags, rules}) => {
  const options = {resultTypes: ['violations'], runOnly: {type: 'tag', values: tags}};
  if (rules) options.runOnly = {type: 'rule', values: rules};
  const context = include ? {include: include} : document;
  const result = await window.axe.run(context, options);
  return {version: window.axe.version, violations: result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
    nodes: v.nodes.map(n => ({target: n.target.map(String).join(' '), html: n.html.slice(0, 300),
                              impact: n.impact, summary: (n.failureSummary || '').slice(0, 400)}))}))};
}"""


def run_axe(page, include: list | None = None, rules: list | None = None) -> dict:
    """axe-core on the page as it is now: ``{"version", "violations": [...]}``.

    ``include``: CSS selectors of the parts to check (default: the whole document);
    ``rules``: run only these rule ids (default: every rule tagged WCAG 2.1 A or AA).
    axe is injected from tests/browser/node_modules (not from the site, which does not ship it).
    """
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(path=str(AXE_JS))
    return page.evaluate(_AXE_RUN, {"include": [[sel] for sel in include] if include else None,
                                    "tags": WCAG_TAGS, "rules": rules})
