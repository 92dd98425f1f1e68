"""The glossary appendix covers every Chinese term the chapters introduce, and only the lectures' own terms."""

from pathlib import Path

import pytest

from nnbook.page.glossary import chinese_terms_in, terms

ROOT = Path(__file__).resolve().parents[1]
LECTURES = ROOT.parent / "shared" / "lectures"
# The chapters introduce the terms (the appendices quote titles and names of the lectures).
PAGES = sorted((ROOT / "book").glob("ch*.md"))


def test_glossary_terms_are_unique_and_complete_rows():
    zh = [t.zh for t in terms()]
    assert len(zh) == len(set(zh)), "a Chinese term is listed twice"
    assert all(t.en and t.chapter for t in terms())


def test_glossary_chapters_exist():
    missing = {t.chapter for t in terms() if not (ROOT / "book" / f"{t.chapter}.md").exists()}
    assert not missing, f"glossary terms point at pages that do not exist: {sorted(missing)}"


@pytest.mark.skipif(not LECTURES.exists(), reason="the lectures are read from ../shared (CI has them)")
def test_every_glossary_term_is_used_by_a_lecture():
    text = "".join(p.read_text(encoding="utf-8") for p in LECTURES.glob("0*.txt"))
    foreign = [t.zh for t in terms() if t.zh not in text]
    assert not foreign, f"glossary terms that no lecture uses: {foreign}"


@pytest.mark.parametrize("page", PAGES, ids=[p.stem for p in PAGES])
def test_every_chinese_term_a_page_introduces_is_in_the_glossary(page):
    known = {t.zh for t in terms()}
    unknown = sorted(set(chinese_terms_in(page.read_text(encoding="utf-8"))) - known)
    assert not unknown, f"{page.name} introduces Chinese terms missing from code/nnbook/page/glossary.tsv: {unknown}"


def test_chinese_terms_are_found_in_parentheses_but_not_in_code():
    text = "error backpropagation (误差反向传播) and `x (代码)` and (批处理, batch; 随机梯度下降)"
    assert chinese_terms_in(text) == ["误差反向传播", "批处理", "随机梯度下降"]


def test_quoted_lecture_sentences_are_not_terms():
    text = '(“误差经过每一层传递都会不断地衰减”) and (反向传播算法具有最高的计算精度和数值效率) and (驻点)'
    assert chinese_terms_in(text) == ["驻点"]


@pytest.mark.skipif(not LECTURES.exists(), reason="the lectures are read from ../shared (CI has them)")
def test_every_activation_carries_the_lectures_own_chinese_name():
    from nnbook import activations

    text = "".join(p.read_text(encoding="utf-8") for p in LECTURES.glob("0*.txt"))
    names = {n: activations.get(n).chinese for n in activations.names()}
    assert not {n: zh for n, zh in names.items() if zh not in text}
