"""What the exercise system says is said in the reader's language, and nothing else changes.

For EVERY registered exercise, the feedback on the reference answer and on each named mistake
is rendered in English and in Chinese: the Chinese text differs from the English one and is
written in Chinese (CJK characters), the named mistake's own translated message appears, and
the verdict and the score are the same. ``set_language``, ``NNBOOK_LANG`` and ``language()``
select the language; a notebook graded in either language gets the same grade.
"""

import json
import os
import re
import subprocess
import sys

import pytest

from nnbook import i18n
from nnbook.exercises import evaluate, registry
from nnbook.exercises.registry import ChoiceExercise, FunctionExercise, SliderTask, ValueExercise
from nnbook.page import encoding

CJK = re.compile(r"[\u4e00-\u9fff]")
#: Exercises whose checks run the lab on the real MNIST files (as in tests/exercises/test_bank.py).
READS_MNIST = {"mnist.lab-setting"}


@pytest.fixture(autouse=True)
def english_around_each_test(monkeypatch):
    """Every test starts in English (the default) and leaves the language as it was."""
    monkeypatch.delenv("NNBOOK_LANG", raising=False)
    before = i18n._current
    i18n._current = None
    yield
    i18n._current = before


# --------------------------------------------------------------------------- selecting a language


def test_english_is_the_default_and_set_language_switches():
    assert i18n.get_language() == "en"
    assert i18n._("Correct.") == "Correct."
    assert i18n.set_language("zh") == "zh_CN" and i18n.get_language() == "zh_CN"
    assert os.environ["NNBOOK_LANG"] == "zh_CN"          # inherited by kernels and sandboxes
    assert i18n._("Correct.") == "正确。"
    assert i18n.set_language("en") == "en" and i18n._("Correct.") == "Correct."


def test_the_language_context_manager_restores_the_language_and_the_environment():
    with i18n.language("zh") as lang:
        assert lang == "zh_CN" and i18n._("Check") == "检查" and os.environ["NNBOOK_LANG"] == "zh_CN"
        with i18n.language("en"):
            assert i18n._("Check") == "Check"
        assert i18n._("Check") == "检查"
    assert i18n.get_language() == "en" and "NNBOOK_LANG" not in os.environ


def test_unknown_languages_are_refused_and_unknown_messages_stay_english():
    with pytest.raises(ValueError, match="unknown language"):
        i18n.set_language("fr")
    with i18n.language("zh"):
        assert i18n._("a sentence nobody translated") == "a sentence nobody translated"
        assert i18n.ngettext("Not correct: {options} is wrong.", "Not correct: {options} are wrong.", 2) == \
            "不正确：{options} 是错误的。"
        assert i18n.pgettext("sentence end", ".") == "。"


def test_nnbook_lang_selects_the_language_of_a_new_process():
    code = ("import nnbook; from nnbook.i18n import _; "
            "print(nnbook.get_language(), _('Show hint'))")
    env = {**os.environ, "NNBOOK_LANG": "zh"}
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["zh_CN", "显示提示"]
    env["NNBOOK_LANG"] = "klingon"
    out = subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["en", "Show", "hint"] and "ignored" in out.stderr


# -------------------------------------------------------------------- every exercise, both languages


def _answers(ex):
    """``(label, answer, message)``: the reference answer (message None) and each named mistake."""
    out = []
    if isinstance(ex, FunctionExercise):
        out.append(("reference", ex.reference, None))
        out += [(f"mistake {k}", wrong, message) for k, (wrong, message) in enumerate(ex.mistakes)]
    elif isinstance(ex, ValueExercise):
        if not encoding.is_hashed(ex.answer):
            out.append(("reference", ex.reference_value(), None))
        out += [(f"mistake {k}", wrong() if callable(wrong) else encoding.decode(wrong), message)
                for k, (wrong, message) in enumerate(ex.mistakes) if not encoding.is_hashed(wrong)]
    elif isinstance(ex, ChoiceExercise):
        correct = ex.correct()
        out.append(("reference", correct if ex.multiple else next(iter(correct)), None))
        out += [(f"option {i}", {i} if ex.multiple else i, text) for i, text in sorted(ex.explanations.items())
                if i not in correct]
    elif isinstance(ex, SliderTask):
        out.append(("reference", ex.solution_setting(), None))
        out.append(("initial setting", ex.initial_setting(), None))
    return out


#: The book's exercises (not the test-only chapter 99 other test modules may have registered).
EXERCISES = [ex for ex in registry.all() if ex.chapter != 99]


