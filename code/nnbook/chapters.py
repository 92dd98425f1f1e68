"""The book's chapter table: for every page, its number, slug, file, the modules it imports, its exercise bank and quiz.

One table instead of a parser of ``_toc.yml`` in every tool: the student edition
(:func:`nnbook.grade.student.find_pages`), the page tests and the browser tests read the
pages from here, in reading order. ``tests/project/test_chapters.py`` checks it both ways:
the table lists exactly the pages of ``_toc.yml``, in order and with their numbers; every
module it names exists and is imported by its page; every module of the package names its
chapter(s) in the first line of its docstring and appears here under them; every bank and
quiz exists and belongs to its chapter.

The **slug** names a chapter's exercise bank (``nnbook/exercises/bank/<slug>.py``), its
exercise IDs (``"<slug>.<name>"``, stable: progress files and grade sheets use them) and
its quiz (``nnbook/page/quizzes/<slug>.json``). It is the page name (``ch10_backprop`` ->
``backprop``) except for five chapters whose slugs were fixed before their pages were
named; the table records both, and the slugs stay, because exercise IDs are graded:

=========================  ==========
page                       slug
=========================  ==========
ch07_error_surface         surface
ch08_gradient_descent      gd
ch09_chain_rule            chain
ch11_matrix_backprop       matrix
ch12_softmax_ce            softmax
=========================  ==========

Pure data and small helpers; imports nothing of nnbook (``modules`` are names, relative to
``nnbook``: ``"hessian"`` is :mod:`nnbook.hessian`).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Optional, Tuple

__all__ = ["Page", "PAGES", "chapters", "get", "find", "page_paths", "docnames", "quiz_file", "bank_module"]


@dataclass(frozen=True)
class Page:
    """One page of the book.

    Attributes
    ----------
    number : int or None
        The chapter number; None for the introduction and the appendices.
    slug : str
        The chapter's slug (bank, exercise IDs, quiz); for an unnumbered page its file name.
    page : str
        The MyST source, relative to the repository root (``"book/ch10_backprop.md"``).
    modules : tuple of str
        The modules of the lectures' mathematics the page imports, relative to ``nnbook``
        (the page furniture, exercises and grader are not listed).
    bank : str or None
        The exercise bank, ``nnbook.exercises.bank.<bank>`` (the slug), or None.
    quiz : str or None
        The quiz slug, ``nnbook/page/quizzes/<quiz>.json``, or None.
    """

    number: Optional[int]
    slug: str
    page: str
    modules: Tuple[str, ...] = ()
    bank: Optional[str] = None
    quiz: Optional[str] = None

    @property
    def stem(self) -> str:
        """The page's file name without suffix (``"ch10_backprop"``)."""
        return Path(self.page).stem

    @property
    def docname(self) -> str:
        """The page as Sphinx names it (``"book/ch10_backprop"``)."""
        return self.page[: -len(Path(self.page).suffix)]

    @property
    def page_name(self) -> str:
        """The page's name after the chapter number (``"error_surface"`` for chapter 7)."""
        return self.stem.split("_", 1)[1] if self.number is not None else self.stem


def _chapter(number, slug, name, modules, quiz=True):
    return Page(number, slug, f"book/ch{number:02d}_{name}.md", tuple(modules), slug, slug if quiz else None)


