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

from ..i18n import N_, _, ngettext, pgettext
from ..page import encoding
from . import plain, progress, registry, sandbox
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
        msg = _("There is no exercise with the id {id}.").format(id=repr(exercise_id))
        if close:
            msg += " " + _("Did you mean: {ids}?").format(ids=", ".join(repr(c) for c in close))
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
        result.hint = _(exercise.hints[min(n - 1, len(exercise.hints) - 1)])
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
    base = Result(exercise.id, title=_(exercise.title), kind=exercise.kind, max_points=exercise.points)
    if isinstance(answer, _NotDefined):
        base.messages.append(
            _("`{name}` is not defined in the notebook yet. Define it (run its cell) "
              "or pass your answer: check({id}, {name}).").format(name=answer.name, id=repr(exercise.id))
        )
        return base
    if isinstance(exercise, FunctionExercise):
        return _function(exercise, answer, base, purpose, salt, forbid_package, mode)
    return judge_answer(exercise, plain.roundtrip(answer), base, mode)


_EXPECTED = {
    "value": N_("a number, an array or a list of numbers"),
    "choice": N_("the index of an option (or a set of indices)"),
    "slider": N_("a dict of slider settings"),
}


def judge_answer(exercise: Exercise, value: Any, base: Result | None = None, mode: str | None = None) -> Result:
    """Judge a value, choice or slider answer received as plain data (grader side, and :func:`check`).

    Parameters
    ----------
    exercise : ValueExercise, ChoiceExercise or SliderTask
    value : object
        The answer after :func:`nnbook.exercises.plain.from_plain` (or ``roundtrip``).
    base : Result, optional
    mode : str, optional
        Sandbox mechanism for a slider task's experiment.
    """
    if base is None:
        base = Result(exercise.id, title=_(exercise.title), kind=exercise.kind, max_points=exercise.points)
    bad = plain.contains_unsupported(value)
    if bad is not None:
        expected = _(_EXPECTED.get(exercise.kind, N_("a plain value")))
        if bad is value:
            text = _("`{name}` is {found}; {expected} was expected.")
        else:
            text = _("`{name}` contains {found}; {expected} was expected.")
        base.messages.append(text.format(name=exercise.name, found=bad.describe(), expected=expected))
        return base
    if isinstance(exercise, ValueExercise):
        return _value(exercise, value, base)
    if isinstance(exercise, ChoiceExercise):
        return _choice(exercise, value, base)
    if isinstance(exercise, SliderTask):
        return _slider(exercise, value, base, mode)
    raise TypeError(f"unknown exercise kind {type(exercise).__name__}")


