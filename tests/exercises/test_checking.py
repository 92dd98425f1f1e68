"""check() grades answers, explains what is wrong, and never raises or hangs because of them."""

import numpy as np
import pytest

from nnbook.exercises import check, encode, evaluate, function_exercise, registry, value_exercise
from nnbook.exercises.checking import function_cases
from nnbook.exercises.registry import DuplicateExerciseError


def good_scale(x, a):
    return a * x


def text(result):
    return result.text()


def test_correct_function_gets_full_points():
    r = check("testing.scale", good_scale, show=False)
    assert r.passed and r.score == r.max_points == 2
    assert "passes all 2 public cases and 2 further tests" in text(r)


def test_wrong_sign_is_rejected_with_its_mistake_message():
    r = check("testing.scale", lambda x, a: -a * x, show=False)
    assert not r.passed and r.score == 0
    assert "You flipped the sign" in text(r)
    case = r.cases[0]
    assert case.label == "public case 1 of 2"
    assert case.inputs.startswith("x = array(3,)") and "a = 2.0" in case.inputs
    assert case.expected and case.got
    assert "exactly the negative" in case.problem


def test_second_mistake_gets_its_own_message():
    r = check("testing.scale", lambda x, a: x + a, show=False)
    assert "You added a instead of multiplying" in text(r)


def test_wrong_without_known_mistake_shows_first_differing_entry():
    r = check("testing.scale", lambda x, a: a * x + 1e-3, show=False)
    assert "differs at index 0" in r.cases[0].problem
    assert "Likely mistake" not in text(r)


def test_mutation_of_input_is_detected():
    def scale(x, a):
        x *= a
        return x

    r = check("testing.scale", scale, show=False)
    assert not r.passed
    assert "changed its input `x`" in text(r)


def test_nan_in_output_is_reported():
    r = check("testing.scale", lambda x, a: a * x * np.nan, show=False)
    assert "contains NaN at index 0" in text(r)


def test_inf_in_output_is_reported():
    r = check("testing.scale", lambda x, a: np.full_like(x, np.inf), show=False)
    assert "contains inf" in text(r)


def test_wrong_shape_names_transposition():
    r = check("testing.row-norms", lambda X: np.sqrt((X**2).sum(axis=1))[:, None].T, show=False)
    assert "has shape (1, 3), expected shape (3,)" in text(r)
    r = check("testing.scale", lambda x, a: (a * x).T if x.ndim == 2 else a * x, show=False)
    assert "transposed" in text(r)


def test_wrong_type_and_none_are_explained():
    assert "is a string" in text(check("testing.scale", lambda x, a: "hello", show=False))
    assert "did you forget `return`" in text(check("testing.scale", lambda x, a: None, show=False))
    assert "should be a function" in text(check("testing.scale", 3.0, show=False))


def test_signature_mismatch_is_explained():
    r = check("testing.scale", lambda x: x, show=False)
    assert "cannot be called the way the exercise calls it: scale(x, a)" in text(r)


def student_function_that_fails(x, a):
    idx = len(x) + 10
    return x[idx]  # index out of range here


def test_exception_in_student_function_shows_the_students_line():
    r = check("testing.scale", student_function_that_fails, show=False)
    assert "raised IndexError" in text(r)
    assert "return x[idx]  # index out of range here" in text(r)
    assert "sandbox.py" not in text(r) and "checking.py" not in text(r)


@pytest.fixture
def quick_exercise():
    ex = function_exercise(
        id="testing.quick", chapter=99, title="Quick", points=1, name="quick",
        reference=lambda x: x, public_cases=lambda rng: [(1.0,)],
        mistakes=[(lambda x: -x, "sign"), (lambda x: 0 * x, "zero")], timeout=0.3,
    )
    yield ex
    registry.unregister(ex.id)


def test_endless_loop_is_stopped_and_reported(quick_exercise):
    def quick(x):
        while True:
            pass

    r = check("testing.quick", quick, show=False)
    assert "was stopped after 0.3 s" in text(r)


def test_sys_exit_in_student_function_is_reported(quick_exercise):
    def quick(x):
        raise SystemExit(1)

    r = check("testing.quick", quick, show=False)
    assert "tried to exit Python" in text(r)


