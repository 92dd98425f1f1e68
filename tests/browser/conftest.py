"""The built book in a real browser: headless Chromium driven by Playwright, offline.

Fixtures: the loopback HTTP server of the site, one Chromium for the run, the local CDN, and
``book_page``: a page of the book opened once for all the checks of that page. A test
marked ``@pytest.mark.book_pages(feature)`` runs once per page whose HTML has ``feature``
(an attribute of ``PageInfo``: "quizzes", "sliders", ...), or on every page without one.
"""

from __future__ import annotations

import os

import pytest
from browser_support import (
    CHROMIUM_ARGS,
    NODE_MODULES,
    NOTES,
    SCREENSHOTS,
    LocalCdn,
    SitePages,
    catalogue,
    chromium_path,
    open_page,
    serve_directory,
    site_root,
)


def pytest_configure(config):
    # Also known to pytest-xdist; registered here for runs without it (-p no:xdist).
    config.addinivalue_line("markers", "xdist_group(name): run these tests in one xdist worker")
    config.addinivalue_line(
        "markers", "book_pages(feature=None, only=None): run once per page of the built book "
                   "(that has `feature`; or among `only()`), with the page as the `book_page` fixture")


def pytest_generate_tests(metafunc):
    if "book_page" not in metafunc.fixturenames:
        return
    marker = metafunc.definition.get_closest_marker("book_pages")
    pages = list(catalogue())
    feature = marker.args[0] if marker and marker.args else None
    only = marker.kwargs.get("only") if marker else None
    if feature:
        pages = [p for p in pages if getattr(p, feature)]
    if only:
        chosen = only()
        pages = [p for p in pages if p in chosen]
    pages = sample_other_editions(pages)
    # Module scope: every test of one page shares one load (pytest groups them by page); with
    # pytest-xdist (-n 2 --dist loadgroup) all tests of a page go to the same worker.
    params = [pytest.param(p, id=p.id, marks=pytest.mark.xdist_group(p.id)) for p in pages]
    metafunc.parametrize("book_page", params, indirect=True, scope="module")


#: The features a sample of an edition must cover (attributes of PageInfo).
FEATURES = ("quizzes", "sliders", "solutions", "widget_views", "math_nodes", "images")


def sample_other_editions(pages: list) -> list:
    """Every page of the English edition; of each other edition (the same pages, translated),
    the first page with each feature, the book's first page and its last appendix — unless
    NNBOOK_BROWSER_ALL=1 (the weekly run), which checks every page of every edition.
    tests/site/test_editions.py compares every page of the two editions without a browser."""
    if os.environ.get("NNBOOK_BROWSER_ALL") == "1":
        return pages
    kept = [p for p in pages if p.edition == "en"]
    for edition in dict.fromkeys(p.edition for p in pages if p.edition != "en"):
        theirs = [p for p in pages if p.edition == edition]
        chosen = {theirs[0].docname, theirs[-1].docname}
        for feature in FEATURES:
            first = next((p for p in theirs if getattr(p, feature)), None)
            if first is not None:
                chosen.add(first.docname)
        kept += [p for p in theirs if p.docname in chosen]
    return kept


def pytest_terminal_summary(terminalreporter):
    if NOTES:
        terminalreporter.write_sep("-", "browser tests: substitutions made to run offline")
        for note in sorted(NOTES):
            terminalreporter.write_line(note)


@pytest.fixture(scope="session")
def site_url():
    """Base URL of the built book on a loopback HTTP server (stopped at the end)."""
    catalogue()
    with serve_directory(site_root()) as url:
        yield url


@pytest.fixture(scope="session")
def browser():
    """One headless Debian Chromium for the whole run (each page gets its own context)."""
    catalogue()
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            yield b
        finally:
            b.close()


@pytest.fixture(scope="session")
def local_cdn():
    return LocalCdn(NODE_MODULES)


@pytest.fixture(scope="session")
def site_pages(local_cdn, tmp_path_factory):
    return SitePages(site_root(), local_cdn, tmp_path_factory.mktemp("pages"))


@pytest.fixture(scope="session")
def screenshot_dir():
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture(scope="module")
def book_page(request, browser, site_url, local_cdn, site_pages):
    """The page of the test's parameter, loaded once for all the checks of that page."""
    loaded = open_page(browser, site_url, local_cdn, request.param, site_pages)
    try:
        yield loaded
    finally:
        loaded.page.context.close()
