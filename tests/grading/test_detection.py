"""Which chapters a notebook is graded on, and how submissions are named (no kernels)."""

import nbformat

from nnbook.grade.submissions import detect_chapters, find_submissions, mentioned_ids


def _nb(cells, meta=None):
    nb = nbformat.v4.new_notebook()
    if meta:
        nb.metadata["nnbook"] = meta
    nb.cells = [nbformat.v4.new_code_cell(c) for c in cells]
    return nb


def test_forced_chapter_wins(tmp_path):
    nb = _nb(["check('testing.scale', scale)"], {"chapters": [1]})
    assert detect_chapters(nb, tmp_path / "x.ipynb", ["testing"]) == ([99], "--chapter")
    assert detect_chapters(nb, tmp_path / "x.ipynb", ["7"]) == ([7], "--chapter")


def test_metadata_then_ids_then_file_name(tmp_path):
    assert detect_chapters(_nb([], {"chapters": [99]}), tmp_path / "x.ipynb") == ([99], "metadata")
    ids = _nb(["check( 'testing.eta', eta_max)", 'ExerciseWidget("testing.knob")'])
    assert detect_chapters(ids, tmp_path / "x.ipynb") == ([99], "exercise ids")
    assert detect_chapters(_nb(["x = 1"]), tmp_path / "testing.ipynb") == ([99], "file name")
    assert detect_chapters(_nb(["x = 1"]), tmp_path / "notes.ipynb") == ([], "")


def test_placeholders_of_the_student_edition_name_their_exercise():
    nb = _nb(['def scale(x, a):\n    raise NotImplementedError("Exercise testing.scale: write your solution here")'])
    assert mentioned_ids(nb) == ["testing.scale"]


def test_submission_names_are_unique(tmp_path):
    for who in ("alice", "bob"):
        (tmp_path / who).mkdir()
        (tmp_path / who / "ch99.ipynb").write_text("{}")
    (tmp_path / "bob" / ".ipynb_checkpoints").mkdir()
    (tmp_path / "bob" / ".ipynb_checkpoints" / "ch99-checkpoint.ipynb").write_text("{}")
    subs = find_submissions([tmp_path])
    assert sorted(s.name for s in subs) == ["alice__ch99", "bob__ch99"]
