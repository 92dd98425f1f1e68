"""In a real kernel: check() shows its result once, widgets and quizzes produce the right outputs."""

import json

import nbformat
from exercise_system import FIXTURE_EXERCISES
from nbclient import NotebookClient

from nnbook.page import quiz as quiz_module


def test_notebook_with_check_widget_and_quiz(tmp_path, monkeypatch):
    questions = [{"question": "Pick the secret", "type": "multiple_choice",
                  "answers": [{"answer": "SECRET-ANSWER", "correct": True, "feedback": "SECRET-FEEDBACK"},
                              {"answer": "other", "correct": False}]}]
    (tmp_path / "demo.json").write_text(json.dumps(quiz_module.encode_questions(questions, "demo")))
    monkeypatch.setenv("NNBOOK_EXTRA_EXERCISES", str(FIXTURE_EXERCISES))
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in [
        "from nnbook.exercises import check, progress\nfrom nnbook.exercises.widgets import ExerciseWidget",
        "def scale(x, a):\n    return a * x\nr = check('testing.scale', scale)\nr",  # shown once, not twice
        "check('testing.scale', lambda x, a: -a * x)\ncheck('testing.eta', 0.25)",  # two results in one cell
        "ExerciseWidget('testing.eta')",
        f"import nnbook.page.quiz as q, pathlib\nq.QUIZ_DIR = pathlib.Path({str(tmp_path)!r})\nq.quiz('demo')",
        "progress(99)",
    ]]
    NotebookClient(nb, timeout=60, kernel_name="python3").execute()
    outs = [c.outputs for c in nb.cells]
    html = [[o for o in out if "text/html" in o.get("data", {})] for out in outs]
    assert len(html[1]) == 1 and "2 / 2 points" in html[1][0]["data"]["text/html"]
    assert len(html[2]) == 2 and "You flipped the sign" in html[2][0]["data"]["text/html"]
    assert any("application/vnd.jupyter.widget-view+json" in o.get("data", {}) for o in outs[3])
    mimes = [m for o in outs[4] for m in o.get("data", {})]
    assert "text/html" in mimes and "application/javascript" in mimes
    page = json.dumps(outs[4])
    assert "SECRET-ANSWER" not in page and "SECRET-FEEDBACK" not in page
    assert "testing.scale" in outs[5][0]["data"]["text/html"]