@pytest.mark.parametrize(
    "weird",
    [object(), None, "scale", [1, 2], lambda *a: (_ for _ in ()), lambda *a: object(), lambda x, a: {"a": 1},
     lambda x, a: [[1, 2], [3]], lambda x, a: 1 / 0],
)
def test_check_never_raises_on_weird_answers(weird):
    r = check("testing.scale", weird, show=False)
    assert not r.passed and r.messages


def test_unknown_id_suggests_close_ids():
    r = check("testing.scal", good_scale, show=False)
    assert not r.passed and r.max_points == 0
    assert "Did you mean: 'testing.scale'" in text(r)


def test_answer_is_looked_up_by_name_when_omitted():
    scale = good_scale  # noqa: F841 - check() finds it by the exercise's name
    assert check("testing.scale", show=False).passed


def test_missing_name_is_reported():
    r = check("testing.row-norms", show=False)
    assert "`row_norms` is not defined in the notebook yet" in text(r)


def test_hints_are_revealed_one_per_failed_attempt():
    first = check("testing.scale", lambda x, a: x, show=False)
    second = check("testing.scale", lambda x, a: x, show=False)
    third = check("testing.scale", lambda x, a: x, show=False)
    assert first.hint == "Multiply every entry by a."
    assert second.hint == third.hint == "return a * x"
    assert (first.attempts, second.attempts, third.attempts) == (1, 2, 3)


def test_grading_cases_use_another_seed_than_check():
    ex = registry.get("testing.scale")
    public_check = function_cases(ex, "check")
    graded = function_cases(ex, "grade", salt="x")
    assert np.array_equal(public_check[0][1][0], graded[0][1][0])  # public cases are the same
    assert not np.array_equal(public_check[2][1][0], graded[2][1][0])  # further tests differ


def test_book_function_is_refused_when_grading():
    from nnbook.page.encoding import normalize

    ex = function_exercise(
        id="testing.pkgfn", chapter=99, title="t", points=1, name="normalize", reference=normalize,
        public_cases=lambda rng: [(1.5,)], mistakes=[(lambda v: -v, "a"), (lambda v: 0, "b")],
    )
    try:
        assert evaluate(ex, normalize).passed
        r = evaluate(ex, normalize, purpose="grade", forbid_package=True)
        assert not r.passed and "imported from nnbook" in text(r)
    finally:
        registry.unregister(ex.id)


@pytest.fixture
def woodbury_exercise():
    from nnbook.exercises import registry as reg

    return reg.get("hessian.woodbury-update")


def _honest_woodbury(Hinv, b):
    Hb = Hinv @ b
    return Hinv - np.outer(Hb, Hb) / (1 + b @ Hb)


def _def_wrapper(Hinv, b):
    from nnbook.hessian import woodbury_update

    H_new = woodbury_update(Hinv, b)          # the book's solution, dressed up as the student's
    return H_new


@pytest.mark.parametrize("mode", ["alarm", "fork"])
@pytest.mark.parametrize("wrapper", ["lambda", "def"])
def test_wrapper_around_the_books_function_is_refused_when_grading(woodbury_exercise, wrapper, mode):
    from nnbook.hessian import woodbury_update

    answer = (lambda H, b: woodbury_update(H, b)) if wrapper == "lambda" else _def_wrapper
    r = evaluate(woodbury_exercise, answer, purpose="grade", forbid_package=True, mode=mode)
    assert not r.passed and r.score == 0
    assert "calls the book's own `woodbury_update`" in text(r) and "scores no points" in text(r)


@pytest.mark.parametrize("mode", ["alarm", "fork"])
def test_honest_answer_passes_when_grading(woodbury_exercise, mode):
    r = evaluate(woodbury_exercise, _honest_woodbury, purpose="grade", forbid_package=True, mode=mode)
    assert r.passed and r.score == woodbury_exercise.points, text(r)
    assert "book's own" not in text(r)


def test_wrapper_passes_check_with_a_note_but_an_honest_answer_has_none(woodbury_exercise):
    r = evaluate(woodbury_exercise, _def_wrapper)
    assert r.passed and "calls the book's own `woodbury_update`" in text(r) and "grader will want" in text(r)
    assert "book's own" not in text(evaluate(woodbury_exercise, _honest_woodbury))


