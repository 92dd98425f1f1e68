"""MyST -> plain Markdown (nnbook.publish.plain_markdown): every construct the pages use, the
book's numbers, and a small Jupyter Book built by Sphinx to prove the numbers are the ones the
book shows."""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from nnbook.publish import plain_markdown as pm

ROOT = Path(__file__).resolve().parents[2]
BASE = "https://example.org/book/"

TOC = """\
format: jb-book
root: intro
parts:
  - caption: One
    numbered: true
    chapters:
      - file: first
      - file: second
  - caption: Two
    numbered: true
    chapters:
      - file: third
  - caption: Appendices
    chapters:
      - file: appendix
"""

PAGES = {
    "intro": "# Welcome\n\nSee {doc}`second` and {ref}`sec-target`.\n",
    "first": textwrap.dedent("""\
        # First chapter

        ```{exercise} Warm up
        :label: first-warm

        Compute $a_j$.
        ```

        ```{exercise}
        :label: first-plain

        No title here.
        ```
        """),
    "second": textwrap.dedent("""\
        # Second *chapter*

        (sec-target)=
        ## A section

        ```{prf:theorem} Big result
        :label: second-theorem

        It holds.
        ```

        ```{exercise} Second one
        :label: second-ex

        See {ref}`first-warm`, {numref}`second-ex` and {ref}`the theorem <second-theorem>`.
        ```
        """),
    "third": textwrap.dedent("""\
        # Third

        ```{exercise} Third's exercise
        :label: third-ex

        Text.
        ```
        """),
    "appendix": textwrap.dedent("""\
        # Appendix

        ```{exercise} In an appendix
        :label: app-ex

        Text.
        ```
        """),
}


@pytest.fixture(scope="module")
def book(tmp_path_factory):
    root = tmp_path_factory.mktemp("minibook")
    (root / "_toc.yml").write_text(TOC, encoding="utf-8")
    (root / "_config.yml").write_text(
        'title: Mini\nhtml:\n  baseurl: "https://example.org/book"\nsphinx:\n  extra_extensions:\n'
        "    - sphinx_exercise\n    - sphinx_proof\n", encoding="utf-8")
    for name, text in PAGES.items():
        (root / f"{name}.md").write_text(text, encoding="utf-8")
    return root


@pytest.fixture(scope="module")
def index(book):
    return pm.BookIndex.load(book)


def test_numbers_titles_and_links_of_a_small_book(index):
    assert index.base_url == BASE
    assert index.chapters == {"first": "1", "second": "2", "third": "3"}
    assert index.titles["second"] == "Second chapter"
    assert index.targets["first-warm"].text == "Exercise 1.1" and index.targets["first-plain"].number == "1.2"
    assert index.targets["second-ex"].number == "2.1" and index.targets["third-ex"].number == "3.1"
    assert index.targets["second-theorem"].text == "Theorem 2.1"
    assert index.targets["app-ex"].text == "Exercise 1"
    assert index.targets["sec-target"] == pm.Target("second", "sec-target", "section", "", "A section")


def test_exercise_theorem_and_references_convert_to_plain_markdown(index):
    out = pm.convert(PAGES["second"], index, "second")
    assert "**Theorem 2.1 (Big result).**" in out and "It holds." in out
    assert "**Exercise 2.1 (Second one)**" in out
    assert f"[Exercise 1.1]({BASE}first.html#first-warm)" in out
    assert f"[Exercise 2.1]({BASE}second.html#second-ex)" in out
    assert f"[the theorem]({BASE}second.html#second-theorem)" in out
    assert "(sec-target)=" not in out and "```" not in out and ":label:" not in out
    assert pm.raw_myst(out) == {k: 0 for k in pm.RAW_PATTERNS}
    intro = pm.convert(PAGES["intro"], index, "intro")
    assert f"[Second chapter]({BASE}second.html)" in intro and f"[A section]({BASE}second.html#sec-target)" in intro


