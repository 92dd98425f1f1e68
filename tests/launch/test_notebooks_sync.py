"""The generated notebooks (what Binder, Colab and a JupyterHub open) are exactly what
`make notebooks` generates from the MyST pages, read as plain Markdown in any Jupyter, skip
the reference solutions on Run All, and their first cell installs the package on Colab only.

book/<page>.ipynb (the reader's notebooks), student/<page>.ipynb (the student edition) and
binder/colab-constraints.txt are checked byte for byte against a fresh generation that takes
the glued values stored in the committed notebooks (it never executes a page). These tests
need no built site and no Binder venv.
"""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import types
from pathlib import Path

import jupytext
import nbformat
import pytest

from nnbook.publish import glue_values, notebooks, plain_markdown

ROOT = Path(__file__).resolve().parents[2]
FIX = "run `make notebooks` (python -m nnbook.publish.notebooks) and commit book/*.ipynb and student/*.ipynb"
PAGES = notebooks.notebook_pages(ROOT)


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("notebooks")
    written = notebooks.write(ROOT, out, sources=notebooks.CHECK_SOURCES)
    return out, written


def _generated(path: Path):
    return nbformat.read(str(path), as_version=4)


# ------------------------------------------------------------------------------ in sync


def test_every_notebook_page_has_a_reader_notebook_and_every_page_with_exercises_a_student_one(regenerated):
    out, written = regenerated
    assert PAGES, "no notebook pages found in _toc.yml"
    rel = {p.relative_to(out) for p in written}
    for page in PAGES:
        assert notebooks.notebook_path(page).relative_to(ROOT) in rel
    students = {p for p in rel if p.parts[0] == notebooks.STUDENT_DIR}
    chapters = [p for p in PAGES if p.stem.startswith("ch")]
    assert {Path("student") / f"{p.stem}.ipynb" for p in chapters} <= students, "every chapter has exercises"
    assert Path(notebooks.COLAB_CONSTRAINTS) in rel


def test_committed_files_equal_freshly_generated_ones_byte_for_byte(regenerated):
    out, written = regenerated
    stale = []
    for fresh in written:
        rel = fresh.relative_to(out)
        committed = ROOT / rel
        if not committed.is_file():
            stale.append(f"{rel.as_posix()} is missing")
        elif committed.read_bytes() != fresh.read_bytes():
            stale.append(f"{rel.as_posix()} differs from what its source gives")
    assert not stale, "The generated notebooks are out of date: " + FIX + "\n" + "\n".join(stale)


def test_book_and_student_folders_hold_no_notebook_without_a_page():
    expected = {notebooks.notebook_path(p).name for p in PAGES}
    extra = sorted(p.name for p in (ROOT / "book").glob("*.ipynb") if p.name not in expected)
    extra += sorted(f"student/{p.name}" for p in (ROOT / "student").glob("*.ipynb") if p.name not in expected)
    assert not extra, (f"notebooks that no page of _toc.yml generates: {extra}. The pages are the MyST .md files; "
                       f"remove these (make notebooks removes generated ones).")


def test_check_mode_reports_in_sync():
    assert notebooks.out_of_date(ROOT) == [], FIX


@pytest.fixture()
def repo_copy(tmp_path):
    """The sources of the notebooks and the committed notebooks, in a folder of their own."""
    for name in ("_toc.yml", "_config.yml", "constraints.txt"):
        shutil.copy2(ROOT / name, tmp_path / name)
    shutil.copytree(ROOT / "book", tmp_path / "book", ignore=shutil.ignore_patterns("_static", "*.ipynb_checkpoints"))
    shutil.copytree(ROOT / "student", tmp_path / "student")
    (tmp_path / "binder").mkdir()
    shutil.copy2(ROOT / notebooks.COLAB_CONSTRAINTS, tmp_path / notebooks.COLAB_CONSTRAINTS)
    return tmp_path


