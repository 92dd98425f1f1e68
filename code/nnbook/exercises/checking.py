"""Check an answer against an exercise: :func:`check` for readers, :func:`evaluate` for tools.

:func:`evaluate` runs the tests and returns a :class:`~nnbook.exercises.results.Result`
without showing or recording anything; the grader and the widgets use it.
:func:`check` is what a chapter calls: it finds the exercise, evaluates, records the
attempt in the local progress file, adds a hint after a failure, and shows the
result at once. Neither raises because of the student's answer.
"""

from __future__ import annotations

import copy
import inspect
import os
import sys
from typing import Any, Sequence

import numpy as np

from . import encoding, progress, registry, sandbox
from .compare import compare, same_inputs
from .parsing import AnswerParseError, parse_value
from .registry import ChoiceExercise, Exercise, FunctionExercise, SliderTask, ValueExercise
from .results import CaseReport, Result, format_value

__all__ = ["check", "evaluate", "MISSING"]


class _Missing:
    def __repr__(self) -> str:
        return "MISSING"


MISSING = _Missing()
_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


# --------------------------------------------------------------------- public API


def check(exercise_id: str, answer: Any = MISSING, *, show: bool = True, record: bool = True) -> Result:
    """Check an answer and show the result at once.

    Parameters
    ----------
    exercise_id : str
        The exercise's ID, e.g. ``"backprop.hidden-delta"``.
    answer : object, optional
        Your function (function exercises), number or array (value exercises), option
        index or set of indices (choice exercises) or dict of slider values (slider
        tasks). If omitted, the variable named by the exercise (for example
        ``hidden_delta``) is looked up in the notebook.
    show : bool
        Display the result now (HTML in a notebook, text in a terminal).
    record : bool
        Record the attempt in the local progress file.

    Returns
    -------
    Result
        With ``score``, ``max_points``, ``passed`` and ``messages``; displays itself.
    """
    try:
        exercise = registry.get(exercise_id)
    except registry.UnknownExerciseError:
        close = registry.suggest(str(exercise_id))
        msg = f"There is no exercise with the id {exercise_id!r}."
        if close:
            msg += " Did you mean: " + ", ".join(repr(c) for c in close) + "?"
        result = Result(str(exercise_id), kind="unknown", messages=[msg])
        return result.show() if show else result
    if answer is MISSING:
        frame = sys._getframe(1)
        answer = _lookup(exercise.name, {**frame.f_globals, **frame.f_locals})
    try:
        result = evaluate(exercise, answer)
    except Exception as exc:  # noqa: BLE001 - never raise because of an answer
        result = _internal_error(exercise, exc)
    if record:
        result.attempts = progress.record(result)
    if not result.passed and exercise.hints:
        n = max(result.attempts, 1)
        result.hint = exercise.hints[min(n - 1, len(exercise.hints) - 1)]
    return result.show() if show else result


def _lookup(name: str, caller_names: dict) -> Any:
    if name in caller_names:
        return caller_names[name]
    try:
        from IPython import get_ipython

        ip = get_ipython()
        if ip is not None and name in ip.user_ns:
            return ip.user_ns[name]
    except ImportError:  # pragma: no cover
        pass
    return _NotDefined(name)


class _NotDefined:
    def __init__(self, name: str):
        self.name = name


def evaluate(
    exercise: Exercise,
    answer: Any,
    *,
    purpose: str = "check",
    salt: str | int = "",
    forbid_package: bool = False,
    mode: str | None = None,
) -> Result:
    """Run the tests of one exercise on an answer; show and record nothing.

    Parameters
    ----------
    exercise : Exercise
    answer : object
    purpose : {"check", "grade"}
        ``"grade"`` draws the grading cases with the grading seed and `salt`.
    salt : str or int
        The grader's salt for the grading seed.
    forbid_package : bool
        Give 0 points to a function that is the package's own (imported, not written).
    mode : str, optional
        Force the sandbox mechanism (``"alarm"``, ``"fork"``, ``"thread"``).

    Returns
    -------
    Result
    """
    base = Result(exercise.id, title=exercise.title, kind=exercise.kind, max_points=exercise.points)
    if isinstance(answer, _NotDefined):
        base.messages.append(
            f"`{answer.name}` is not defined in the notebook yet. Define it (run its cell) "
            f"or pass your answer: check({exercise.id!r}, {answer.name})."
        )
        return base
    if isinstance(exercise, FunctionExercise):
        return _function(exercise, answer, base, purpose, salt, forbid_package, mode)
    if isinstance(exercise, ValueExercise):
        return _value(exercise, answer, base)
    if isinstance(exercise, ChoiceExercise):
        return _choice(exercise, answer, base)
    if isinstance(exercise, SliderTask):
        return _slider(exercise, answer, base, mode)
    raise TypeError(f"unknown exercise kind {type(exercise).__name__}")


