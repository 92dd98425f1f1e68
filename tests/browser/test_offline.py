"""The self-contained site (issue 15): its third-party files, and the site opened from disk.

* The copies in ``book/_static/npm`` are byte for byte the files of the npm releases that
  ``npm ci`` installs from ``package-lock.json`` (the registry's own tarballs, checked by npm
  against the lockfile's integrity), and the built site serves them.
* The archive of ``make dist`` (:mod:`nnbook.publish.site_archive`), unpacked, opens from
  ``file://`` in Chromium with every host blocked: a page with math, widgets, a quiz and a
  slider figure works there as on the web server (the checks of test_browser_pages.py run
  on every page over HTTP; here one page of each kind, from disk).

Every edition of the site is covered (``browser_support.editions()``).
"""

from __future__ import annotations

import json
import zipfile

import pytest
from browser_support import (
    NODE_MODULES,
    VIEWPORT,
    JsError,
    LoadedPage,
    _wait_until_settled,
    catalogue,
    editions,
    site_root,
)
from vendor_assets import VENDOR, provenance

# With pytest-xdist (make browser: -n 2 --dist loadgroup) these tests share one worker and so
# one fixture instance (the offline fixtures are expensive).
pytestmark = pytest.mark.xdist_group("offline")


def test_the_committed_copies_are_the_files_of_the_npm_releases():
    problems = []
    for pkg in provenance()["packages"]:
        installed = NODE_MODULES / pkg["package"]
        meta = json.loads((installed / "package.json").read_text(encoding="utf-8"))
        if meta["version"] != pkg["version"]:
            problems.append(f"{pkg['package']}: copied {pkg['version']}, npm ci installed {meta['version']}")
            continue
        for rel in pkg["files"]:
            ours = (VENDOR / pkg["folder"] / rel).read_bytes()
            theirs = (installed / rel).read_bytes()
            if ours != theirs:
                problems.append(f"{pkg['package']}@{pkg['version']}: {rel} differs from the release")
    assert not problems, "book/_static/npm is not the npm releases:\n  - " + "\n  - ".join(problems)


@pytest.mark.parametrize("edition", [e.name for e in editions()])
def test_the_built_site_serves_the_copies(edition):
    root = next(e for e in editions() if e.name == edition).root
    served = root / "_static" / "npm" / "PROVENANCE.json"
    assert served.is_file(), f"{served} is missing: the site does not serve book/_static/npm"
    assert json.loads(served.read_text(encoding="utf-8")) == provenance(), (
        f"{served} differs from book/_static/npm/PROVENANCE.json: rebuild the book")


# ------------------------------------------------------------------ the archive, from disk


def _pages_to_open(edition: str):
    """One page of each kind: every page with widgets, the first with a quiz, with a slider."""
    pages = [p for p in catalogue() if p.edition == edition]
    chosen = []
    for want in ("widget_views", "quizzes", "sliders", "math_nodes"):
        page = next((p for p in pages if getattr(p, want) and p not in chosen), None) or \
            next((p for p in pages if getattr(p, want)), None)
        if page is not None and page not in chosen:
            chosen.append(page)
    return chosen


@pytest.fixture(scope="module")
def unpacked(tmp_path_factory):
    """The archive of make dist, made from the site under test and unpacked in a temporary folder."""
    from nnbook.publish.site_archive import make_archive

    tmp = tmp_path_factory.mktemp("dist")
    archive = make_archive(site_root(), tmp / "nnbook-site.zip", "nnbook-site")
    with zipfile.ZipFile(archive) as zf:
        names = zf.namelist()
        zf.extractall(tmp / "unpacked")
    return tmp / "unpacked" / "nnbook-site", names


def test_the_archive_holds_the_whole_site(unpacked):
    root, names = unpacked
    assert "nnbook-site/index.html" in names and "nnbook-site/README.txt" in names
    for page in catalogue():
        assert f"nnbook-site/{page.url_path}" in names, f"{page.url_path} is not in the archive"
    for pkg in provenance()["packages"]:
        for rel in pkg["files"]:
            assert f"nnbook-site/_static/npm/{pkg['folder']}/{rel}" in names


_FROM_DISK = r"""() => {
  const maths = [...document.querySelectorAll('.math')];
  const views = [...document.querySelectorAll('script[type="application/vnd.jupyter.widget-view+json"]')];
  return {
    maths: maths.length, typeset: maths.filter(m => m.querySelector('mjx-container')).length,
    views: views.length,
    rendered: views.filter(s => { const p = s.previousElementSibling;
                                  return p && p.classList.contains('widget-subarea') && p.children.length; }).length,
    quizzes: document.querySelectorAll('[id^="nnbquiz-"]').length,
    questions: document.querySelectorAll('.Quiz').length,
    sliders: document.querySelectorAll('.nnb-slider').length,
    sliderReady: document.querySelectorAll('.nnb-slider[data-nnb-ready]').length,
  };
}"""


@pytest.mark.parametrize("edition", [e.name for e in editions()])
def test_pages_of_the_archive_work_from_disk_without_a_network(edition, unpacked, browser):
    root, _ = unpacked
    pages = _pages_to_open(edition)
    assert pages, f"edition {edition}: no page to open"
    problems = []
    for info in pages:
        context = browser.new_context(viewport=VIEWPORT, service_workers="block")
        page = context.new_page()
        url = (root / info.url_path).as_uri()
        loaded = LoadedPage(info=info, url=url, page=page)
        blocked = []

        def block(route, blocked=blocked):
            blocked.append(route.request.url)
            route.abort("blockedbyclient")

        context.route(lambda u: not u.startswith("file://") and not u.startswith("data:"), block)
        page.on("pageerror", lambda exc, loaded=loaded: loaded.errors.append(JsError("uncaught exception", str(exc), "")))
        page.on("console", lambda msg, loaded=loaded: msg.type == "error" and loaded.errors.append(
            JsError("console.error", msg.text, "")))
        page.on("requestfailed", lambda r, loaded=loaded: loaded.local_failures.append(f"{r.url}: {r.failure}"))
        try:
            page.goto(url, wait_until="load", timeout=60_000)
            _wait_until_settled(loaded)
            state = page.evaluate(_FROM_DISK)
            if info.sliders:
                # the slider figure still switches frames from disk
                inp = page.locator("input.nnb-slider-input").first
                before = page.evaluate("() => document.querySelector('output.nnb-slider-value').textContent")
                inp.focus()
                page.keyboard.press("ArrowRight")
                after = page.evaluate("() => document.querySelector('output.nnb-slider-value').textContent")
                if before == after:
                    problems.append(f"{info.url_path}: the slider figure does not move from disk")
        finally:
            context.close()
        where = f"{info.url_path} from {url}"
        problems += [f"{where}: request to another host: {u}" for u in blocked]
        problems += [f"{where}: {e}" for e in loaded.errors]
        problems += [f"{where}: failed to load: {f}" for f in loaded.local_failures]
        problems += [f"{where}: not finished: {w}" for w in loaded.not_ready]
        if state["typeset"] != state["maths"]:
            problems.append(f"{where}: {state['typeset']} of {state['maths']} formulas typeset")
        if state["rendered"] != state["views"]:
            problems.append(f"{where}: {state['rendered']} of {state['views']} widget views rendered")
        if state["quizzes"] and not state["questions"]:
            problems.append(f"{where}: the quizzes show no questions")
        if state["sliderReady"] != state["sliders"]:
            problems.append(f"{where}: {state['sliderReady']} of {state['sliders']} slider figures wired")
    assert not problems, "the archive's pages from disk:\n  - " + "\n  - ".join(problems)