def test_check_mode_reports_an_edited_page_and_stale_glue(repo_copy):
    assert notebooks.out_of_date(repo_copy) == []
    page = repo_copy / "book" / "ch02_neurons.md"
    page.write_text(page.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert notebooks.out_of_date(repo_copy) == ["book/ch02_neurons.ipynb differs from what its source gives",
                                                "student/ch02_neurons.ipynb differs from what its source gives"]
    # other code: the stored glue values no longer fit, and checking never runs the page
    page.write_text(page.read_text(encoding="utf-8") + "\n```{code-cell} ipython3\nx = 1\n```\n", encoding="utf-8")
    problems = notebooks.out_of_date(repo_copy)
    assert len(problems) == 1 and "ch02_neurons.ipynb: no glued values for the code" in problems[0]


def test_writing_takes_glued_values_from_the_build_when_its_code_is_the_pages(repo_copy):
    page = repo_copy / "book" / "ch02_neurons.md"
    stored = json.loads((repo_copy / "book" / "ch02_neurons.ipynb").read_text(encoding="utf-8"))
    values = stored["metadata"]["nnbook"]["glue"]["values"]
    key = next(iter(values))
    # a build's executed notebook of this code, with one value changed
    executed = jupytext.reads(page.read_text(encoding="utf-8"), fmt="md:myst")
    built = {k: dict(v) for k, v in values.items()}
    built[key]["text/plain"] = "123456"
    first_code = next(c for c in executed.cells if c.cell_type == "code")
    first_code.outputs = [nbformat.v4.new_output(
        "display_data", data={glue_values.PREFIX + m: v for m, v in bundle.items()},
        metadata={"scrapbook": {"name": k, "mime_prefix": glue_values.PREFIX}}) for k, bundle in built.items()]
    target = glue_values.executed_path(repo_copy, page)
    target.parent.mkdir(parents=True)
    nbformat.write(executed, str(target))
    # stored values come first; --refresh-glue (no "stored") takes the build's
    assert notebooks.out_of_date(repo_copy) == []
    notebooks.write(repo_copy, sources=("build", "stored"))
    fresh = json.loads((repo_copy / "book" / "ch02_neurons.ipynb").read_text(encoding="utf-8"))
    assert fresh["metadata"]["nnbook"]["glue"]["values"][key]["text/plain"] == "123456"


def test_generation_is_deterministic():
    page = PAGES[1]
    first = notebooks.render(notebooks.launch_notebook(page, ROOT))
    second = notebooks.render(notebooks.launch_notebook(page, ROOT))
    assert first == second
    nb = nbformat.reads(first, as_version=4)
    assert len({c.id for c in nb.cells}) == len(nb.cells), "cell ids must be unique"


# ------------------------------------------------------------------------- what they hold


def _page_cells(page):
    return jupytext.read(page).cells


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_reader_notebook_is_the_pages_code_with_plain_markdown_and_no_outputs(page):
    nb = _generated(notebooks.notebook_path(page))
    nbformat.validate(nb)
    assert notebooks.COLAB_TAG in nb.cells[0].metadata.get("tags", [])
    code = [c.source for c in nb.cells[1:] if c.cell_type == "code"]
    unguarded = [s.split("\n", 1)[1] if s.startswith("%%solution ") else s for s in code]
    assert unguarded == [c.source for c in _page_cells(page) if c.cell_type == "code"]
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    source = jupytext.read(page)
    assert nb.metadata.kernelspec == source.metadata["kernelspec"]
    assert nb.metadata[notebooks.META_KEY]["source"] == f"book/{page.name}"
    assert "jupytext" not in nb.metadata, "no jupytext pairing metadata: the .ipynb is not paired with the .md"
    glue = nb.metadata[notebooks.META_KEY].get("glue")
    if glue:
        assert glue["code"] == glue_values.code_digest(source), "glued values of other code: " + FIX


def _all_generated() -> list[Path]:
    return sorted([notebooks.notebook_path(p) for p in PAGES] + list((ROOT / "student").glob("*.ipynb")))


@pytest.mark.parametrize("path", _all_generated(), ids=lambda p: f"{p.parent.name}/{p.stem}")
def test_no_raw_myst_is_left_in_the_markdown(path):
    """Directive fences, directive options, roles, targets, glue references: zero."""
    nb = _generated(path)
    found = {}
    for i, cell in enumerate(nb.cells):
        if cell.cell_type != "markdown":
            continue
        for kind, n in plain_markdown.raw_myst(cell.source).items():
            if n:
                found.setdefault(kind, []).append(i)
    assert not found, f"{path.relative_to(ROOT)}: raw MyST left in Markdown cells: {found}"


def test_the_raw_myst_count_sees_what_the_pages_hold():
    totals: dict = {}
    for page in PAGES:
        for cell in _page_cells(page):
            if cell.cell_type == "markdown":
                for kind, n in plain_markdown.raw_myst(cell.source).items():
                    totals[kind] = totals.get(kind, 0) + n
    assert all(totals.get(k, 0) > 0 for k in ("directive fences", "directive options", "roles", "glue references")), totals


def test_cross_references_become_links_into_the_online_book_with_the_books_numbers():
    nb = _generated(ROOT / "book" / "ch11_matrix_backprop.ipynb")
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    base = plain_markdown.base_url(notebooks._config(ROOT))
    assert base == "https://nnbook.github.io/feedforward-backprop/"
    assert f"[Exercise 11.1]({base}book/ch11_matrix_backprop.html#matrix-grad-w1)" in text
    assert "**Exercise 11.1 (The gradient of the first layer)**" in text
    assert f"]({base}book/ch10_backprop.html)" in text            # a {doc} link, with the page's title
    assert "## References" in text and "[BPRS18]" in text


def test_glued_numbers_are_the_stored_values_formatted_as_myst_nb_formats_them():
    page = ROOT / "book" / "intro.md"
    nb = _generated(notebooks.notebook_path(page))
    values = nb.metadata[notebooks.META_KEY]["glue"]["values"]
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    from myst_nb.core.variables import format_plain_text

    assert f"has {format_plain_text(values['intro_n_params']['text/plain'], 's')} adaptive parameters" in text
    assert format_plain_text(values["intro_max_diff"]["text/plain"], ".1e") in text


def test_code_cell_folding_follows_the_books_tags():
    nb = _generated(ROOT / "book" / "ch11_matrix_backprop.ipynb")
    for cell in nb.cells:
        tags = cell.metadata.get("tags", [])
        if "remove-input" in tags or "hide-input" in tags:
            assert cell.metadata["jupyter"]["source_hidden"] is True
        if "hide-output" in tags:
            assert cell.metadata["jupyter"]["outputs_hidden"] is True


# ---------------------------------------------------------------------- solutions, editions


def test_solution_cells_are_folded_guarded_and_announced():
    nb = _generated(ROOT / "book" / "ch11_matrix_backprop.ipynb")
    guarded = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("%%solution ")]
    assert guarded and all(c.metadata["jupyter"]["source_hidden"] for c in guarded)
    assert guarded[0].source.startswith("%%solution exercise 11.1\ndef grad_W1(")
    i = nb.cells.index(guarded[0])
    note = nb.cells[i - 1].source
    assert note.startswith("**Solution to Exercise 11.1 (The gradient of the first layer)**") and "Run All" in note
    checks = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith('check("matrix.grad-w1"')]
    assert checks and not checks[0].source.startswith("%%")


