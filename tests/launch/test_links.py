"""The links `python -m nnbook.publish.notebooks --nbgitpuller HUB` and `--links` print open the
generated notebooks of this repository, as the theme's own launch buttons do (read back with
the launch-link reader of test_launch_urls.py)."""

from __future__ import annotations

from pathlib import Path

import pytest
from test_launch_urls import launch_target

from nnbook.publish import notebooks

ROOT = Path(__file__).resolve().parents[2]
HUB = "https://hub.example.edu"


def test_nbgitpuller_links_open_every_chapter_and_its_student_edition():
    rows = notebooks.links(ROOT, HUB)
    opened = {launch_target(link) for _, _, link in rows}
    for page in notebooks.notebook_pages(ROOT):
        assert ("jupyterhub", f"book/{page.stem}.ipynb") in opened
    for student in sorted((ROOT / "student").glob("*.ipynb")):
        assert ("jupyterhub", f"student/{student.name}") in opened
    assert ("jupyterhub", "student") in opened, "a link to the whole student edition"
    for _, _, link in rows:
        kind, path = launch_target(link)
        assert path in ("book", "student") or (ROOT / path).is_file(), link


def test_binder_and_colab_links_of_the_student_edition():
    rows = notebooks.links(ROOT)
    opened = {launch_target(link) for _, _, link in rows}
    assert ("binder", "student/ch10_backprop.ipynb") in opened
    assert ("colab", "student/ch10_backprop.ipynb") in opened
    assert ("binder", "book/ch10_backprop.ipynb") in opened


def test_command_line_prints_the_hub_links_and_needs_an_address(capsys):
    assert notebooks.main(["--nbgitpuller", HUB]) == 0
    out = capsys.readouterr().out
    assert "student edition, JupyterHub" in out and f"{HUB}/hub/user-redirect/git-pull?" in out
    configured = notebooks._hub_from_config(ROOT)
    if not configured:
        assert notebooks.main(["--nbgitpuller"]) == 2
        assert "No JupyterHub address" in capsys.readouterr().err
    else:                                           # pragma: no cover - the book has no hub today
        pytest.skip("launch_buttons.jupyterhub_url is set")
