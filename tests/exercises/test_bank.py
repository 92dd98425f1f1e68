"""Generic checks of EVERY exercise in the bank (chapter authors rely on this file).

For each registered exercise: the reference answer passes with full points; each
declared mistake fails, with its own message; enough mistakes are declared; the
answers of value and choice exercises are not stored in plain text.
"""

import ast
from pathlib import Path

import pytest

from nnbook.exercises import evaluate, registry
from nnbook.exercises.registry import ChoiceExercise, FunctionExercise, SliderTask, ValueExercise
from nnbook.page import encoding

EXERCISES = registry.all()


def _ids(exercises):
    return [e.id for e in exercises]


def test_every_bank_module_imports():
    errors = registry.load_errors()
    assert not errors, "\n\n".join(f"{label}:\n{tb}" for label, tb in errors)


def test_ids_are_unique_per_chapter_name():
    seen = {}
    for e in EXERCISES:
        key = (e.chapter, e.name)
        assert key not in seen, f"{e.id} and {seen[key]} use the same name {e.name!r} in chapter {e.chapter}"
        seen[key] = e.id


ANSWERED = [e for e in EXERCISES if not isinstance(e, SliderTask)]   # slider tasks: see below

#: Exercises whose checks run the lab on the real MNIST files: they get them from the
#: ``mnist_root`` fixture (and are skipped, saying so, where the files are missing).
READS_MNIST = {"mnist.lab-setting"}


@pytest.fixture
def data_for(request, monkeypatch):
    """``data_for(exercise)``: point NNBOOK_DATA at the MNIST files if the exercise reads them."""
    def use(exercise):
        if exercise.id in READS_MNIST:
            monkeypatch.setenv("NNBOOK_DATA", str(request.getfixturevalue("mnist_root")))
    return use


@pytest.mark.parametrize("exercise", ANSWERED, ids=_ids(ANSWERED))
def test_reference_answer_gets_full_points(exercise):
    if isinstance(exercise, FunctionExercise):
        answer = exercise.reference
    elif isinstance(exercise, ValueExercise):
        if encoding.is_hashed(exercise.answer):
            pytest.skip("hashed answer: only the author knows it")
        answer = exercise.reference_value()
    elif isinstance(exercise, ChoiceExercise):
        correct = exercise.correct()
        answer = correct if exercise.multiple else next(iter(correct))
    for purpose in ("check", "grade"):
        result = evaluate(exercise, answer, purpose=purpose, salt="test_bank")
        assert result.passed and result.score == exercise.points, result.text()


@pytest.mark.parametrize(
    "exercise", [e for e in EXERCISES if isinstance(e, FunctionExercise)],
    ids=_ids(e for e in EXERCISES if isinstance(e, FunctionExercise)),
)
def test_each_mistake_fails_with_its_own_message(exercise):
    assert len(exercise.mistakes) >= 2, "a function exercise declares at least two typical mistakes"
    for wrong, message in exercise.mistakes:
        result = evaluate(exercise, wrong)
        assert not result.passed, f"the mistake {message!r} passes all cases: add a case that catches it"
        assert any(message in m for m in result.messages), (
            f"the mistake {message!r} fails, but the first failing case shows another message "
            f"(add a case that tells them apart):\n{result.text()}"
        )


@pytest.mark.parametrize(
    "exercise", [e for e in EXERCISES if isinstance(e, ValueExercise)],
    ids=_ids(e for e in EXERCISES if isinstance(e, ValueExercise)),
)
def test_value_mistakes_fail_with_their_message(exercise):
    assert len(exercise.mistakes) >= 1, "a value exercise declares at least one typical wrong value"
    for wrong, message in exercise.mistakes:
        if encoding.is_hashed(wrong):
            continue
        value = wrong() if callable(wrong) else encoding.decode(wrong)
        result = evaluate(exercise, value)
        assert not result.passed and message in result.messages, result.text()


@pytest.mark.parametrize(
    "exercise", [e for e in EXERCISES if isinstance(e, ChoiceExercise)],
    ids=_ids(e for e in EXERCISES if isinstance(e, ChoiceExercise)),
)
def test_choice_wrong_options_are_explained(exercise):
    wrong = [i for i in range(len(exercise.options)) if i not in exercise.correct()]
    explained = [i for i in wrong if i in exercise.explanations]
    assert explained, "a choice exercise explains at least one wrong option"
    for i in explained:
        answer = {i} if exercise.multiple else i
        result = evaluate(exercise, answer)
        assert not result.passed and any(exercise.explanations[i] in m for m in result.messages), result.text()


@pytest.mark.parametrize(
    "exercise", [e for e in EXERCISES if isinstance(e, SliderTask)],
    ids=_ids(e for e in EXERCISES if isinstance(e, SliderTask)),
)
def test_slider_initial_setting_is_valid(exercise, data_for):
    data_for(exercise)
    initial = {k: v[3] for k, v in exercise.sliders.items()}
    result = evaluate(exercise, initial)
    assert result.messages and "outside" not in result.text() and "must have exactly" not in result.text()
    assert "The checker itself failed" not in result.text() and "experiment failed" not in result.text()


@pytest.mark.parametrize(
    "exercise", [e for e in EXERCISES if isinstance(e, SliderTask)],
    ids=_ids(e for e in EXERCISES if isinstance(e, SliderTask)),
)
def test_slider_solution_meets_the_goal_and_the_initial_setting_does_not(exercise, data_for):
    data_for(exercise)
    assert exercise.solution is not None, "a slider task declares an encoded setting that meets its goal"
    good = evaluate(exercise, exercise.solution_setting())
    assert good.passed and good.score == exercise.points, good.text()
    start = evaluate(exercise, exercise.initial_setting())
    assert not start.passed, "the sliders' initial setting already meets the goal: nothing to find"
    assert start.messages, "a failed setting gets a message that reports what was measured"


@pytest.mark.parametrize(
    "exercise", [e for e in EXERCISES if isinstance(e, (ValueExercise, ChoiceExercise))],
    ids=_ids(e for e in EXERCISES if isinstance(e, (ValueExercise, ChoiceExercise))),
)
def test_answers_are_not_stored_in_plain_text(exercise):
    assert callable(exercise.answer) or encoding.is_encoded(exercise.answer) or encoding.is_hashed(exercise.answer)


def _literal(node):
    try:
        ast.literal_eval(node)
        return True
    except ValueError:
        return False


BANK = sorted(p for p in (Path(registry.__file__).parent / "bank").glob("*.py") if not p.name.startswith("_"))


@pytest.mark.parametrize("path", BANK, ids=[p.stem for p in BANK])
def test_bank_source_has_no_plain_answers(path):
    """``encode(0.25)`` in the source shows the answer; the file must hold the encoded string."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    plain = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Call)
            and getattr(node.func, "id", getattr(node.func, "attr", None)) == "encode"
            and node.args
            and all(_literal(a) for a in node.args)
        ):
            text = ast.get_source_segment(path.read_text(encoding="utf-8"), node)
            args = [ast.literal_eval(a) for a in node.args]
            kwargs = {k.arg: ast.literal_eval(k.value) for k in node.keywords if _literal(k.value)}
            plain.append(f"{path.name}:{node.lineno}: replace {text} by {encoding.encode(*args, **kwargs)!r}")
    assert not plain, "\n".join(plain)