def _internal_error(exercise: Exercise, exc: BaseException) -> Result:
    return Result(
        exercise.id,
        title=_(exercise.title),
        kind=exercise.kind,
        max_points=exercise.points,
        messages=[
            _("The checker itself failed ({error}). This is a bug in the "
              "book, not in your answer; please report it with the exercise id.").format(
                error=f"{type(exc).__name__}: {exc}")
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
    cases = [(CaseLabel(_("public case {i} of {n}").format(i=i + 1, n=len(public)), public=True), a, k)
             for i, (a, k) in enumerate(public)]
    cases += [(CaseLabel(_("further test {i} of {n}").format(i=i + 1, n=len(more)), public=False), a, k)
              for i, (a, k) in enumerate(more)]
    return cases


class CaseLabel(str):
    """A case's label in the reader's language, which knows whether the case is public."""

    def __new__(cls, text: str, public: bool = True):
        label = super().__new__(cls, text)
        label.public = bool(public)
        return label


def _is_public(label: str) -> bool:
    return label.public if isinstance(label, CaseLabel) else str(label).startswith("public")


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
        label = names[i] if i < len(names) else _("argument {i}").format(i=i + 1)
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


def _forbidden_watch(ex: FunctionExercise) -> sandbox.CallWatch:
    """Watch the reference and the exercise's `forbidden` functions, if they are the package's.

    Identity (`_is_package_function`) catches ``name = woodbury_update``; the watch catches
    ``name = lambda H, b: woodbury_update(H, b)`` and any ``def`` that calls it, because it
    sees the call run. Functions outside the package (numpy's) are never forbidden.
    """
    candidates = [ex.reference, *getattr(ex, "forbidden", ())]
    return sandbox.CallWatch(f for f in candidates if _in_package(f))


def _in_package(func: Any) -> bool:
    code = sandbox._code_of(func)
    return code is not None and os.path.abspath(code.co_filename).startswith(_PACKAGE_DIR + os.sep)


def _short(label: str) -> str:
    return "`" + label.rsplit(".", 1)[-1] + "` (" + label.rsplit(".", 1)[0] + ")" if "." in label else f"`{label}`"


class _warnings_as_errors:
    """Inside: numpy's overflow, invalid-value and division warnings raise (``no_warnings`` exercises)."""

    def __init__(self, ex: FunctionExercise):
        self.active = bool(getattr(ex, "no_warnings", False))

    def __enter__(self):
        if self.active:
            import warnings

            self._catch = warnings.catch_warnings()
            self._catch.__enter__()
            warnings.simplefilter("error", RuntimeWarning)
            self._err = np.errstate(over="warn", invalid="warn", divide="warn", under="ignore")
            self._err.__enter__()
        return self

    def __exit__(self, *exc):
        if self.active:
            self._err.__exit__(*exc)
            self._catch.__exit__(*exc)
        return False


def _warning_mistake(ex: FunctionExercise, args, kwargs, error: str) -> str:
    """The message for a student's function that warned: a declared mistake that warns alike, or a general one."""
    for wrong, message in ex.mistakes:
        try:
            with _warnings_as_errors(ex):
                wrong(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        except RuntimeWarning as exc:
            if error == f"RuntimeWarning: {exc}":
                return _("Likely mistake: {message}").format(message=_(message))
        except Exception:  # noqa: BLE001
            continue
    return _("The values may be right, but numpy warned while computing them: an inf or nan appeared "
             "along the way (np.where evaluates both branches for every entry). The exercise asks for "
             "a function that gives no warnings.")


# The checks of a function exercise come in two halves, so that the same code gives the
# same feedback in the student's kernel (check) and in the grader (which never runs the
# student's code itself):
#
# * probes (run where the student's function lives): `probe_function_head` looks at the
#   answer (defined? callable? the book's own?) and `probe_function_case` calls it on one
#   case's inputs, inside the sandbox; `encode_case_probe` turns what happened into plain
#   data (nnbook.exercises.plain), which `decode_case_probe` validates on the other side;
# * the judge (`judge_function`, run where the references are computed) compares with the
#   reference, detects mutated inputs, names mistakes, and writes the messages.
#
# `check()` runs both halves in the kernel, the plain data round trip included; the grader
# runs the probes in the student's kernel (nnbook.exercises.grading_harness) and the
# judge in its own process (nnbook.grade.judge).

PROBE_STATUSES = frozenset({"ok", "error", "timeout", "exit", "interrupted", "crash", "signature"})
_TEXT_LIMIT = 4000


def probe_function_head(ex: FunctionExercise, answer: Any) -> dict:
    """What the judge needs to know about the answer itself, as plain data (kernel side)."""
    if isinstance(answer, _NotDefined):
        return {"defined": False}
    if not callable(answer):
        return {
            "defined": True, "callable": False, "type": plain._type_name(type(answer)).rsplit(".", 1)[-1],
            "looks_like_result": isinstance(answer, (int, float, np.ndarray, np.number)),
        }
    return {"defined": True, "callable": True, "package": bool(_is_package_function(answer, ex.reference))}


def probe_function_case(ex: FunctionExercise, answer: Any, args: tuple, kwargs: dict, *, mode: str | None = None,
                        watch: Any = None) -> dict:
    """Call the student's function on copies of one case's inputs (kernel side).

    The call runs in the sandbox with the exercise's time limit, watched for forbidden
    functions (`watch`, see :func:`_forbidden_watch`), and with numpy's warnings as errors
    for a ``no_warnings`` exercise.

    Returns
    -------
    dict
        ``status`` (one of :data:`PROBE_STATUSES`), ``value``, the arguments after the call
        (``args``, ``kwargs``: mutated in place if the function did so), ``error``,
        ``where`` (the student's own lines), ``forbidden`` (watched functions it ran) and,
        for ``status == "signature"``, the answer's ``signature``. Values are the Python
        objects; :func:`encode_case_probe` makes plain data of them.
    """
    try:
        inspect.signature(answer).bind(*args, **kwargs)
    except TypeError:
        try:
            theirs = str(inspect.signature(answer))
        except (TypeError, ValueError):
            theirs = "(...)"
        return {"status": "signature", "signature": theirs}
    except ValueError:
        pass
    with _warnings_as_errors(ex):
            outcome = sandbox.call(answer, copy.deepcopy(args), copy.deepcopy(kwargs), timeout=ex.timeout, mode=mode,
                               **({"watch": watch} if watch is not None else {}))
    after = (tuple(outcome.args), dict(outcome.kwargs))
    # inputs that are not plain data go back as references, with whether the call changed them
    objects = [(a, same_inputs(b, a)) for b, a in zip(plain.objects_in((args, kwargs)), plain.objects_in(after))]
    return {
        "status": outcome.status, "value": outcome.value if outcome.status == "ok" else None,
        "args": after[0], "kwargs": after[1], "error": outcome.error, "where": outcome.where,
        "forbidden": list(getattr(outcome, "forbidden", ()) or ()), "objects": objects,
    }


def encode_case_probe(probe: dict, max_bytes: int = plain.MAX_BYTES) -> dict:
    """Plain data of a :func:`probe_function_case` result (kernel side)."""
    objects = {id(obj): (k, same) for k, (obj, same) in enumerate(probe.get("objects", ()))}
    out = {"status": str(probe.get("status", "")), "error": str(probe.get("error", ""))[:_TEXT_LIMIT],
           "where": str(probe.get("where", ""))[:_TEXT_LIMIT],
           "forbidden": [str(f)[:200] for f in probe.get("forbidden", ())][:20],
           "signature": str(probe.get("signature", ""))[:_TEXT_LIMIT]}
    for key in ("value", "args", "kwargs"):
        out[key] = plain.to_plain(probe.get(key), objects=objects, max_bytes=max_bytes)
    return out


def decode_case_probe(data: Any, objects: list | None = None) -> dict:
    """Validate a case probe received as plain data and build its values (grader side).

    `objects` are :func:`nnbook.exercises.plain.objects_in` of the case's inputs (the
    judge's own): the objects that references in the report may name.

    Raises
    ------
    plain.PlainDataError
        If anything does not follow the format.
    """
    if type(data) is not dict:
        raise plain.PlainDataError("a case report must be an object")
    status = data.get("status")
    if status not in PROBE_STATUSES:
        raise plain.PlainDataError(f"unknown status {str(status)[:40]!r}")
    out: dict = {"status": status}
    for key in ("error", "where", "signature"):
        value = data.get(key, "")
        if type(value) is not str:
            raise plain.PlainDataError(f"{key} must be text")
        out[key] = value[:_TEXT_LIMIT]
    forbidden = data.get("forbidden", [])
    if type(forbidden) is not list or not all(type(f) is str for f in forbidden):
        raise plain.PlainDataError("forbidden must be a list of names")
    out["forbidden"] = [f[:200] for f in forbidden[:20]]
    out["value"] = plain.from_plain(data.get("value"), objects=objects)
    after_args = plain.from_plain(data.get("args", {plain.TAG: "tuple", "items": []}), objects=objects)
    after_kwargs = plain.from_plain(data.get("kwargs", {plain.TAG: "dict", "items": []}), objects=objects)
    if status != "signature" and (type(after_args) is not tuple or type(after_kwargs) is not dict):
        raise plain.PlainDataError("the arguments after the call must be a tuple and a dict")
    out["args"], out["kwargs"] = after_args, after_kwargs
    return out


def decode_head(data: Any) -> dict:
    """Validate a :func:`probe_function_head` result received as plain data (grader side)."""
    if type(data) is not dict or type(data.get("defined")) is not bool:
        raise plain.PlainDataError("a function report must say whether the name is defined")
    if not data["defined"]:
        return {"defined": False}
    if type(data.get("callable")) is not bool:
        raise plain.PlainDataError("a function report must say whether the answer is callable")
    if not data["callable"]:
        kind = data.get("type")
        return {"defined": True, "callable": False, "type": str(kind)[:100] if type(kind) is str else "object",
                "looks_like_result": data.get("looks_like_result") is True}
    return {"defined": True, "callable": True, "package": data.get("package") is True}


def _judge_head(ex: FunctionExercise, head: dict, base: Result, forbid_package: bool) -> bool:
    """Messages about the answer itself; True if the exercise is decided (0 points)."""
    name = ex.name
    if not head.get("defined", True):
        base.messages.append(_("`{name}` is not defined in the notebook.").format(name=name))
        return True
    if not head.get("callable", False):
        msg = _("`{name}` should be a function, but it is a {type}.").format(name=name, type=head.get("type", "object"))
        if head.get("looks_like_result"):
            msg += " " + _("It looks like a result: pass the function itself, check({id}, {name}), "
                           "without calling it.").format(id=repr(ex.id), name=name)
        base.messages.append(msg)
        return True
    if forbid_package and head.get("package"):
        base.messages.append(
            _("`{name}` is the book's own function imported from nnbook; the exercise asks you to write it "
              "yourself.").format(name=name)
        )
        return True
    return False


def judge_function(ex: FunctionExercise, base: Result, head: dict, cases: list, probe_for, forbid_package: bool) -> Result:
    """Judge a function exercise from its probes (grader side, and :func:`check`).

    Parameters
    ----------
    ex : FunctionExercise
    base : Result
        The result to fill in.
    head : dict
        :func:`probe_function_head`, decoded.
    cases : list of (label, args, kwargs)
        :func:`function_cases`: the inputs, as the judge made them (never given to the
        student's function, so they are the pristine inputs).
    probe_for : callable
        ``probe_for(i, args, kwargs)`` returns case `i`'s decoded probe, or None if there
        is none (the notebook sent nothing).
    forbid_package : bool
        0 points for the book's own function, or one that runs a watched function.

    Returns
    -------
    Result
    """
    name = ex.name
    if _judge_head(ex, head, base, forbid_package):
        return base
    params = _param_names(ex.reference)
    used: list[str] = []
    for i, (label, args, kwargs) in enumerate(cases):
        try:
            expected = ex.reference(*copy.deepcopy(args), **copy.deepcopy(kwargs))
        except Exception as exc:  # noqa: BLE001
            return _internal_error(ex, exc)
        inputs = format_inputs(ex.reference, args, kwargs)
        probe = probe_for(i, args, kwargs)
        if probe is None:
            base.messages.append(_("No result came back from the notebook for `{name}` on {case}.").format(
                name=name, case=label))
            return base
        if probe["status"] == "signature":
            base.messages.append(
                _("`{theirs}` cannot be called the way the exercise calls it: {call}.").format(
                    theirs=name + (probe.get("signature") or "(...)"),
                    call=f"{name}({', '.join(params) if params else '...'})")
            )
            return base
        case = CaseReport(label=label, inputs=inputs)
        if probe.get("forbidden"):
            if forbid_package:
                which = " and ".join(_short(f) for f in probe["forbidden"])
                base.messages.append(
                    _("`{name}` calls the book's own {which} on {case}: the exercise asks you to "
                      "write the computation yourself, and a function that hands the work to the "
                      "book's solution scores no points.").format(name=name, which=which, case=label)
                )
                return base
            used.extend(f for f in probe["forbidden"] if f not in used)
        if probe["status"] == "timeout":
            base.messages.append(
                _("`{name}` was stopped after {seconds:g} s on {case}: an endless loop, or far "
                  "too slow (use vectorized numpy instead of Python loops over entries?).").format(
                    name=name, seconds=ex.timeout, case=label)
            )
            base.cases.append(case)
            return base
        if probe["status"] == "interrupted":
            base.messages.append(_("Checking was interrupted on {case}.").format(case=label))
            return base
        if probe["status"] in ("error", "exit", "crash"):
            what = probe.get("error") or _("an error")
            msg = _("`{name}` raised {error} on {case}.").format(name=name, error=what, case=label)
            if probe["status"] == "exit":
                msg = _("`{name}` tried to exit Python ({error}) on {case}.").format(
                    name=name, error=probe.get("error"), case=label)
            if probe.get("where"):
                msg += "\n" + _("In your code:") + "\n" + "\n".join("  " + w for w in probe["where"].splitlines())
            base.messages.append(msg)
            if getattr(ex, "no_warnings", False) and str(probe.get("error", "")).startswith("RuntimeWarning"):
                base.messages.append(_warning_mistake(ex, args, kwargs, probe["error"]))
            base.cases.append(case)
            return base
        got = probe["value"]
        after_args, after_kwargs = probe["args"], probe["kwargs"]
        mutated = [
            (params[j] if j < len(params) else _("argument {i}").format(i=j + 1))
            for j, (b, a) in enumerate(zip(args, after_args))
            if not same_inputs(b, a)
        ] + [k for k in kwargs if not same_inputs(kwargs[k], after_kwargs.get(k))]
        if len(after_args) != len(args):
            mutated = mutated or [_("the argument list")]
        if mutated:
            which = ", ".join(f"`{m}`" for m in mutated)
            base.messages.append(
                _("`{name}` changed its input {which} on {case}. Functions in this book must not "
                  "modify their arguments: work on a copy (x = x.copy()) or build new arrays "
                  "(x = x - eta * g instead of x -= eta * g).").format(name=name, which=which, case=label)
            )
            base.cases.append(case)
            return base
        ok, problem = compare(got, expected, ex.rtol, ex.atol)
        if ok:
            continue
        case.expected = format_value(expected)
        case.got = format_value(got)
        case.problem = problem
        base.messages.append(_("`{name}` gives a wrong result on {case}.").format(name=name, case=label))
        for wrong, message in ex.mistakes:
            try:
                wrong_out = wrong(*copy.deepcopy(args), **copy.deepcopy(kwargs))
            except Exception:  # noqa: BLE001
                continue
            if compare(got, wrong_out, ex.rtol, ex.atol)[0]:
                base.messages.append(_("Likely mistake: {message}").format(message=_(message)))
                break
        base.cases.append(case)
        return base
    n_public = sum(1 for c in cases if _is_public(c[0]))
    n_more = len(cases) - n_public
    if forbid_package is False and head.get("package"):
        base.messages.append(_("(This is the book's own function; the grader will want your own.)"))
    elif used:
        which = pgettext("list separator", " and ").join(_short(f) for f in used)
        base.messages.append(_("(`{name}` calls the book's own {which}; the grader will want your own code.)").format(
            name=name, which=which))
    if n_more:
        text = _("`{name}` passes all {n} public cases and {more} further tests.")
    else:
        text = _("`{name}` passes all {n} public cases.")
    return _passed(base, text.format(name=name, n=n_public, more=n_more))


def _function(ex: FunctionExercise, answer, base: Result, purpose, salt, forbid_package, mode) -> Result:
    """Both halves in this process: probe, plain data round trip, judge (what check() runs)."""
    head = probe_function_head(ex, answer)
    if not head.get("callable") or (forbid_package and head.get("package")):
        return judge_function(ex, base, decode_head(plain.roundtrip(head)), [], None, forbid_package)
    try:
        cases = function_cases(ex, purpose, salt)
    except Exception as exc:  # noqa: BLE001 - the exercise's own case generator
        return _internal_error(ex, exc)
    watch = _forbidden_watch(ex)

    def probe_for(i, args, kwargs):
        probe = probe_function_case(ex, answer, args, kwargs, mode=mode, watch=watch)
        return decode_case_probe(encode_case_probe(probe), plain.objects_in((args, kwargs)))

    return judge_function(ex, base, decode_head(plain.roundtrip(head)), cases, probe_for, forbid_package)


# ------------------------------------------------------------------------ values


def _as_value(answer: Any) -> tuple[Any, str]:
    if isinstance(answer, str):
        try:
            return parse_value(answer), ""
        except AnswerParseError as exc:
            return None, _("Cannot read your answer {answer}: {problem}.").format(answer=repr(answer), problem=exc)
    if answer is None or answer is Ellipsis:
        return None, _("No answer yet: replace the placeholder with your number.")
    return answer, ""


def _reference(stored: Any) -> Any:
    return stored() if callable(stored) else encoding.decode(stored)


def _matches(value: Any, stored: Any, rtol: float, atol: float) -> tuple[bool, str]:
    if encoding.is_hashed(stored):
        if isinstance(value, (list, tuple)):
            value = np.asarray(value, dtype=float)
        return encoding.matches_hash(value, stored), ""
    return compare(value, _reference(stored), rtol, atol, what=_("your answer"), reveal=False)


def _value(ex: ValueExercise, answer, base: Result) -> Result:
    value, problem = _as_value(answer)
    if problem:
        base.messages.append(problem)
        return base
    ok, problem = _matches(value, ex.answer, ex.rtol, ex.atol)
    if ok:
        return _passed(base, _("Correct: {value}.").format(value=format_value(value)))
    problem = problem or _("Your answer is not correct.")
    base.messages.append(problem[0].upper() + problem[1:])
    for wrong, message in ex.mistakes:
        try:
            hit = _matches(value, wrong, ex.rtol, ex.atol)[0]
        except Exception:  # noqa: BLE001
            hit = False
        if hit:
            base.messages.append(_(message))
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
                if s == o.strip() or s == _(o).strip():
                    return i
            if len(s) == 1 and s.lower().isalpha() and ord(s.lower()) - 97 < n:
                return ord(s.lower()) - 97
        return None

    if answer is None or answer is Ellipsis:
        return None, _("No choice yet: set it to the index of an option (0 for the first).")
    items = list(answer) if isinstance(answer, (set, frozenset, list, tuple)) else [answer]
    chosen = set()
    for a in items:
        i = one(a)
        if i is None:
            return None, _("{answer} is not one of the options: give an index from 0 to {last}.").format(
                answer=repr(a), last=n - 1)
        chosen.add(i)
    if not chosen:
        return None, _("No option chosen.")
    return chosen, ""


def _choice(ex: ChoiceExercise, answer, base: Result) -> Result:
    chosen, problem = parse_choice(answer, ex.options)
    if problem:
        base.messages.append(problem)
        return base
    correct = ex.correct()
    if not ex.multiple and len(chosen) != 1:
        base.messages.append(_("Choose exactly one option."))
        return base
    notes = {i: _("Option {i} ({option}): {explanation}").format(
        i=i, option=_(ex.options[i]), explanation=_(ex.explanations[i])) for i in sorted(chosen) if i in ex.explanations}
    if chosen == correct:
        result = _passed(base, _("Correct.") if not ex.multiple else _("Correct: exactly the right options."))
        result.messages.extend(notes.values())
        return result
    wrong = sorted(chosen - correct)
    if wrong:
        options = pgettext("list separator", ", ").join(_("option {i} ({option})").format(i=i, option=_(ex.options[i])) for i in wrong)
        base.messages.append(
            ngettext("Not correct: {options} is wrong.", "Not correct: {options} are wrong.", len(wrong)).format(
                options=options)
        )
    else:
        base.messages.append(_("Not correct yet."))
    if correct - chosen and ex.multiple:
        base.messages.append(_("Some correct options are missing."))
    base.messages.extend(text for i, text in notes.items() if i in wrong)
    return base


# ----------------------------------------------------------------------- sliders


def _slider(ex: SliderTask, answer, base: Result, mode) -> Result:
    if answer is None or answer is Ellipsis:
        base.messages.append(
            _("No setting yet: move the sliders, press Check, and keep the line {line} "
              "(with your values) in a code cell.").format(
                line=f"{ex.name} = " + repr({k: v[3] for k, v in ex.sliders.items()}))
        )
        return base
    if not isinstance(answer, dict):
        base.messages.append(
            _("A slider task needs a dict of settings such as {line}, got a {type}.").format(
                line=f"{ex.name} = " + repr({k: v[3] for k, v in ex.sliders.items()}), type=type(answer).__name__)
        )
        return base
    missing = [k for k in ex.sliders if k not in answer]
    extra = [k for k in answer if k not in ex.sliders]
    if missing or extra:
        base.messages.append(
            _("The setting must have exactly the keys {keys}").format(keys=", ".join(ex.sliders))
            + (_("; missing: {keys}").format(keys=", ".join(missing)) if missing else "")
            + (_("; unknown: {keys}").format(keys=", ".join(map(str, extra))) if extra else "") + pgettext("sentence end", ".")
        )
        return base
    values = {}
    for key, (lo, hi, step, _initial) in ex.sliders.items():
        v = answer[key]
        if isinstance(v, (bool, np.bool_)) or not isinstance(v, (int, float, np.integer, np.floating)):
            base.messages.append(_("{key} must be a number, got {value}.").format(key=key, value=repr(v)))
            return base
        if not np.isfinite(v) or not (lo - 1e-9 * abs(hi - lo) <= v <= hi + 1e-9 * abs(hi - lo)):
            base.messages.append(_("{key} = {value} is outside the slider's range [{lo}, {hi}].").format(
                key=key, value=repr(v), lo=lo, hi=hi))
            return base
        if ex.integer[key]:
            if float(v) != int(v):
                base.messages.append(_("{key} must be a whole number, got {value}.").format(key=key, value=repr(v)))
                return base
            v = int(v)
        else:
            v = float(v)
        values[key] = v
    outcome = sandbox.call(ex.goal, (), values, timeout=ex.timeout, mode=mode)
    if outcome.status == "timeout":
        base.messages.append(_("The experiment did not finish within {seconds:g} s.").format(seconds=ex.timeout))
        return base
    if outcome.status != "ok":
        base.messages.append(_("The experiment failed with these settings ({error}).").format(error=outcome.error))
        return base
    try:
        ok, message = outcome.value
    except (TypeError, ValueError):
        return _internal_error(ex, TypeError("goal must return (bool, str)"))
    setting = ", ".join(f"{k} = {v:g}" for k, v in values.items())
    if ok:
        return _passed(base, _("Goal reached with {setting}. {message}").format(setting=setting, message=message).strip())
    base.messages.append(_("Goal not reached with {setting}. {message}").format(setting=setting, message=message).strip())
    return base