def test_student_edition_has_no_reference_solution_and_plain_markdown():
    nb = _generated(ROOT / "student" / "ch11_matrix_backprop.ipynb")
    code = "\n".join(c.source for c in nb.cells[1:] if c.cell_type == "code")
    assert 'raise NotImplementedError("Exercise matrix.grad-w1: write your solution here")' in code
    assert "np.maximum(A, 0) @ W2" not in code and "%%solution" not in code
    text = "\n".join(c.source for c in nb.cells if c.cell_type == "markdown")
    assert "**Exercise 11.1 (The gradient of the first layer)**" in text and "Solution to" not in text
    meta = nb.metadata[notebooks.META_KEY]
    assert meta["edition"] == "student" and meta["chapters"] == [11] and meta["source"] == "book/ch11_matrix_backprop.md"


@pytest.fixture()
def shell():
    from IPython.core.interactiveshell import InteractiveShell

    ip = InteractiveShell.instance()
    yield ip
    InteractiveShell.clear_instance()


def _run(ip, source):
    result = ip.run_cell(source)
    assert result.error_in_exec is None and result.error_before_exec is None, result
    return result


def test_setup_cell_registers_solution_and_run_all_skips_the_reference(shell, capsys, monkeypatch):
    monkeypatch.delenv("NNBOOK_SOLUTIONS", raising=False)
    nb = _generated(ROOT / "book" / "ch11_matrix_backprop.ipynb")
    _run(shell, nb.cells[0].source)
    assert capsys.readouterr().out == ""
    solution = next(c.source for c in nb.cells if c.cell_type == "code" and c.source.startswith("%%solution exercise 11.1"))
    _run(shell, "import numpy as np")
    _run(shell, solution)
    out = capsys.readouterr().out
    assert "Reference solution of exercise 11.1: not run" in out and "grad_W1()" in out
    with pytest.raises(NotImplementedError, match="Exercise 11.1: write your solution here"):
        shell.user_ns["grad_W1"](None, None, None, None)
    # a function the student wrote is not replaced by the placeholder
    _run(shell, "def grad_W1(X, y, W1, W2):\n    return 'mine'")
    _run(shell, solution)
    assert shell.user_ns["grad_W1"](1, 2, 3, 4) == "mine"
    # deleting the first line runs the reference; so does NNBOOK_SOLUTIONS=run
    monkeypatch.setenv("NNBOOK_SOLUTIONS", "run")
    _run(shell, "def softmax(z):\n    e = np.exp(z - z.max(axis=1, keepdims=True))\n    return e / e.sum(axis=1, keepdims=True)")
    _run(shell, solution)
    X, y = __import__("numpy").ones((2, 3)), __import__("numpy").array([0, 1])
    W1, W2 = __import__("numpy").ones((3, 4)), __import__("numpy").ones((4, 2))
    assert shell.user_ns["grad_W1"](X, y, W1, W2).shape == (3, 4)