def _internal_error(exercise: Exercise, exc: BaseException) -> Result:
    return Result(
        exercise.id,
        title=exercise.title,
        kind=exercise.kind,
        max_points=exercise.points,
        messages=[
            f"The checker itself failed ({type(exc).__name__}: {exc}). This is a bug in the "
            "book, not in your answer; please report it with the exercise id."
        ],
    )


def _passed(base: Result, message: str) -> Result:
    base.passed = True
    base.score = base.max_points
    base.messages.insert(0, message)
    return base


# -------------------------------------------------------------------- functions


def normalize_cases(cases: Any) -> list[tuple[tuple, dict]]:
    """Turn what ``public_cases(rng)`` returned into ``(args, kwargs)`` pairs.

    A tuple is the positional arguments, a dict the keyword arguments, anything else
    a single argument.
    """
    out = []
    for case in list(cases or []):
        if isinstance(case, tuple):
            out.append((case, {}))
        elif isinstance(case, dict):
            out.append(((), dict(case)))
        else:
            out.append(((case,), {}))
    return out


def function_cases(exercise: FunctionExercise, purpose: str = "check", salt: str | int = "") -> list:
    """All cases of a function exercise as ``(label, args, kwargs)``, public ones first."""
    public = normalize_cases(exercise.public_cases(exercise.rng("public")))
    more: list = []
    if exercise.grading_cases is not None:
        rng = exercise.rng("grading", salt) if purpose == "grade" else exercise.rng("check")
        more = normalize_cases(exercise.grading_cases(rng))
    cases = [(f"public case {i + 1} of {len(public)}", a, k) for i, (a, k) in enumerate(public)]
    cases += [(f"further test {i + 1} of {len(more)}", a, k) for i, (a, k) in enumerate(more)]
    return cases


def _param_names(func) -> list[str]:
    try:
        return [p.name for p in inspect.signature(func).parameters.values()]
    except (TypeError, ValueError):
        return []


def format_inputs(reference, args: tuple, kwargs: dict) -> str:
    """``name = value`` lines for the arguments of a case."""
    names = _param_names(reference)
    lines = []
    for i, a in enumerate(args):
        label = names[i] if i < len(names) else f"argument {i + 1}"
        lines.append(f"{label} = {format_value(a)}")
    lines.extend(f"{k} = {format_value(v)}" for k, v in kwargs.items())
    return "\n".join(lines)


def _is_package_function(func: Any, reference: Any) -> bool:
    if func is reference:
        return True
    target = inspect.unwrap(func) if callable(func) else func
    try:
        path = inspect.getsourcefile(target) or inspect.getfile(target)
    except (TypeError, OSError):
        return False
    return os.path.abspath(path).startswith(_PACKAGE_DIR + os.sep)