def test_forbidden_functions_beyond_the_reference_are_watched():
    from nnbook.page.encoding import normalize

    def wraps_normalize(v):
        return normalize(v)

    ex = function_exercise(
        id="testing.forbidden", chapter=99, title="t", points=1, name="halve",
        reference=lambda v: v, forbidden=[normalize],
        public_cases=lambda rng: [(1.5,)], mistakes=[(lambda v: -v, "a"), (lambda v: 0, "b")],
    )
    try:
        assert evaluate(ex, lambda v: v, purpose="grade", forbid_package=True).passed
        r = evaluate(ex, wraps_normalize, purpose="grade", forbid_package=True)
        assert not r.passed and "`normalize`" in text(r)
    finally:
        registry.unregister(ex.id)


def test_a_student_error_after_a_forbidden_call_leaves_no_profiler_behind(woodbury_exercise):
    import sys

    from nnbook.hessian import woodbury_update

    def broken(Hinv, b):
        woodbury_update(Hinv, b)
        raise RuntimeError("oops")

    for forbid in (True, False):
        evaluate(woodbury_exercise, broken, purpose="grade", forbid_package=forbid, mode="alarm")
        assert sys.getprofile() is None


# ------------------------------------------------------------------ values and choices


def test_value_exercise_accepts_numbers_and_text():
    assert check("testing.eta", 0.25, show=False).passed
    assert check("testing.eta", "1/4", show=False).passed
    assert check("testing.eta", np.float32(0.25), show=False).passed


def test_value_exercise_mistake_and_no_reveal():
    r = check("testing.eta", 0.5, show=False)
    assert not r.passed
    assert "not the value of the sigmoid at 0, not of its slope" in text(r) or "0.5 is the value" in text(r)
    assert "0.25" not in text(r) and "0.25" not in r._repr_html_()


def test_value_exercise_unreadable_and_missing_answers():
    assert "Cannot read your answer" in text(check("testing.eta", "a quarter", show=False))
    assert "No answer yet" in text(check("testing.eta", None, show=False))
    assert "a single number" in text(check("testing.eta", [0.25, 0.25], show=False))


def test_value_exercise_refuses_a_plain_answer():
    with pytest.raises(TypeError, match="encode"):
        value_exercise(id="testing.plain", chapter=99, title="t", points=1, name="p", answer=0.25)


def test_hashed_and_callable_answers():
    value_exercise(id="testing.hashed", chapter=99, title="t", points=1, name="h",
                   answer=encode(1 / 3, hashed=True, digits=4), mistakes=[(encode(-1 / 3, hashed=True, digits=4), "sign")])
    value_exercise(id="testing.computed", chapter=99, title="t", points=1, name="c",
                   answer=lambda: np.array([1.0, 2.0]), mistakes=[(lambda: np.array([2.0, 1.0]), "swapped")])
    try:
        assert check("testing.hashed", 0.33333, show=False).passed
        assert "sign" in text(check("testing.hashed", -0.3333, show=False))
        assert check("testing.computed", "1, 2", show=False).passed
        assert "swapped" in text(check("testing.computed", [2, 1], show=False))
    finally:
        registry.unregister("testing.hashed")
        registry.unregister("testing.computed")


def test_choice_exercise_index_text_and_explanations():
    assert check("testing.pick", 1, show=False).passed
    assert check("testing.pick", "sigmoid", show=False).passed
    r = check("testing.pick", 0, show=False)
    assert not r.passed and "ReLU has slope 1 for all a > 0." in text(r)
    assert "is not one of the options" in text(check("testing.pick", 7, show=False))
    assert "Choose exactly one option" in text(check("testing.pick", {0, 1}, show=False))


def test_multiple_choice_with_several_correct_options():
    from nnbook.exercises import choice_exercise

    choice_exercise(id="testing.multi", chapter=99, title="t", points=1, name="m", options=["a", "b", "c"],
                    answer=encode({0, 2}), explanations={1: "b is wrong"})
    try:
        assert check("testing.multi", {0, 2}, show=False).passed
        assert "Some correct options are missing" in text(check("testing.multi", {0}, show=False))
        assert "b is wrong" in text(check("testing.multi", [0, 1, 2], show=False))
    finally:
        registry.unregister("testing.multi")


def test_slider_task_checks_keys_ranges_and_goal():
    assert check("testing.knob", {"eta": 0.5, "hidden": 2}, show=False).passed
    r = check("testing.knob", {"eta": 0.1, "hidden": 2}, show=False)
    assert not r.passed and "eta * hidden = 0.200" in text(r)
    assert "outside the slider's range" in text(check("testing.knob", {"eta": 5.0, "hidden": 2}, show=False))
    assert "whole number" in text(check("testing.knob", {"eta": 0.5, "hidden": 2.5}, show=False))
    assert "missing: hidden" in text(check("testing.knob", {"eta": 0.5}, show=False))
    assert "needs a dict" in text(check("testing.knob", 0.5, show=False))