def _setup_cell() -> str:
    return _generated(notebooks.notebook_path(PAGES[0])).cells[0].source


def test_setup_cell_installs_nothing_outside_colab(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a))
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(_setup_cell(), "setup-cell", "exec"), {})
    assert calls == [] and capsys.readouterr().out == ""


def test_setup_cell_on_colab_pip_installs_the_package_with_the_tested_versions(monkeypatch, capsys):
    import importlib.util

    url, branch = notebooks.repository(ROOT)
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda args, **k: calls.append((args, k)))
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    real = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "nnbook" else real(name, *a))
    exec(compile(_setup_cell(), "setup-cell", "exec"), {})
    assert len(calls) == 1
    args, kwargs = calls[0]
    assert args[:4] == [sys.executable, "-m", "pip", "install"]
    assert args[4:] == ["--quiet", f"nnbook[pages] @ git+{url}@{branch}#subdirectory=code", "-c",
                        f"https://raw.githubusercontent.com/nnbook/feedforward-backprop/{branch}/binder/colab-constraints.txt"]
    assert kwargs.get("check") is True
    assert "restart the session" in capsys.readouterr().out     # numpy was imported before: Colab must restart


def test_colab_constraints_are_constraints_txt_without_colabs_kernel():
    text = (ROOT / notebooks.COLAB_CONSTRAINTS).read_text(encoding="utf-8")
    pins = {notebooks._norm(line.split("==")[0]): line.split("==")[1]
            for line in text.splitlines() if line and not line.startswith("#")}
    source = {notebooks._norm(line.split("==")[0]): line.split("==")[1]
              for line in (ROOT / "constraints.txt").read_text(encoding="utf-8").splitlines()
              if line and not line.startswith("#")}
    assert pins == {k: v for k, v in source.items() if k not in notebooks.COLAB_KERNEL_PACKAGES}
    assert {"numpy", "matplotlib", "ipywidgets", "myst-nb", "jupyterquiz", "sympy"} <= set(pins)
    assert notebooks.COLAB_KERNEL_PACKAGES <= set(source), "a kernel package that constraints.txt does not pin"


