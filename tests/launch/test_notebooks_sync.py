"""The launch notebooks book/<page>.ipynb (what Binder, Colab and a JupyterHub open) are
exactly what `make notebooks` generates from the MyST pages, and their Colab-only first cell
installs the package on Colab and does nothing anywhere else.

These tests need no built site and no Binder venv (they take about two seconds).
"""

from __future__ import annotations

import subprocess
import sys
import types
from pathlib import Path

import jupytext
import nbformat
import pytest

from nnbook.publish import notebooks

ROOT = Path(__file__).resolve().parents[2]
FIX = "run `make notebooks` (python -m nnbook.publish.notebooks) and commit book/*.ipynb"


@pytest.fixture(scope="module")
def regenerated(tmp_path_factory):
    out = tmp_path_factory.mktemp("notebooks")
    written = notebooks.write(ROOT, out)
    return out, written


def test_every_notebook_page_has_a_launch_notebook_generated_into_book(regenerated):
    out, written = regenerated
    pages = notebooks.notebook_pages(ROOT)
    assert pages, "no notebook pages found in _toc.yml"
    assert sorted(p.relative_to(out) for p in written) == sorted(
        notebooks.notebook_path(p).relative_to(ROOT) for p in pages)


def test_committed_launch_notebooks_equal_freshly_generated_ones_byte_for_byte(regenerated):
    out, written = regenerated
    stale = []
    for fresh in written:
        rel = fresh.relative_to(out)
        committed = ROOT / rel
        if not committed.is_file():
            stale.append(f"{rel.as_posix()} is missing")
        elif committed.read_bytes() != fresh.read_bytes():
            stale.append(f"{rel.as_posix()} differs from what its page {rel.with_suffix('.md').as_posix()} gives")
    assert not stale, "The launch notebooks are out of date: " + FIX + "\n" + "\n".join(stale)


def test_book_folder_has_no_notebook_without_a_page():
    expected = {notebooks.notebook_path(p).name for p in notebooks.notebook_pages(ROOT)}
    extra = sorted(p.name for p in (ROOT / "book").glob("*.ipynb") if p.name not in expected)
    assert not extra, (f"book/ holds notebooks that no page of _toc.yml generates: {extra}. The pages are the "
                       f"MyST .md files; remove these (make notebooks removes generated ones).")


def test_check_mode_reports_in_sync():
    assert notebooks.out_of_date(ROOT) == [], FIX


def test_check_mode_reports_an_edited_page(tmp_path):
    """A page edited without regenerating its notebook is reported (a copy of the repository)."""
    for name in ("_toc.yml", "_config.yml"):
        (tmp_path / name).write_text((ROOT / name).read_text(encoding="utf-8"), encoding="utf-8")
    (tmp_path / "book").mkdir()
    page = notebooks.notebook_pages(ROOT)[0]
    (tmp_path / "book" / page.name).write_text(page.read_text(encoding="utf-8"), encoding="utf-8")
    for p in notebooks.notebook_pages(ROOT)[1:]:           # the others are missing
        assert not (tmp_path / "book" / p.name).exists()
    notebooks.write(tmp_path)
    assert notebooks.out_of_date(tmp_path) == []
    copy = tmp_path / "book" / page.name
    copy.write_text(copy.read_text(encoding="utf-8") + "\nOne more sentence.\n", encoding="utf-8")
    assert notebooks.out_of_date(tmp_path) == [
        f"book/{page.stem}.ipynb differs from its page book/{page.name}"]


def test_generation_is_deterministic():
    page = notebooks.notebook_pages(ROOT)[1]
    first = notebooks.render(notebooks.launch_notebook(page, ROOT))
    second = notebooks.render(notebooks.launch_notebook(page, ROOT))
    assert first == second
    nb = nbformat.reads(first, as_version=4)
    assert len({c.id for c in nb.cells}) == len(nb.cells), "cell ids must be unique"


@pytest.mark.parametrize("page", notebooks.notebook_pages(ROOT), ids=lambda p: p.stem)
def test_launch_notebook_is_the_page_plus_one_colab_cell_without_outputs(page):
    nb = nbformat.read(str(notebooks.notebook_path(page)), as_version=4)
    nbformat.validate(nb)
    source = jupytext.read(page)
    assert [(c.cell_type, c.source) for c in nb.cells[1:]] == [(c.cell_type, c.source) for c in source.cells]
    assert notebooks.COLAB_TAG in nb.cells[0].metadata.get("tags", [])
    assert all(not c.get("outputs") and c.get("execution_count") is None for c in nb.cells if c.cell_type == "code")
    assert nb.metadata.kernelspec.name == source.metadata["kernelspec"]["name"]
    assert nb.metadata[notebooks.META_KEY]["source"] == f"book/{page.name}"
    assert "jupytext" not in nb.metadata, "no jupytext pairing metadata: the .ipynb is not paired with the .md"


def _colab_cell() -> str:
    page = notebooks.notebook_pages(ROOT)[0]
    return nbformat.read(str(notebooks.notebook_path(page)), as_version=4).cells[0].source


def test_colab_cell_does_nothing_outside_colab(monkeypatch, capsys):
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda *a, **k: calls.append(a))
    monkeypatch.delitem(sys.modules, "google.colab", raising=False)
    exec(compile(_colab_cell(), "colab-cell", "exec"), {})
    assert calls == [] and capsys.readouterr().out == ""


def test_colab_cell_on_colab_pip_installs_the_package_from_the_configured_repository(monkeypatch, capsys):
    url, branch = notebooks.repository(ROOT)
    calls = []
    monkeypatch.setattr(subprocess, "run", lambda args, **k: calls.append((args, k)))
    monkeypatch.setitem(sys.modules, "google.colab", types.ModuleType("google.colab"))
    exec(compile(_colab_cell(), "colab-cell", "exec"), {})
    assert len(calls) == 1
    args, kwargs = calls[0]
    assert args[:4] == [sys.executable, "-m", "pip", "install"]
    assert args[-1] == f"nnbook[pages] @ git+{url}@{branch}#subdirectory=code"
    assert kwargs.get("check") is True
    assert "nnbook is installed" in capsys.readouterr().out


def test_colab_requirement_names_the_package_folder_of_this_repository():
    """`#subdirectory=code` must be where the package's pyproject.toml is, named nnbook."""
    import tomllib

    project = tomllib.loads((ROOT / "code" / "pyproject.toml").read_text(encoding="utf-8"))["project"]
    assert project["name"] == "nnbook"
    assert "#subdirectory=code" in _colab_cell()
