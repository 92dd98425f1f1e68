"""One checking code, two places: the grader's judgement equals check()'s for every exercise of the bank.

The kernel's half (the collector) runs here in-process, its records go through JSON as they
would through the kernel's messages, and the grader's half judges them; ``evaluate`` runs
both halves in one process as ``check()`` does. Same inputs (same salt), same answers:
the results must be identical, message for message.
"""

import json

import numpy as np
import pytest

from nnbook.exercises import grading_harness, plain, registry
from nnbook.exercises.checking import evaluate
from nnbook.grade import judge

SALT = "test-judge"


def _grade_out_of_process(exercise_id, answer, monkeypatch, forbid_package=False):
    (p,) = judge.plan([exercise_id], SALT, forbid_package=forbid_package)
    assert not p.problem, p.problem
    ex = p.exercise
    records = []
    monkeypatch.setattr(grading_harness, "_emit", lambda rec: records.append(json.dumps(rec)))
    requests = json.loads(json.dumps(judge.requests_of([p])))  # exactly what the cell's source carries
    grading_harness.collect(json.dumps(requests), {ex.name: answer})
    got = judge.Records(records)
    assert got.done and got.ended(exercise_id)
    return judge.judge(p, got)


def _same(a, b):
    da, db = a.to_dict(), b.to_dict()
    for d in (da, db):
        d.pop("attempts", None)
        d.pop("hint", None)
    assert da == db


def _function_ids():
    return [e.id for e in registry.all() if e.kind == "function"]


@pytest.mark.parametrize("exercise_id", _function_ids())
def test_function_exercises_are_judged_alike(exercise_id, monkeypatch):
    ex = registry.get(exercise_id)
    answers = [ex.reference] + [wrong for wrong, _ in ex.mistakes[:2]]
    for answer in answers:
        here = evaluate(ex, answer, purpose="grade", salt=SALT, forbid_package=False)
        there = _grade_out_of_process(exercise_id, answer, monkeypatch)
        _same(here, there)
    assert _grade_out_of_process(exercise_id, ex.reference, monkeypatch).passed
    refused = _grade_out_of_process(exercise_id, ex.reference, monkeypatch, forbid_package=True)
    assert not refused.passed and "book's own" in refused.text()


def _answer_cases():
    for e in registry.all():
        if e.kind == "value" and e.reference_value() is not None:
            yield e.id, e.reference_value()
            for wrong, _ in e.mistakes[:1]:
                yield e.id, wrong() if callable(wrong) else None
        elif e.kind == "choice":
            correct = sorted(e.correct())
            yield e.id, set(correct) if e.multiple else correct[0]
            yield e.id, (set(range(len(e.options))) - set(correct)) or {0}
    yield "testing.knob", {"eta": 0.5, "hidden": 3}
    yield "testing.knob", {"eta": 0.1, "hidden": 2}
    yield "testing.knob", {"eta": 5.0, "hidden": 2}
    yield "testing.eta", "1/4"
    yield "testing.eta", [0.25]


@pytest.mark.parametrize("exercise_id,answer", list(_answer_cases()))
def test_answers_are_judged_alike(exercise_id, answer, monkeypatch):
    ex = registry.get(exercise_id)
    _same(evaluate(ex, answer), _grade_out_of_process(exercise_id, answer, monkeypatch))


def test_missing_names_and_lying_objects(monkeypatch):
    class Liar:
        def __eq__(self, other):
            return True

        def __float__(self):
            return 0.25

        def __array__(self, dtype=None, copy=None):
            return np.ones(3)

    (p,) = judge.plan(["testing.scale"], SALT)
    records = []
    monkeypatch.setattr(grading_harness, "_emit", lambda rec: records.append(json.dumps(rec)))
    grading_harness.collect(json.dumps(judge.requests_of([p])), {})
    missing = judge.judge(p, judge.Records(records))
    assert missing.messages == ["`scale` is not defined in the notebook."]
    liar = _grade_out_of_process("testing.scale", lambda x, a: Liar(), monkeypatch, forbid_package=True)
    assert "your result is an object of type Liar, expected an array of shape (3,)" in liar.text()
    eta = _grade_out_of_process("testing.eta", Liar(), monkeypatch)
    assert eta.score == 0 and "`eta_max` is an object of type Liar" in eta.text()
    assert evaluate(registry.get("testing.eta"), Liar()).text() == eta.text()  # check() says the same


def test_the_judge_never_sees_the_kernels_objects(monkeypatch):
    """Forged or malformed records are refused, never loaded."""
    (p,) = judge.plan(["testing.scale"], SALT)
    head = json.dumps({"event": "head", "id": "testing.scale", "head": {"defined": True, "callable": True}})
    case = {"status": "ok", "value": {"$": "pickled", "data": "gASVAAAAAAAAAAAu"},
            "args": {"$": "tuple", "items": []}, "kwargs": {"$": "dict", "items": []}}
    forged = judge.Records([head, json.dumps({"event": "case", "id": "testing.scale", "i": 0, "probe": case}),
                            json.dumps({"event": "end", "id": "testing.scale"})])
    result = judge.judge(p, forged)
    assert result.score == 0 and "pickled data is not accepted" in result.text()
    with pytest.raises(plain.PlainDataError):
        plain.from_plain({"$": "ndarray", "dtype": "|O", "shape": [1], "data": ""})


def _broken_scale(x, a):
    return a * x / 0.0 if a > 100 else [][1]


def _mutating_scale(x, a):
    x *= a
    return x


def _slow_scale(x, a):
    while True:
        pass


@pytest.mark.parametrize("answer,expected", [
    (_broken_scale, ["`scale` raised IndexError: list index out of range on public case 1 of 2.",
                     "In your code:", "return a * x / 0.0 if a > 100 else [][1]"]),
    (_mutating_scale, ["`scale` changed its input `x` on public case 1 of 2."]),
    (_slow_scale, ["`scale` was stopped after 2 s on public case 1 of 2"]),
])
def test_errors_mutations_and_time_limits_come_back_as_data(answer, expected, monkeypatch):
    result = _grade_out_of_process("testing.scale", answer, monkeypatch, forbid_package=True)
    assert result.score == 0
    for text in expected:
        assert text in result.text()
    _same(evaluate(registry.get("testing.scale"), answer, purpose="grade", salt=SALT, forbid_package=True), result)