def test_glue_roles_take_the_values_formatted_as_myst_nb_does(index):
    values = {"n": {"text/plain": "1234"}, "x": {"text/plain": "np.float64(0.012345)"},
              "s": {"text/plain": "'text'"}, "f": {"text/plain": "0.5"},
              "m": {"text/markdown": "$10^{3}$ and {doc}`first`", "text/plain": "<Markdown>"}}
    text = ("{glue:text}`n:,` {glue:text}`f:.0%` {glue:text}`s` {glue:text}`f:.3f` "
            "{glue:md}`m:myst` and `{glue:text}` in code")
    out = pm.convert(text, index, "first", lambda k: values[k])
    assert out == f"1,234 50% text 0.500 $10^{{3}}$ and [First chapter]({BASE}first.html) and `{{glue:text}}` in code"


def test_admonitions_solutions_citations_and_unknown_constructs(index):
    index.citations.setdefault("key2000", "Key00")
    index.bibliography.setdefault("key2000", "A. Key. *A book*. 2000.")
    index.references_doc = "appendix"
    out = pm.convert("```{warning}\nCareful: $x$.\n```\n\nAs in {cite}`key2000`.", index, "first")
    assert out.startswith("**Warning.** Careful: $x$.")
    assert f"[\\[Key00\\]]({BASE}appendix.html#bibliography)" in out
    sol = pm.convert("```{solution} first-warm\n:class: dropdown\n\nThe answer.\n```", index, "first")
    assert sol.startswith("<details><summary>Solution to Exercise 1.1 (Warm up)</summary>") and "</details>" in sol
    assert "**[Key00]** A. Key." in pm.reference_list(index, ["key2000"])
    with pytest.raises(pm.UnsupportedMyST, match="role {abc}"):
        pm.convert("{abc}`x`", index, "first")
    with pytest.raises(pm.UnsupportedMyST, match="directive {tab-set}"):
        pm.convert("```{tab-set}\nx\n```", index, "first")
    with pytest.raises(pm.UnsupportedMyST, match="no label 'nowhere'"):
        pm.convert("{ref}`nowhere`", index, "first")


def test_raw_myst_counts_each_kind():
    text = "```{note}\n:class: x\nbody {ref}`a`\n```\n(t)=\n{glue:text}`k`\n```python\n{ref}`in code`\n```"
    assert pm.raw_myst(text) == {"directive fences": 1, "directive options": 1, "roles": 2, "targets": 1,
                                 "glue references": 1}


def test_the_books_own_settings():
    import yaml

    config = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))
    assert pm.base_url(config) == "https://nnbook.github.io/feedforward-backprop/"
    assert pm.base_url({"repository": {"url": "https://github.com/Org/Repo"}}) == "https://org.github.io/Repo/"


@pytest.mark.slow
def test_sphinx_shows_the_same_numbers_and_anchors(book, index, tmp_path):
    """Build the small book with Jupyter Book and read the numbers it shows."""
    jb = Path(sys.executable).with_name("jupyter-book")
    out = tmp_path / "out"
    done = subprocess.run([str(jb), "build", str(book), "--path-output", str(out), "--builder", "html"],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    html = {name: (out / "_build" / "html" / f"{name}.html").read_text(encoding="utf-8") for name in PAGES}

    def text(page):
        return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html[page]))

    for label, target in index.targets.items():
        if target.kind == "section":
            continue
        assert f'id="{target.anchor}"' in html[target.docname], f"no anchor {target.anchor} in {target.docname}"
        shown = {"exercise": f"Exercise {target.number}", "theorem": f"Theorem {target.number}"}[target.kind]
        assert shown in text(target.docname), f"{target.docname} does not show {shown}"
    # the references of "second" read as the notebooks write them
    assert "Exercise 1.1" in text("second") and "Exercise 2.1" in text("second")
    shutil.rmtree(out, ignore_errors=True)