# ------------------------------------------------------------------------ registry


def test_duplicate_id_from_another_module_raises():
    import nnbook.exercises.registry as reg

    ex = reg.get("testing.scale")
    clone = type(ex)(**{k: getattr(ex, k) for k in ex.__dataclass_fields__})
    clone.origin = "some.other.module"
    with pytest.raises(DuplicateExerciseError, match="testing.scale"):
        reg.register(clone)


def test_redefining_from_the_same_module_replaces():
    def make(points):
        return function_exercise(id="testing.redefine", chapter=99, title="t", points=points, name="r",
                                 reference=lambda x: x, public_cases=lambda rng: [(1,)])
    try:
        make(1)
        make(3)
        assert registry.get("testing.redefine").points == 3
    finally:
        registry.unregister("testing.redefine")


def test_registry_queries():
    ids = registry.ids()
    assert "testing.scale" in ids
    assert {e.id for e in registry.for_chapter(99)} >= {"testing.scale", "testing.eta", "testing.pick", "testing.knob"}
    assert [e.id for e in registry.for_chapter("testing")] == [e.id for e in registry.for_chapter(99)]
    with pytest.raises(registry.UnknownExerciseError, match="Did you mean"):
        registry.get("testing.scal")


@pytest.mark.parametrize(
    "kwargs, error",
    [({"id": "Bad ID"}, ValueError), ({"chapter": "1"}, TypeError), ({"points": 0}, ValueError),
     ({"name": "not a name"}, ValueError)],
)
def test_bad_definitions_are_refused(kwargs, error):
    base = dict(id="testing.bad", chapter=99, title="t", points=1, name="b",
                reference=lambda x: x, public_cases=lambda rng: [(1,)])
    base.update(kwargs)
    with pytest.raises(error):
        function_exercise(**base)


@pytest.mark.parametrize("mode", ["alarm", "fork", "thread"])
def test_no_warnings_exercise_fails_a_function_that_makes_numpy_warn(mode):
    def safe(a):
        return np.exp(np.minimum(a, 0.0))

    def overflowing(a):
        return np.where(a > 0, 1.0, np.exp(a))        # right values, but exp(1000) overflows

    def dividing(a):
        return np.where(a > 0, 1.0, 1.0 / np.exp(-a))  # right values, exp(−(−1000)) overflows

    ex = function_exercise(
        id="testing.quiet", chapter=99, title="t", points=1, name="quiet", reference=safe,
        public_cases=lambda rng: [(np.array([-2.0, 0.5]),)],
        grading_cases=lambda rng: [(np.array([1.0, 1000.0]),), (np.array([-1000.0, -1.0]),)],
        mistakes=[(overflowing, "exp of a large a overflows"), (dividing, "1/exp(-a) overflows")],
        no_warnings=True,
    )
    try:
        assert evaluate(ex, safe, mode=mode).passed
        r = evaluate(ex, overflowing, mode=mode)
        assert not r.passed and "RuntimeWarning" in text(r) and "exp of a large a overflows" in text(r)
        r = evaluate(ex, dividing, mode=mode)
        assert not r.passed and "1/exp(-a) overflows" in text(r)
        r = evaluate(ex, lambda a: safe(a) + 0.0 * np.arccosh(a), mode=mode)   # an invalid-value warning
        assert not r.passed and "gives no warnings" in text(r)      # no declared mistake: the general message
        plain = function_exercise(
            id="testing.loud", chapter=99, title="t", points=1, name="loud", reference=safe,
            public_cases=lambda rng: [(np.array([-2.0, 0.5]),)],
            grading_cases=lambda rng: [(np.array([1.0, 1000.0]),)],
            mistakes=[(lambda a: a, "x"), (lambda a: -a, "y")],
        )
        import warnings

        with warnings.catch_warnings():                                # pytest.ini turns warnings into errors
            warnings.simplefilter("ignore", RuntimeWarning)
            assert evaluate(plain, overflowing, mode=mode).passed    # without the flag, warnings are allowed
    finally:
        registry.unregister("testing.quiet")
        registry.unregister("testing.loud")
