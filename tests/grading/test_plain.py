"""The plain-data converter between kernel and grader: exact types only, validated again on arrival."""

import json

import numpy as np
import pytest

from nnbook.exercises.plain import PlainDataError, Unsupported, from_plain, objects_in, roundtrip, to_plain
from nnbook.grade.reports import gradebook_rows
from nnbook.grade.runner import SubmissionReport
from nnbook.grade.submissions import find_submissions


def test_plain_values_survive_json_exactly():
    value = [1, 2.5, float("nan"), -float("inf"), True, None, "x", 1 + 2j, (1, (2.0,)), {"a": [1]}, {3, 4},
             frozenset({1}), np.arange(6.0).reshape(2, 3), np.arange(3, dtype=np.int32), np.float32(1.5),
             np.bool_(True), np.zeros((0, 2))]
    back = from_plain(json.loads(json.dumps(to_plain(value))))
    assert back[0:2] == [1, 2.5] and np.isnan(back[2]) and back[3] == -np.inf
    assert back[4:9] == [True, None, "x", 1 + 2j, (1, (2.0,))] and back[9] == {"a": [1]}
    assert back[10] == {3, 4} and back[11] == frozenset({1})
    for got, want in zip(back[12:], value[12:]):
        assert type(got) is type(want) and np.asarray(got).dtype == np.asarray(want).dtype
        assert np.array_equal(got, want) and np.shape(got) == np.shape(want)


def test_objects_that_lie_are_not_converted():
    class Liar:
        def __eq__(self, other):
            return True

        def __array__(self, dtype=None, copy=None):
            raise AssertionError("never asked")

        def __float__(self):
            raise AssertionError("never asked")

    class LiarArray(np.ndarray):
        pass

    class LiarList(list):
        def __iter__(self):
            raise AssertionError("never asked")

    got = roundtrip([Liar(), np.ones(2).view(LiarArray), LiarList([1]), np.array(["a"]), np.array([None])])
    assert [g.short_name for g in got] == ["Liar", "LiarArray", "LiarList", "ndarray of dtype str32",
                                           "ndarray of dtype object"]
    assert all(isinstance(g, Unsupported) for g in got)
    loop = [1]
    loop.append(loop)
    assert isinstance(roundtrip(loop)[1], Unsupported)
    assert to_plain(np.zeros(100), max_bytes=100)["reason"] == "too large to send"


@pytest.mark.parametrize("bad", [
    {"$": "ndarray", "dtype": "|O8", "shape": [1], "data": ""},
    {"$": "ndarray", "dtype": "<f8", "shape": [2], "data": "AAAAAAAAAAA="},
    {"$": "ndarray", "dtype": "<f8", "shape": [-1], "data": ""},
    {"$": "pickled", "data": "gASVAAAAAAAAAAAu"},
    {"$": "nope"},
    {"$": "tuple"},
    {"no": "tag"},
    {"$": "dict", "items": [[[1], 2]]},
    {"$": "float", "v": "1e999"},
])
def test_malformed_data_is_refused(bad):
    with pytest.raises(PlainDataError):
        from_plain(bad)


def test_objects_among_the_inputs_travel_by_reference():
    class Grad:
        def __call__(self, w):
            return w

    g = Grad()
    inputs = ((g, np.ones(2), [g]), {"f": g})
    assert objects_in(inputs) == [g, g, g]
    back = from_plain(to_plain(inputs, objects={id(g): (0, True)}), objects=[g])
    assert back[0][0] is g and back[0][2][0] is g and back[1]["f"] is g and np.array_equal(back[0][1], np.ones(2))
    changed = from_plain(to_plain(g, objects={id(g): (0, False)}), objects=[g])
    assert isinstance(changed, Unsupported) and changed.reason == "changed by the call"


def test_gradebook_has_a_row_per_student(tmp_path):
    for who in ("alice", "bob"):
        (tmp_path / who).mkdir()
        (tmp_path / who / "ch99.ipynb").write_text("{}")
    (tmp_path / "carol.ipynb").write_text("{}")
    assert {s.name: s.student for s in find_submissions([tmp_path])} == {
        "alice__ch99": "alice", "bob__ch99": "bob", "carol": "carol"}

    def rep(student, scores):
        return SubmissionReport(name=student, path="", student=student,
                                exercises={i: {"score": v, "max_points": 2} for i, v in scores.items()})

    rows = gradebook_rows([rep("bob", {"a.x": 1}), rep("alice", {"a.x": 2, "a.y": 0}), rep("alice", {"a.y": 1})],
                          ["a.x", "a.y"])
    assert rows == [["student", "a.x", "a.y", "total"], ["alice", "2", "1", "3"], ["bob", "1", "0", "1"]]
