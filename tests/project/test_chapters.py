"""The chapter table (``nnbook.chapters``) against the tree, both ways.

* The table lists exactly the pages of ``_toc.yml``, in reading order, and numbers exactly
  the chapters of the numbered parts (and ``chNN_`` is the number).
* Every module the table names exists and is imported by its page, and a page imports no
  module of the lectures' mathematics the table does not name.
* Every module of the lectures' mathematics names its chapter(s) in the first line of its
  docstring, and appears in the table under each chapter it names.
* Every bank and quiz of the table exists and belongs to its chapter, and every bank and
  quiz of the package is in the table; the pages' exercise IDs carry their chapter's slug.
"""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
from pathlib import Path

import jupytext
import pytest
import yaml

from nnbook import chapters

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "code" / "nnbook"
HIGHER_LAYERS = {"page", "exercises", "grade", "publish"}
NOT_A_CHAPTER_MODULE = {"chapters", "i18n"}    # the table and the language module serve every chapter


def toc_pages() -> list[tuple[str, bool]]:
    """(file, numbered) for every page of _toc.yml in reading order."""
    toc = yaml.safe_load((ROOT / "_toc.yml").read_text(encoding="utf-8"))
    out = [(toc["root"], False)]
    for part in toc.get("parts", []):
        for ch in part.get("chapters", []):
            out.append((ch["file"], bool(part.get("numbered"))))
            out += [(s["file"], bool(part.get("numbered"))) for s in ch.get("sections", [])]
    return [(f if f.endswith(".md") else f + ".md", numbered) for f, numbered in out]


def test_the_table_lists_the_pages_of_the_table_of_contents_in_order():
    assert [p.page for p in chapters.PAGES] == [f for f, _ in toc_pages()]


def test_the_numbered_parts_hold_the_numbered_chapters():
    numbered = [f for f, n in toc_pages() if n]
    assert [p.page for p in chapters.chapters()] == numbered
    assert [p.number for p in chapters.chapters()] == list(range(1, len(numbered) + 1))
    for p in chapters.chapters():
        assert Path(p.page).name.startswith(f"ch{p.number:02d}_"), p


def test_five_slugs_differ_from_their_page_names_and_the_docstring_lists_them():
    differ = {p.stem: p.slug for p in chapters.chapters() if p.slug != p.page_name}
    assert differ == {"ch07_error_surface": "surface", "ch08_gradient_descent": "gd", "ch09_chain_rule": "chain",
                      "ch11_matrix_backprop": "matrix", "ch12_softmax_ce": "softmax"}
    for stem, slug in differ.items():
        assert re.search(rf"{stem}\s+{slug}\b", chapters.__doc__), f"{stem} -> {slug} missing from the docstring"


def test_lookup_by_number_slug_and_page_name():
    assert chapters.get(7) is chapters.get("surface") is chapters.get("ch07_error_surface") is chapters.get("7")
    assert chapters.find("no-such-chapter") is None
    with pytest.raises(KeyError, match="slug"):
        chapters.get(99)
    assert chapters.docnames()[0] == "book/intro"
    assert chapters.page_paths(ROOT) == [ROOT / p.page for p in chapters.PAGES]


# --- modules ------------------------------------------------------------------------------------

def _is_module(dotted: str) -> bool:
    try:
        return importlib.util.find_spec(dotted) is not None
    except ModuleNotFoundError:
        return False


def page_imports(page: Path) -> set[str]:
    """The top-level nnbook modules of the lectures' mathematics a page's code cells import."""
    found = set()
    for cell in jupytext.read(page).cells:
        if cell.cell_type != "code":
            continue
        source = "\n".join(line for line in cell.source.splitlines() if not line.lstrip().startswith(("%", "!")))
        try:
            tree = ast.parse(source)
        except SyntaxError:                    # a shell block of a page that is not a notebook
            continue
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
                names = [f"{node.module}.{a.name}" if node.module == "nnbook" else node.module for a in node.names]
            else:
                continue
            found |= {n.split(".")[1] for n in names if n.startswith("nnbook.")}
    return {m for m in found if m not in HIGHER_LAYERS}


@pytest.mark.parametrize("page", chapters.PAGES, ids=lambda p: p.stem)
def test_the_table_names_exactly_the_modules_its_page_imports(page):
    for m in page.modules:
        assert _is_module(f"nnbook.{m}"), f"{page.stem}: nnbook.{m} does not exist"
    imported = page_imports(ROOT / page.page)
    assert set(page.modules) == imported, (
        f"{page.stem} imports {sorted(imported)} but nnbook/chapters.py lists {sorted(page.modules)}: update the table")


