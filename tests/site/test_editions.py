"""The two editions of the built site are the same book (issue 16).

Run after the strict build (``make site-tests``): the English site in ``_build/html`` (or
``$NNBOOK_SITE``), the Chinese one in its ``zh/`` folder. For every page: the Chinese page
exists, both link to each other, both have the same sections, formulas, figures, tables,
exercises, solutions, quizzes, proofs and glued numbers, and the Chinese page's prose is
Chinese (no paragraph left in English).
"""

from __future__ import annotations

import os
import re
from collections import Counter
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from nnbook.publish.plain_markdown import toc_docnames

ROOT = Path(__file__).resolve().parents[2]
DOCNAMES = toc_docnames(ROOT)
CJK = re.compile(r"[\u4e00-\u9fff]")


@pytest.fixture(scope="module")
def site() -> Path:
    site = Path(os.environ.get("NNBOOK_SITE") or ROOT / "_build" / "html")
    if not (site / "index.html").is_file() or not (site / "zh" / "index.html").is_file():
        pytest.fail(f"No built site with both editions at {site} (English in it, Chinese in its zh/ folder): "
                    "build it first with `make strict` (or set NNBOOK_SITE).", pytrace=False)
    return site


def article(path: Path) -> BeautifulSoup:
    soup = BeautifulSoup(path.read_text(encoding="utf-8"), "html.parser")
    main = soup.find("article") or soup.find("main")
    assert main is not None, f"{path}: no <article>"
    return main


def structure(main) -> dict:
    """What a page is made of, independent of its language."""
    def count(selector):
        return len(main.select(selector))

    return {
        "sections (h1-h3)": [count(f"h{i}") for i in (1, 2, 3)],
        # the prose's formulas, to the letter (white space aside); formulas the code printed (a
        # SymPy derivation's \text{...} notes speak the reader's language) only counted
        "formulas": Counter(" ".join(m.get_text().split()) for m in main.select(".math")
                            if m.find_parent(class_="cell_output") is None),
        "formulas printed by code": len(main.select(".cell_output .math")),
        "images": count("img"),
        "tables": count("table"),
        "exercises": count(".exercise"),
        "solutions": count(".solution"),
        "proofs": count(".proof"),
        "admonitions": count(".admonition"),
        "quizzes": len(main.select('[class^="nnbquiz-"]')),
        "glued values": len(main.select(".pasted-text")),
        "code cells": count(".cell_input"),
    }


@pytest.mark.parametrize("docname", DOCNAMES)
def test_each_page_has_the_same_structure_in_both_editions(site, docname):
    english = site / f"{docname}.html"
    chinese = site / "zh" / f"{docname}.html"
    assert chinese.is_file(), f"the Chinese edition has no {docname}.html"
    a, b = structure(article(english)), structure(article(chinese))
    differ = [f"{k}: English {a[k]!r} vs Chinese {b[k]!r}" for k in a if a[k] != b[k]]
    assert not differ, f"{docname}: the editions differ in\n" + "\n".join(d[:600] for d in differ)


@pytest.mark.parametrize("docname", DOCNAMES)
def test_each_page_links_to_the_same_page_of_the_other_edition(site, docname):
    for here, other_root, lang in ((site, site / "zh", "zh-CN"), (site / "zh", site, "en")):
        page = here / f"{docname}.html"
        soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
        switch = soup.select_one("nav.nnbook-language a")
        assert switch is not None, f"{page}: no language switch"
        assert switch.get("hreflang") == lang and switch.get("lang") == lang
        target = (page.parent / switch["href"]).resolve()
        assert target == (other_root / f"{docname}.html").resolve(), f"{page}: the switch opens {target}"
        assert switch.get_text(strip=True), f"{page}: the switch has no text"


#: Glued values that are wall-clock measurements on the build machine: each edition's run
#: measures its own (they differ from build to build in one edition too). Every other glued
#: value must be identical in both editions.
MEASURED = {
    "ch04_universal": {"universal_fit_seconds", "universal_gd_seconds", "universal_lm_seconds"},
    "ch13_efficiency": {"efficiency_time_slope_bp", "efficiency_time_slope_fd", "efficiency_numpy_slope_bp",
                        "efficiency_numpy_slope_fd", "efficiency_time_ratio_max", "efficiency_numpy_bp_us",
                        "efficiency_lab_t_bp_ms", "efficiency_lab_t_fd_min"},
    "ch15_jacobian": {"jacobian_t_rev_ms", "jacobian_t_fwd_ms", "jacobian_t_ratio"},
    "ch16_hessian": {"hessian_slope_fderror", "hessian_slope_fdgrad", "hessian_slope_r", "hessian_slope_diag",
                     "hessian_slope_hvp", "hessian_timing_whole_vs_one"},
}


