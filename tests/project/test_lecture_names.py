"""Readers meet the lectures by name (the Nankai, ECNU, DLSys and MNIST-lab lectures), never by file number.

The key table that says which lecture each name is lives in the appendix *References and
credits* and in the package docstring; everything a reader or contributor reads elsewhere
(pages, package source, quizzes) uses the names.
"""

import json
import re
from pathlib import Path

import pytest

from nnbook.page import quiz

ROOT = Path(__file__).resolve().parents[2]
NUMBERED = re.compile(r"\b[Ll]ectures?\s+00[0-9]\b")
NAMES = ["the Nankai lecture", "the ECNU lecture", "the DLSys lecture", "the MNIST-lab lecture"]
TEXTS = sorted((ROOT / "book").glob("*.md")) + sorted((ROOT / "code" / "nnbook").rglob("*.py")) + \
    sorted((ROOT / "code" / "nnbook").rglob("*.md"))


@pytest.mark.parametrize("path", TEXTS, ids=lambda p: str(p.relative_to(ROOT)))
def test_no_lecture_is_called_by_its_file_number(path):
    found = NUMBERED.findall(path.read_text(encoding="utf-8"))
    assert not found, f"{path.relative_to(ROOT)}: {found[:3]} — use the lecture's name ({', '.join(NAMES)})"


@pytest.mark.parametrize("slug", quiz.list_slugs() if hasattr(quiz, "list_slugs") else
                         sorted(p.stem for p in (ROOT / "code/nnbook/page/quizzes").glob("*.json")))
def test_no_quiz_calls_a_lecture_by_its_file_number(slug):
    text = json.dumps(quiz.load_questions(slug), ensure_ascii=False)
    assert not NUMBERED.findall(text), f"quiz {slug} names a lecture by number"


def test_the_key_table_names_every_lecture_with_its_school():
    table = (ROOT / "book" / "appendix_references.md").read_text(encoding="utf-8")
    for name, school in zip(NAMES, ["Nankai University", "East China Normal University",
                                    "deep-learning-systems", "laboratory"], strict=True):
        assert f"**{name}**" in table and school in table
    doc = (ROOT / "code" / "nnbook" / "__init__.py").read_text(encoding="utf-8")
    assert all(name.split(" ", 1)[1].split()[0] in doc for name in NAMES)
