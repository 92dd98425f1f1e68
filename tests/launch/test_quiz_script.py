"""The quiz script in a live notebook uses the page's MathJax and never a second one (issue:
jupyterquiz replaced JupyterLab's ``window.MathJax``, loaded MathJax from a CDN and threw on
every answer). The browser checks are in tests/browser/test_jupyterlab.py; these read the
script the kernel sends."""

from __future__ import annotations

import shutil
import subprocess

import pytest


@pytest.fixture()
def quiz_outputs(monkeypatch):
    import IPython.display
    import jupyterquiz.dynamic.display as shown_module

    from nnbook.page import quiz

    shown = []
    monkeypatch.setattr(IPython.display, "display", lambda *objs, **k: shown.extend(objs))
    monkeypatch.setattr(shown_module, "display", lambda *objs, **k: shown.extend(objs))
    quiz.quiz("matrix")
    return shown


def test_quiz_script_runs_in_its_own_function_with_a_mathjax_stand_in(quiz_outputs):
    scripts = [o.data for o in quiz_outputs if type(o).__name__ == "Javascript" and "show_questions" in o.data]
    assert len(scripts) == 1, "one jupyterquiz script per quiz"
    js = scripts[0]
    assert js.startswith("(function () {\n") and js.rstrip().endswith("})();")
    stand_in = js.index("var MathJax = (function () {")
    assert stand_in < js.index("show_questions"), "the stand-in must shadow MathJax before jupyterquiz's code"
    head = js[:js.index("show_questions")]
    assert "window.MathJax =" not in head and "cdn.jsdelivr" not in head
    assert "latexTypesetter" in head and "typesetPromise" in head


def test_the_jupyterquiz_module_is_left_as_it_was(quiz_outputs):
    import jupyterquiz.dynamic.display as shown_module
    from IPython.display import Javascript

    assert shown_module.Javascript is Javascript


def test_quiz_script_is_valid_javascript(quiz_outputs, tmp_path):
    node = shutil.which("node")
    if node is None:
        pytest.skip("no node to parse the script with")
    js = "\n".join(o.data for o in quiz_outputs if type(o).__name__ == "Javascript")
    (tmp_path / "quiz.js").write_text(js, encoding="utf-8")
    done = subprocess.run([node, "--check", str(tmp_path / "quiz.js")], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