def math_modules() -> list[str]:
    """The top-level modules and subpackages of the lectures' mathematics."""
    names = [p.stem for p in PACKAGE.glob("*.py") if p.stem != "__init__"]
    names += [p.name for p in PACKAGE.iterdir() if (p / "__init__.py").is_file()]
    return sorted(n for n in names if n not in HIGHER_LAYERS | NOT_A_CHAPTER_MODULE)


def named_chapters(first_line: str) -> set[int]:
    """The chapter numbers a docstring's first line names: 'chapter 9', 'Chapter 9:', 'chapters 2, 12 and 14'."""
    found = set()
    for m in re.finditer(r"[Cc]hapters?\s+(\d+(?:\s*(?:,|and)\s*\d+)*)", first_line):
        found |= {int(n) for n in re.findall(r"\d+", m.group(1))}
    return found


@pytest.mark.parametrize("module", math_modules())
def test_every_module_names_its_chapters_and_appears_under_them(module):
    doc = importlib.import_module(f"nnbook.{module}").__doc__ or ""
    first = doc.strip().splitlines()[0] if doc.strip() else ""
    numbers = named_chapters(first)
    assert numbers, f"nnbook.{module}: the first line of its docstring names no chapter: {first!r}"
    for n in sorted(numbers):
        assert module in chapters.get(n).modules, (
            f"nnbook.{module} names chapter {n}, but chapter {n}'s page does not import it (nnbook/chapters.py)")


def test_the_checker_reads_the_ways_a_first_line_names_chapters():
    assert named_chapters("Chapter 9: how does the chain rule run?") == {9}
    assert named_chapters("Symbolic derivations (chapters 2, 12 and 14).") == {2, 12, 14}
    assert named_chapters("MNIST (lab, chapter 17) and toy problems (chapters 4, 6, 8).") == {17, 4, 6, 8}
    assert named_chapters("The MNIST-lab lecture's lab.") == set()


# --- banks and quizzes --------------------------------------------------------------------------

def test_every_bank_and_quiz_of_the_package_is_in_the_table():
    banks = {p.stem for p in (PACKAGE / "exercises" / "bank").glob("*.py") if not p.stem.startswith("_")}
    quizzes = {p.stem for p in (PACKAGE / "page" / "quizzes").glob("*.json")}
    assert banks == {p.bank for p in chapters.PAGES if p.bank}
    assert quizzes == {p.quiz for p in chapters.PAGES if p.quiz}


@pytest.mark.parametrize("page", chapters.chapters(), ids=lambda p: p.stem)
def test_bank_quiz_and_exercise_ids_belong_to_their_chapter(page):
    bank = importlib.import_module(chapters.bank_module(page))
    assert bank.CHAPTER == page.number, f"{bank.__name__} says chapter {bank.CHAPTER}"
    assert chapters.quiz_file(page).is_file()
    text = (ROOT / page.page).read_text(encoding="utf-8")
    assert f'quiz("{page.quiz}")' in text, f"{page.stem} does not show its quiz {page.quiz!r}"
    ids = set(re.findall(r'(?:check|ExerciseWidget)\("([a-z0-9-]+)\.[a-z0-9-]+"', text))
    assert ids <= {page.slug}, f"{page.stem} checks exercises of other slugs: {sorted(ids - {page.slug})}"


QUESTION_MODULES = ["graph", "autodiff", "backprop_steps", "matrix_backprop"] + [
    f"{pkg}.{p.stem}" for pkg in ("symbolic", "diagnostics") for p in sorted((PACKAGE / pkg).glob("*.py"))
    if p.stem != "__init__"]


@pytest.mark.parametrize("module", QUESTION_MODULES)
def test_the_modules_split_by_job_say_which_chapter_and_which_question(module):
    """The first line reads "Chapter N: <the question the module answers>?"."""
    first = importlib.import_module(f"nnbook.{module}").__doc__.strip().splitlines()[0]
    assert re.match(r"Chapters? \d+", first) and "?" in first, f"nnbook.{module}: {first!r}"
    package = module.split(".")[0]
    for n in named_chapters(first):
        assert package in chapters.get(n).modules, f"nnbook.{module} names chapter {n}, which does not import it"