def test_colab_kernel_packages_are_what_ipykernel_needs():
    """The packages the Colab cell leaves alone: ipykernel and everything it requires (here)."""
    from importlib.metadata import requires

    from packaging.requirements import Requirement

    seen, todo = set(), ["ipykernel"]
    while todo:
        name = notebooks._norm(todo.pop())
        if name in seen:
            continue
        seen.add(name)
        for line in requires(name) or []:
            req = Requirement(line)
            if not req.marker or req.marker.evaluate({"extra": ""}):
                todo.append(req.name)
    missing = sorted(seen - notebooks.COLAB_KERNEL_PACKAGES)
    assert not missing, f"ipykernel needs {missing}: add them to COLAB_KERNEL_PACKAGES (Colab's kernel keeps its own)"


# ------------------------------------------------------------------------ saving in Jupyter


def test_jupyter_save_hook_keeps_generated_notebooks_clean():
    from nnbook.publish import jupyter_hooks

    path = notebooks.notebook_path(PAGES[1])
    text = path.read_text(encoding="utf-8")
    nb = json.loads(text)
    for cell in nb["cells"]:
        if cell["cell_type"] == "code":
            cell["outputs"] = [{"output_type": "stream", "name": "stdout", "text": "ran\n"}]
            cell["execution_count"] = 7
            cell["metadata"]["execution"] = {"iopub.status.busy": "2026-01-01"}
    nb["metadata"]["language_info"] = {"name": "python", "version": "3.11.2", "mimetype": "text/x-python"}
    model = {"type": "notebook", "path": "book/x.ipynb", "content": nb}
    jupyter_hooks.pre_save(model=model, path="book/x.ipynb", contents_manager=None)
    assert nbformat.writes(nbformat.from_dict(model["content"])) + "\n" == text
    other = {"type": "notebook", "content": {"metadata": {}, "cells": [{"cell_type": "code", "outputs": [1]}]}}
    jupyter_hooks.pre_save(model=other, path="mine.ipynb", contents_manager=None)
    assert other["content"]["cells"][0]["outputs"] == [1], "a student's own notebook keeps its outputs"


@pytest.mark.parametrize("page", PAGES, ids=lambda p: p.stem)
def test_saving_a_page_opened_with_jupytext_changes_nothing(page, tmp_path):
    """JupyterLab: Open With > Jupytext Notebook, then autosave, without an edit. The kernel's
    name is what ipykernel calls it; jupytext.toml at the root keeps jupytext_version out."""
    from ipykernel.kernelspec import get_kernel_dict
    from jupyter_server.services.contents.largefilemanager import LargeFileManager
    from jupytext.sync_contentsmanager import build_sync_jupytext_contents_manager_class

    shutil.copy2(ROOT / "jupytext.toml", tmp_path / "jupytext.toml")
    (tmp_path / "book").mkdir()
    shutil.copy2(page, tmp_path / "book" / page.name)
    manager = build_sync_jupytext_contents_manager_class(LargeFileManager)(root_dir=str(tmp_path))
    model = manager.get(f"book/{page.name}")
    model["content"]["metadata"]["kernelspec"] = {"display_name": get_kernel_dict()["display_name"],
                                                  "language": "python", "name": "python3"}
    model["content"]["metadata"]["language_info"] = {"name": "python", "version": "3.11.7"}
    manager.save(model, f"book/{page.name}")
    saved = (tmp_path / "book" / page.name).read_text(encoding="utf-8")
    original = page.read_text(encoding="utf-8")
    if saved != original:
        import difflib

        diff = "\n".join(difflib.unified_diff(original.splitlines(), saved.splitlines(), "page", "saved", n=1, lineterm=""))
        pytest.fail(f"{page.name} changes when JupyterLab saves it unedited. Let jupytext write it as it "
                    f"would: `.venv/bin/jupytext --to md:myst book/{page.name}` (jupytext.toml keeps the header)\n"
                    f"{diff[:2000]}", pytrace=False)