def _glue(path: Path) -> dict:
    import json

    data = json.loads(path.read_text(encoding="utf-8")) if path.is_file() else {}
    return {k: (v.get("data") if isinstance(v, dict) else v) for k, v in data.items()}


@pytest.mark.parametrize("docname", DOCNAMES)
def test_each_page_glues_the_same_numbers_in_both_editions(site, docname):
    """myst-nb's record of each executed page's glued values (``<page>.glue.json`` beside the
    executed notebook): the same keys, the same values, but for the measured timings."""
    build = site.parent if site.name == "html" else ROOT / "_build"
    english = build / "jupyter_execute" / f"{docname}.glue.json"
    chinese = build / "zh" / "jupyter_execute" / f"{docname}.glue.json"
    a, b = _glue(english), _glue(chinese)
    assert sorted(a) == sorted(b), f"{docname}: glued keys differ: {sorted(set(a) ^ set(b))}"
    measured = MEASURED.get(Path(docname).name, set())
    differ = [f"{k}: {a[k]} vs {b[k]}" for k in a if k not in measured and a[k] != b[k]]
    assert not differ, f"{docname}: glued values differ between the editions:\n" + "\n".join(differ)


def _english_prose(text: str) -> bool:
    """A sentence in English: four or more lower-case English words and no Chinese (names,
    citations and code words alone are not prose)."""
    words = re.findall(r"(?<![A-Za-z])[a-z]{3,}(?![A-Za-z])", text)
    return len(words) >= 4 and not CJK.search(text)


@pytest.mark.parametrize("docname", DOCNAMES)
def test_the_chinese_page_has_no_paragraph_left_in_english(site, docname):
    main = article(site / "zh" / f"{docname}.html")
    for skip in main.select(".cell_output, .cell_input, .highlight, .math, pre, code, .citation, "
                            ".bibliography, .pasted-text, [lang=en]"):
        skip.decompose()
    left = [" ".join(el.get_text(" ").split()) for el in main.select("p, li, h1, h2, h3, h4, th, td, figcaption")
            if _english_prose(el.get_text(" "))]
    # a paragraph holding a list is counted once, as the list's items
    left = [t for t in left if t]
    assert not left, f"{docname}: English left in the Chinese edition:\n" + "\n".join(t[:200] for t in left[:20])


def test_the_chinese_edition_says_it_is_chinese(site):
    for docname in DOCNAMES:
        head = (site / "zh" / f"{docname}.html").read_text(encoding="utf-8")[:400]
        assert '<html lang="zh-CN"' in head, docname


def test_the_chinese_edition_has_its_own_search_and_index(site):
    assert (site / "zh" / "search.html").is_file() and (site / "zh" / "searchindex.js").is_file()
    import json

    text = (site / "zh" / "searchindex.js").read_text(encoding="utf-8")
    index = json.loads(text[text.index("(") + 1:text.rindex(")")])
    terms = [t for t in index["terms"] if CJK.search(t)]
    titles = [t for t in index["titles"] if CJK.search(t)]
    assert len(terms) > 100, f"the Chinese search index has {len(terms)} Chinese terms"
    assert len(titles) >= len(index["titles"]) - 2, "page titles in the Chinese search index are not Chinese"


def test_the_chinese_pages_run_their_code_in_chinese(site):
    """What the package printed on the Chinese pages — check(...) results and the like — is
    Chinese (the pages ran with NNBOOK_LANG=zh)."""
    checked = 0
    for docname in DOCNAMES:
        english = article(site / f"{docname}.html").select(".nnbook-result")
        chinese = article(site / "zh" / f"{docname}.html").select(".nnbook-result")
        assert len(english) == len(chinese), docname
        for b in chinese:
            assert CJK.search(b.get_text()), f"{docname}: a check result not in Chinese: {b.get_text()[:200]}"
            checked += 1
    assert checked >= 10, f"only {checked} check results found on the pages"
