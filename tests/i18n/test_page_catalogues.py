"""The Chinese edition's page catalogues keep up with the English pages (issue 16).

The English pages are the source; ``locales/zh_CN/LC_MESSAGES/book/<page>.po`` holds the
Chinese of every message Sphinx extracts from them. These tests fail the moment the two
disagree: a sentence changed in English without its translation, a message untranslated,
fuzzy or obsolete, a translation that changed a formula, code, a glued value or a link, a
glossary term translated with other words than the glossary's.
"""

from __future__ import annotations

import re
import sys
from pathlib import Path

import pytest

from nnbook.publish import catalogues
from nnbook.publish.plain_markdown import toc_docnames

ROOT = catalogues.ROOT
PAGES = [Path(d).name for d in toc_docnames(ROOT)]
sys.path.insert(0, str(ROOT / "_ext"))


def test_every_page_of_the_book_has_a_catalogue():
    assert sorted(PAGES) == catalogues.pages(), (
        f"pages and catalogues differ; run {catalogues.REFRESH}")


@pytest.mark.slow
def test_catalogues_hold_exactly_the_messages_of_the_english_pages(tmp_path):
    """Extract the messages afresh (Sphinx's gettext builder) and compare with the catalogues:
    a sentence edited in English is a new message the catalogue lacks."""
    import polib

    pots = catalogues.extract(tmp_path)
    problems = []
    for page in PAGES:
        current = {e.msgid for e in polib.pofile(str(pots / f"{page}.pot"))}
        catalogue = {e.msgid for e in catalogues.load(page) if not e.obsolete}
        for msgid in sorted(current - catalogue):
            problems.append(f"{page}: the English page has a sentence the catalogue lacks: \"{msgid[:160]}\"")
        for msgid in sorted(catalogue - current):
            problems.append(f"{page}: the catalogue translates a sentence the page no longer has: \"{msgid[:160]}\"")
    assert not problems, "\n".join(problems) + f"\nRefresh the catalogues: {catalogues.REFRESH}"


@pytest.mark.parametrize("page", PAGES)
def test_every_message_is_translated_and_keeps_formulas_code_and_glue(page):
    found = catalogues.problems(page, glossary=False)
    assert not found, "\n".join(map(str, found)) + f"\n({len(found)} problems; {catalogues.REFRESH})"


@pytest.mark.parametrize("page", PAGES)
def test_glossary_terms_are_translated_with_the_glossary_words(page):
    found = [p for p in catalogues.problems(page) if p.kind == "glossary"]
    assert not found, "\n".join(map(str, found)) + (
        "\nUse the glossary's Chinese term (code/nnbook/page/glossary.tsv), or, where the English word "
        "means something else there, say why in a translator comment `# glossary: <term> — <reason>`.")


def test_glossary_exceptions_are_few_and_each_gives_a_reason():
    exceptions, messages = [], 0
    for page in PAGES:
        for entry in catalogues.load(page):
            if entry.obsolete:
                continue
            messages += 1
            for line in (entry.tcomment or "").splitlines():
                if line.strip().startswith("glossary:"):
                    assert re.search(r"[—-]+\s+\S", line), f"{page}: exception without a reason: {line}"
                    exceptions.append(f"{page}: {line.strip()}")
    print(f"\n{len(exceptions)} glossary exceptions in {messages} messages:\n" + "\n".join(exceptions))
    assert len(exceptions) <= max(10, messages // 50), "\n".join(exceptions)


@pytest.mark.parametrize("page", PAGES)
def test_the_chinese_notebook_text_uses_every_translation(page):
    """The Chinese notebooks (book/zh) are the pages' MyST with each message replaced by its
    translation: every message of the page must be found in the page's text."""
    import jupytext

    nb = jupytext.reads((ROOT / "book" / f"{page}.md").read_text(encoding="utf-8"), fmt="md:myst")
    markdown = "\n\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    messages = catalogues.table(page)
    _, used = catalogues.translate_markdown(markdown, messages)
    toc_captions = {m for m in messages if m.startswith("Part ") or m == "Appendices"} if page == "intro" else set()
    missing = sorted(set(messages) - set(used) - toc_captions)
    assert not missing, f"{page}: messages not found in the page's text:\n" + "\n".join(m[:160] for m in missing)


# ---------------------------------------------------------------- the checks themselves


def test_a_changed_formula_code_span_glue_value_or_link_is_caught():
    english = "The error {glue:text}`e:.3f` of $w_{ji}$ in `net.W` — see {doc}`ch09_chain_rule` and [x](https://a.b)."
    good = "权值 $w_{ji}$ 的误差为 {glue:text}`e:.3f`（`net.W`），见 {doc}`ch09_chain_rule` 与 [x](https://a.b)。"
    assert catalogues.invariant_problems(english, good) == []
    for bad in (good.replace("w_{ji}", "w_{ij}"), good.replace("`net.W`", "net.W"),
                good.replace(":.3f", ":.2f"), good.replace("ch09_chain_rule", "ch10_backprop"),
                good.replace("https://a.b", "https://c.d")):
        assert catalogues.invariant_problems(english, bad), bad


def test_a_reference_may_translate_its_text_but_not_its_target():
    english = "as in {ref}`the first section <sec-one>`"
    assert catalogues.invariant_problems(english, "如 {ref}`第一节 <sec-one>` 所示") == []
    assert catalogues.invariant_problems(english, "如 {ref}`第一节 <sec-two>` 所示")


def test_a_glossary_term_needs_its_chinese_form():
    assert catalogues.glossary_misses("Each hidden unit has a weight.", "每个隐含单元有一个权值。") == []
    assert catalogues.glossary_misses("Each hidden unit has a weight.", "每个隐藏的单元有一个权值。") == [
        "hidden unit → 隐含单元"]
    # the longest term wins: "error backpropagation" is not also "backpropagation" and "error"
    assert catalogues.glossary_misses("error backpropagation", "误差反向传播") == []


def test_translating_markdown_keeps_prefixes_and_line_structure():
    source = ("## The error signal\n\nA paragraph that\nspans two lines.\n\n- an item\n  that wraps\n"
              "\n```{exercise} A title\n:label: x\n\nBody text.\n```\n\n| a cell | b |\n|---|---|\n")
    table = {"The error signal": "误差信号", "A paragraph that spans two lines.": "一段话。",
             "an item that wraps": "一项", "A title": "标题", "Body text.": "正文。", "a cell": "单元格"}
    text, used = catalogues.translate_markdown(source, table)
    assert sorted(used) == sorted(table)
    assert "## 误差信号" in text and "\n一段话。\n" in text and "- 一项" in text
    assert "```{exercise} 标题\n:label: x" in text and "| 单元格 | b |" in text


def test_the_extension_words_have_every_translation():
    import nnbook_sphinx

    for text, translations in nnbook_sphinx.UI_TEXT.items():
        assert translations.get("zh_CN"), text