def _function(ex: FunctionExercise, answer, base: Result, purpose, salt, forbid_package, mode) -> Result:
    name = ex.name
    if not callable(answer):
        hint = ""
        if isinstance(answer, (int, float, np.ndarray, np.number)):
            hint = f" It looks like a result: pass the function itself, check({ex.id!r}, {name}), without calling it."
        base.messages.append(f"`{name}` should be a function, but it is a {type(answer).__name__}.{hint}")
        return base
    if forbid_package and _is_package_function(answer, ex.reference):
        base.messages.append(
            f"`{name}` is the book's own function imported from nnbook; the exercise asks you to write it yourself."
        )
        return base
    try:
        cases = function_cases(ex, purpose, salt)
    except Exception as exc:  # noqa: BLE001 - the exercise's own case generator
        return _internal_error(ex, exc)
    params = _param_names(ex.reference)
    for label, args, kwargs in cases:
        try:
            expected = ex.reference(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        except Exception as exc:  # noqa: BLE001
            return _internal_error(ex, exc)
        inputs = format_inputs(ex.reference, args, kwargs)
        try:
            inspect.signature(answer).bind(*args, **kwargs)
        except TypeError:
            try:
                theirs = str(inspect.signature(answer))
            except (TypeError, ValueError):
                theirs = "(...)"
            base.messages.append(
                f"`{name}{theirs}` cannot be called the way the exercise calls it: "
                f"{name}({', '.join(params) if params else '...'})."
            )
            return base
        except ValueError:
            pass
        student_args, student_kwargs = copy.deepcopy(args), copy.deepcopy(kwargs)
        pristine = copy.deepcopy((args, kwargs))
        outcome = sandbox.call(answer, student_args, student_kwargs, timeout=ex.timeout, mode=mode)
        case = CaseReport(label=label, inputs=inputs)
        if outcome.status == "timeout":
            base.messages.append(
                f"`{name}` was stopped after {ex.timeout:g} s on {label}: an endless loop, or far "
                "too slow (use vectorized numpy instead of Python loops over entries?)."
            )
            base.cases.append(case)
            return base
        if outcome.status == "interrupted":
            base.messages.append(f"Checking was interrupted on {label}.")
            return base
        if outcome.status in ("error", "exit", "crash"):
            what = outcome.error or "an error"
            msg = f"`{name}` raised {what} on {label}."
            if outcome.status == "exit":
                msg = f"`{name}` tried to exit Python ({outcome.error}) on {label}."
            if outcome.where:
                msg += "\nIn your code:\n" + "\n".join("  " + w for w in outcome.where.splitlines())
            base.messages.append(msg)
            base.cases.append(case)
            return base
        got = outcome.value
        mutated = [
            (params[i] if i < len(params) else f"argument {i + 1}")
            for i, (b, a) in enumerate(zip(pristine[0], outcome.args))
            if not same_inputs(b, a)
        ] + [k for k in pristine[1] if not same_inputs(pristine[1][k], outcome.kwargs.get(k))]
        if mutated:
            which = ", ".join(f"`{m}`" for m in mutated)
            base.messages.append(
                f"`{name}` changed its input {which} on {label}. Functions in this book must not "
                "modify their arguments: work on a copy (x = x.copy()) or build new arrays "
                "(x = x - eta * g instead of x -= eta * g)."
            )
            base.cases.append(case)
            return base
        ok, problem = compare(got, expected, ex.rtol, ex.atol)
        if ok:
            continue
        case.expected = format_value(expected)
        case.got = format_value(got)
        case.problem = problem
        base.messages.append(f"`{name}` gives a wrong result on {label}.")
        for wrong, message in ex.mistakes:
            try:
                wrong_out = wrong(*copy.deepcopy(args), **copy.deepcopy(kwargs))
            except Exception:  # noqa: BLE001
                continue
            if compare(got, wrong_out, ex.rtol, ex.atol)[0]:
                base.messages.append("Likely mistake: " + message)
                break
        base.cases.append(case)
        return base
    n_public = sum(1 for c in cases if c[0].startswith("public"))
    n_more = len(cases) - n_public
    more = f" and {n_more} further tests" if n_more else ""
    if forbid_package is False and _is_package_function(answer, ex.reference):
        base.messages.append("(This is the book's own function; the grader will want your own.)")
    return _passed(base, f"`{name}` passes all {n_public} public cases{more}.")


# ------------------------------------------------------------------------ values


def _as_value(answer: Any) -> tuple[Any, str]:
    if isinstance(answer, str):
        try:
            return parse_value(answer), ""
        except AnswerParseError as exc:
            return None, f"Cannot read your answer {answer!r}: {exc}."
    if answer is None or answer is Ellipsis:
        return None, "No answer yet: replace the placeholder with your number."
    return answer, ""


def _reference(stored: Any) -> Any:
    return stored() if callable(stored) else encoding.decode(stored)


def _matches(value: Any, stored: Any, rtol: float, atol: float) -> tuple[bool, str]:
    if encoding.is_hashed(stored):
        if isinstance(value, (list, tuple)):
            value = np.asarray(value, dtype=float)
        return encoding.matches_hash(value, stored), ""
    return compare(value, _reference(stored), rtol, atol, what="your answer", reveal=False)


def _value(ex: ValueExercise, answer, base: Result) -> Result:
    value, problem = _as_value(answer)
    if problem:
        base.messages.append(problem)
        return base
    ok, problem = _matches(value, ex.answer, ex.rtol, ex.atol)
    if ok:
        return _passed(base, f"Correct: {format_value(value)}.")
    problem = problem or "Your answer is not correct."
    base.messages.append(problem[0].upper() + problem[1:])
    for wrong, message in ex.mistakes:
        try:
            hit = _matches(value, wrong, ex.rtol, ex.atol)[0]
        except Exception:  # noqa: BLE001
            hit = False
        if hit:
            base.messages.append(message)
            break
    return base


# ----------------------------------------------------------------------- choices


def parse_choice(answer: Any, options: Sequence[str]) -> tuple[set[int] | None, str]:
    """Read a choice: an index, a set/list of indices, an option's text, or a letter.

    Returns
    -------
    chosen : set of int or None
    problem : str
    """
    n = len(options)

    def one(a: Any) -> int | None:
        if isinstance(a, (bool, np.bool_)):
            return None
        if isinstance(a, (int, np.integer)):
            return int(a) if 0 <= int(a) < n else None
        if isinstance(a, str):
            s = a.strip()
            if s.isdigit():
                return int(s) if int(s) < n else None
            for i, o in enumerate(options):
                if s == o.strip():
                    return i
            if len(s) == 1 and s.lower().isalpha() and ord(s.lower()) - 97 < n:
                return ord(s.lower()) - 97
        return None

    if answer is None or answer is Ellipsis:
        return None, "No choice yet: set it to the index of an option (0 for the first)."
    items = list(answer) if isinstance(answer, (set, frozenset, list, tuple)) else [answer]
    chosen = set()
    for a in items:
        i = one(a)
        if i is None:
            return None, f"{a!r} is not one of the options: give an index from 0 to {n - 1}."
        chosen.add(i)
    if not chosen:
        return None, "No option chosen."
    return chosen, ""


def _choice(ex: ChoiceExercise, answer, base: Result) -> Result:
    chosen, problem = parse_choice(answer, ex.options)
    if problem:
        base.messages.append(problem)
        return base
    correct = ex.correct()
    if not ex.multiple and len(chosen) != 1:
        base.messages.append("Choose exactly one option.")
        return base
    notes = {i: f"Option {i} ({ex.options[i]}): {ex.explanations[i]}" for i in sorted(chosen) if i in ex.explanations}
    if chosen == correct:
        result = _passed(base, "Correct." if not ex.multiple else "Correct: exactly the right options.")
        result.messages.extend(notes.values())
        return result
    wrong = sorted(chosen - correct)
    if wrong:
        base.messages.append(
            "Not correct: " + ", ".join(f"option {i} ({ex.options[i]})" for i in wrong)
            + (" is" if len(wrong) == 1 else " are") + " wrong."
        )
    else:
        base.messages.append("Not correct yet.")
    if correct - chosen and ex.multiple:
        base.messages.append("Some correct options are missing.")
    base.messages.extend(text for i, text in notes.items() if i in wrong)
    return base


# ----------------------------------------------------------------------- sliders


def _slider(ex: SliderTask, answer, base: Result, mode) -> Result:
    if answer is None or answer is Ellipsis:
        base.messages.append(
            f"No setting yet: move the sliders, press Check, and keep the line {ex.name} = "
            + repr({k: v[3] for k, v in ex.sliders.items()}).replace(": ", ": ") + " (with your values) in a code cell."
        )
        return base
    if not isinstance(answer, dict):
        base.messages.append(
            f"A slider task needs a dict of settings such as {ex.name} = "
            + repr({k: v[3] for k, v in ex.sliders.items()})
            + f", got a {type(answer).__name__}."
        )
        return base
    missing = [k for k in ex.sliders if k not in answer]
    extra = [k for k in answer if k not in ex.sliders]
    if missing or extra:
        base.messages.append(
            "The setting must have exactly the keys " + ", ".join(ex.sliders)
            + (f"; missing: {', '.join(missing)}" if missing else "")
            + (f"; unknown: {', '.join(map(str, extra))}" if extra else "") + "."
        )
        return base
    values = {}
    for key, (lo, hi, step, _) in ex.sliders.items():
        v = answer[key]
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
            base.messages.append(f"{key} must be a number, got {v!r}.")
            return base
        if not np.isfinite(v) or not (lo - 1e-9 * abs(hi - lo) <= v <= hi + 1e-9 * abs(hi - lo)):
            base.messages.append(f"{key} = {v!r} is outside the slider's range [{lo}, {hi}].")
            return base
        if ex.integer[key]:
            if float(v) != int(v):
                base.messages.append(f"{key} must be a whole number, got {v!r}.")
                return base
            v = int(v)
        else:
            v = float(v)
        values[key] = v
    outcome = sandbox.call(ex.goal, (), values, timeout=ex.timeout, mode=mode)
    if outcome.status == "timeout":
        base.messages.append(f"The experiment did not finish within {ex.timeout:g} s.")
        return base
    if outcome.status != "ok":
        base.messages.append(f"The experiment failed with these settings ({outcome.error}).")
        return base
    try:
        ok, message = outcome.value
    except (TypeError, ValueError):
        return _internal_error(ex, TypeError("goal must return (bool, str)"))
    setting = ", ".join(f"{k} = {v:g}" for k, v in values.items())
    if ok:
        return _passed(base, f"Goal reached with {setting}. {message}".strip())
    base.messages.append(f"Goal not reached with {setting}. {message}".strip())
    return base