@pytest.mark.parametrize("exercise", EXERCISES, ids=[e.id for e in EXERCISES])
def test_feedback_is_rendered_in_both_languages(exercise, request, monkeypatch):
    if exercise.id in READS_MNIST:
        monkeypatch.setenv("NNBOOK_DATA", str(request.getfixturevalue("mnist_root")))
    answers = _answers(exercise)
    assert answers, "nothing to check"
    for label, answer, message in answers:
        with i18n.language("en"):
            en = evaluate(exercise, answer)
            en_text, en_html = en.text(), en._repr_html_()
        with i18n.language("zh"):
            zh = evaluate(exercise, answer)
            zh_text, zh_html = zh.text(), zh._repr_html_()
            zh_message = i18n._(message) if message else None
        where = f"{exercise.id}, {label}"
        assert (zh.passed, zh.score) == (en.passed, en.score), f"{where}: the verdict depends on the language"
        assert label != "reference" or zh.passed, f"{where}: the reference fails:\n{zh_text}"
        assert zh_text != en_text and zh_html != en_html, f"{where}: the Chinese feedback is the English one"
        assert CJK.search(zh_text) and CJK.search(zh_html), f"{where}: no Chinese in\n{zh_text}"
        assert CJK.search(zh.title), f"{where}: the title is not translated: {zh.title!r}"
        if message:
            assert any(message in m for m in en.messages), f"{where}: English message missing:\n{en_text}"
            assert zh_message != message and any(zh_message in m for m in zh.messages), (
                f"{where}: the translated mistake message is missing:\n{zh_text}")


def test_check_translates_hints_and_the_unknown_id_message():
    from nnbook.exercises import check

    ex = registry.get("gd.eta-max")
    with i18n.language("zh"):
        result = check("gd.eta-max", 1.0, show=False)
        assert result.hint == i18n._(ex.hints[0]) and CJK.search(result.hint)
        assert "提示：" in result.text()
        unknown = check("gd.eta-mx", 1.0, show=False)
        assert "没有 ID 为" in unknown.text() and "'gd.eta-max'" in unknown.text()


def test_widgets_and_the_progress_table_speak_chinese():
    from nnbook.exercises import check, progress
    from nnbook.exercises.widgets import ExerciseWidget

    with i18n.language("zh"):
        w = ExerciseWidget("gd.when-sgd", record=False)
        assert w.check_button.description == "检查" and w.hint_button.description == "显示提示（1/1）"
        assert [label for label, _i in w.choice.options][0] == i18n._(registry.get("gd.when-sgd").options[0])
        w.choice.value = 0
        w.check_button.click()
        assert "正确" in w.feedback.value and "已保存为" in w.feedback.value
        check("gd.eta-max", 1.0, show=False)
        table = progress("gd")
        assert "进度" in table.text() and "尝试次数" in table._repr_html_()
        assert i18n._(registry.get("gd.eta-max").title) in table.text()
    with i18n.language("en"):
        assert ExerciseWidget("gd.when-sgd", record=False).check_button.description == "Check"
        assert "Progress" in progress("gd").text()


# -------------------------------------------------------------------------- the grader, both languages


def test_a_notebook_gets_the_same_grade_in_both_languages(tmp_path):
    """One submission of the grader tests' fixtures (wrong answers, so there is feedback), graded
    with the report in English and in Chinese: the same scores, the messages in each language."""
    import nbformat
    from exercise_system import FIXTURE_EXERCISES, load_fixture_exercises
    from grading.submissions import CHECK_SCALE, IMPORTS, notebook

    from nnbook.grade import grade_batch
    from nnbook.grade.runner import GradeOptions

    load_fixture_exercises()
    subs = tmp_path / "subs"
    subs.mkdir()
    cells = [IMPORTS, "def scale(x, a):\n    return -a * x", CHECK_SCALE, "def row_norms(X):\n    return X",
             "eta_max = 0.5", "answer_saturates = 0", "knob_setting = {'eta': 0.1, 'hidden': 1}"]
    nbformat.write(notebook(cells), str(subs / "wrong.ipynb"))
    reports = {}
    for lang in ("en", "zh"):
        with i18n.language(lang):
            opts = GradeOptions(cell_timeout=30, notebook_timeout=120, memory_mb=2048, salt="i18n-salt",
                                extra_exercises=str(FIXTURE_EXERCISES), interrupt_grace=3)
            grade_batch([subs], tmp_path / lang, opts, jobs=1, progress=False)
        reports[lang] = json.loads((tmp_path / lang / "reports" / "wrong.json").read_text())
    en, zh = reports["en"], reports["zh"]
    scores = {lang: {i: r["score"] for i, r in rep["exercises"].items()} for lang, rep in reports.items()}
    assert scores["en"] == scores["zh"] and (en["total"], en["max_total"]) == (zh["total"], zh["max_total"])
    assert en["status"] == zh["status"]
    assert sum(scores["en"].values()) < en["max_total"], "the submission was meant to lose points"
    for exercise_id, result in zh["exercises"].items():
        if not result["passed"]:
            text = " ".join(result["messages"])
            assert CJK.search(text), f"{exercise_id}: the Chinese report says {text!r}"
            assert not CJK.search(" ".join(en["exercises"][exercise_id]["messages"]))
    gradescope = json.loads((tmp_path / "zh" / "gradescope" / "wrong" / "results.json").read_text())
    assert all(CJK.search(t["output"]) for t in gradescope["tests"])
    # the notebook's own check() ran in the grader's language too
    executed = nbformat.read(str(tmp_path / "zh" / "executed" / "wrong.ipynb"), as_version=4)
    shown = json.dumps([c.get("outputs", []) for c in executed.cells if "check(" in c.source], ensure_ascii=False)
    assert "尚未通过" in shown