#: Every page in reading order: the introduction, chapters 1-17 (parts I-V), the appendices.
PAGES: Tuple[Page, ...] = (
    Page(None, "intro", "book/intro.md", ("gradcheck", "networks", "optim")),
    # Part I — Networks as functions
    _chapter(1, "features", "features", ["data", "features", "networks", "optim"]),
    _chapter(2, "neurons", "neurons", ["activations", "gradcheck", "networks", "neuron", "symbolic"]),
    _chapter(3, "feedforward", "feedforward", ["activations", "gradcheck", "losses", "networks", "neuron"]),
    _chapter(4, "universal", "universal", ["activations", "approximation", "data", "hessian", "losses",
                                           "networks", "neuron", "optim", "symmetry"]),
    _chapter(5, "symmetry", "symmetry", ["approximation", "data", "hessian", "networks", "optim", "surface",
                                         "symmetry"]),
    # Part II — Training
    _chapter(6, "errors", "errors", ["activations", "approximation", "data", "gradcheck", "losses", "networks",
                                     "surface"]),
    _chapter(7, "surface", "error_surface", ["approximation", "data", "gradcheck", "hessian", "networks",
                                             "surface"]),
    _chapter(8, "gd", "gradient_descent", ["data", "gradcheck", "hessian", "networks", "optim"]),
    # Part III — Backpropagation
    _chapter(9, "chain", "chain_rule", ["gradcheck", "graph"]),
    _chapter(10, "backprop", "backprop", ["backprop_steps", "data", "gradcheck", "networks", "optim"]),
    _chapter(11, "matrix", "matrix_backprop", ["activations", "autodiff", "data", "gradcheck", "lab", "losses",
                                               "matrix_backprop", "networks"]),
    _chapter(12, "softmax", "softmax_ce", ["activations", "gradcheck", "losses", "symbolic"]),
    _chapter(13, "efficiency", "efficiency", ["diagnostics", "gradcheck", "lab", "networks"]),
    _chapter(14, "vanishing", "vanishing", ["activations", "data", "diagnostics", "gradcheck", "networks",
                                            "optim", "symbolic"]),
    # Part IV — Beyond the gradient
    _chapter(15, "jacobian", "jacobian", ["data", "gradcheck", "hessian", "jacobian", "networks", "optim"]),
    _chapter(16, "hessian", "hessian", ["data", "diagnostics", "gradcheck", "hessian", "networks", "optim"]),
    # Part V — Lab
    _chapter(17, "mnist", "mnist", ["activations", "data", "gradcheck", "lab", "losses", "networks",
                                    "symbolic"]),
    # Appendices
    Page(None, "appendix_notation", "book/appendix_notation.md", ("gradcheck", "networks")),
    Page(None, "appendix_glossary", "book/appendix_glossary.md"),
    Page(None, "appendix_exercises", "book/appendix_exercises.md"),
    Page(None, "appendix_instructors", "book/appendix_instructors.md"),
    Page(None, "appendix_references", "book/appendix_references.md"),
)


def chapters() -> Tuple[Page, ...]:
    """The numbered chapters, 1 to 17."""
    return tuple(p for p in PAGES if p.number is not None)


def get(key) -> Page:
    """A page by chapter number (``10``), slug (``"backprop"``) or page stem (``"ch10_backprop"``)."""
    for p in PAGES:
        if key in (p.number, p.slug, p.stem) or (isinstance(key, str) and key.isdigit() and int(key) == p.number):
            return p
    raise KeyError(f"no chapter {key!r}: give a number 1-{len(chapters())}, a slug "
                   f"({', '.join(p.slug for p in chapters())}) or a page name")


def find(key) -> Optional[Page]:
    """Like :func:`get`, but None for an unknown key."""
    try:
        return get(key)
    except KeyError:
        return None


def page_paths(root) -> list:
    """The pages' files under the repository ``root``, in reading order (those that exist)."""
    root = Path(root)
    return [root / p.page for p in PAGES if (root / p.page).is_file()]


def docnames() -> list:
    """The pages as Sphinx names them (``"book/intro"``, ...), in reading order."""
    return [p.docname for p in PAGES]


def quiz_file(page: Page) -> Optional[Path]:
    """The quiz file of a page inside the installed package, or None."""
    return None if page.quiz is None else Path(__file__).parent / "page" / "quizzes" / f"{page.quiz}.json"


def bank_module(page: Page) -> Optional[str]:
    """The dotted name of a page's exercise bank, or None."""
    return None if page.bank is None else f"nnbook.exercises.bank.{page.bank}"
