"""The guide for chapter authors (code/nnbook/exercises/AUTHORING.md) shows code that works.

Its Python snippets (```python blocks and the {code-cell} blocks of its example page) import
only what exists and use only attributes the imported modules have; every exercise ID it
cites is registered, and where a snippet defines one (``id=..., chapter=..., name=...``)
the chapter and the name are those of the book's exercise; every quiz it shows exists.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from nnbook.exercises import registry
from nnbook.page import quiz as quiz_module

GUIDE = Path(registry.__file__).with_name("AUTHORING.md")
TEXT = GUIDE.read_text(encoding="utf-8")
FILE_SUFFIXES = {"py", "json", "md", "csv", "ipynb", "txt", "yml", "toml", "tsv"}


def snippets() -> list[str]:
    """The Python of the guide: ```python blocks and the bodies of ```{code-cell} blocks."""
    blocks = re.findall(r"^```python\n(.*?)^```", TEXT, re.S | re.M)
    for body in re.findall(r"^```\{code-cell\}[^\n]*\n(.*?)^```", TEXT, re.S | re.M):
        blocks.append("\n".join(line for line in body.splitlines() if not line.startswith(":")))
    return blocks


SNIPPETS = snippets()


def test_the_guide_has_snippets():
    assert len(SNIPPETS) >= 5


@pytest.mark.parametrize("source", SNIPPETS, ids=lambda s: s.strip().splitlines()[0][:40])
def test_snippet_imports_work_and_use_real_attributes(source):
    tree = ast.parse(source)
    namespace: dict = {}
    for node in ast.walk(tree):
        if isinstance(node, (ast.Import, ast.ImportFrom)):
            exec(compile(ast.Module([node], type_ignores=[]), "<AUTHORING.md>", "exec"), namespace)
    for node in ast.walk(tree):
        if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) and node.value.id in namespace:
            module = namespace[node.value.id]
            if type(module).__name__ == "module":
                assert hasattr(module, node.attr), f"AUTHORING.md uses {node.value.id}.{node.attr}, which does not exist"


def test_every_exercise_defined_in_the_guide_is_the_books_own():
    for source in SNIPPETS:
        for node in ast.walk(ast.parse(source)):
            if not isinstance(node, ast.Call):
                continue
            kw = {k.arg: k.value for k in node.keywords}
            if "id" in kw and isinstance(kw["id"], ast.Constant):
                exercise = registry.get(kw["id"].value)
                if "chapter" in kw:
                    assert ast.literal_eval(kw["chapter"]) == exercise.chapter, exercise.id
                if "name" in kw:
                    assert ast.literal_eval(kw["name"]) == exercise.name, exercise.id


def test_every_exercise_id_and_quiz_the_guide_cites_exists():
    cited = {m for m in re.findall(r"\"([a-z][a-z0-9]*\.[a-z0-9][a-z0-9-]*)\"", TEXT)
             if m.rsplit(".", 1)[1] not in FILE_SUFFIXES}
    assert cited, "the guide cites no exercise ID?"
    known = set(registry.ids())
    assert not cited - known, f"AUTHORING.md cites unknown exercise IDs: {sorted(cited - known)}"
    for slug in re.findall(r"quiz\(\"([a-z0-9_-]+)\"\)", "\n".join(SNIPPETS)):
        assert slug in quiz_module.available(), f"AUTHORING.md shows the quiz {slug!r}, which does not exist"
