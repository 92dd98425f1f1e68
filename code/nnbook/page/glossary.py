"""The Chinese–English glossary of the lectures' terms (appendix).

The terms live in ``glossary.tsv`` beside this module (one term a line: Chinese, English,
the chapter that introduces it). A test checks that every Chinese term a chapter gives in
parentheses is in the glossary, and that every glossary term is the lectures' own.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from importlib import resources
from typing import List

from nnbook.i18n import _

__all__ = ["Term", "terms", "chinese_terms_in", "glossary_markdown"]

_CJK = re.compile(r"[\u3400-\u9fff]")
# "English term (中文)" or "English term（中文）": a parenthesis that holds Chinese characters.
_PAREN = re.compile(r"[(（]([^()（）]*[\u3400-\u9fff][^()（）]*)[)）]")


@dataclass(frozen=True)
class Term:
    zh: str
    en: str
    chapter: str


def terms() -> List[Term]:
    """All glossary terms, in the order of the file (by chapter)."""
    text = (resources.files("nnbook.page") / "glossary.tsv").read_text(encoding="utf-8")
    out = []
    for line in text.splitlines():
        if not line.strip() or line.startswith("#"):
            continue
        zh, en, chapter = (part.strip() for part in line.split("\t"))
        out.append(Term(zh, en, chapter))
    return out


def chinese_terms_in(text: str) -> List[str]:
    """The Chinese terms a page gives in parentheses, e.g. "error backpropagation (误差反向传播)".

    A parenthesis may hold several terms separated by commas, semicolons or slashes; each
    piece that contains Chinese characters is one term. Code cells and math are ignored.
    """
    text = re.sub(r"```.*?```", "", text, flags=re.S)          # code cells and directives' code
    text = re.sub(r"`[^`]*`", "", text)                         # inline code
    found = []
    for m in _PAREN.finditer(text):
        for piece in re.split(r"[,，;；/、]", m.group(1)):
            piece = piece.strip()
            if _CJK.search(piece) and not _is_quotation(piece):
                found.append(piece)
    return found


def _is_quotation(piece: str) -> bool:
    """A quoted lecture sentence, not a term: in quotation marks, over several lines, or long."""
    if any(q in piece for q in '"“”「」‘’\'') or "\n" in piece:
        return True
    return len(_CJK.findall(piece)) > 12


def glossary_markdown(chapter_titles: dict | None = None) -> str:
    """The glossary as a Markdown table sorted by English term."""
    rows = sorted(terms(), key=lambda t: t.en.lower())
    lines = [_("| English | 中文 | introduced in |"), "|---|---|---|"]
    for t in rows:
        where = f"{{doc}}`{t.chapter}`" if chapter_titles is None else chapter_titles.get(t.chapter, t.chapter)
        lines.append(f"| {t.en} | {t.zh} | {where} |")
    return "\n".join(lines)
