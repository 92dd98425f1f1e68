"""The grader's half of grading: inputs, references and judgements, all in the grader process.

For each exercise of a submission, :func:`plan` draws the grading cases with a salt of
the grader's (by default fresh random bytes per submission, so the notebook cannot know
the inputs in advance) and builds the request the kernel receives
(:func:`nnbook.exercises.grading_harness.collect`): names, and for a function exercise
the inputs as plain data. The references are never computed in the kernel and never sent.

:class:`Records` gathers what the kernel reported (text read from the kernel's display
messages of the collection cell), and :func:`judge` turns one exercise's records into a
:class:`~nnbook.exercises.results.Result` with the checking code of
:mod:`nnbook.exercises.checking` (:func:`~nnbook.exercises.checking.judge_function`,
:func:`~nnbook.exercises.checking.judge_answer`): the same messages, hints and scores as
``check()`` in a notebook. Every record is validated; a malformed one scores 0.
"""

from __future__ import annotations

import json
import threading
from dataclasses import dataclass, field
from typing import Any

from nnbook.exercises import checking, plain, registry
from nnbook.exercises.registry import Exercise, FunctionExercise, SliderTask
from nnbook.exercises.results import Result
from nnbook.i18n import _, get_language

__all__ = ["Plan", "plan", "requests_of", "Records", "judge"]

#: Characters of one record the grader reads at most (larger records are dropped).
RECORD_CHARS = 16 * 1024 * 1024


@dataclass
class Plan:
    """One exercise to grade.

    Attributes
    ----------
    exercise : Exercise
    cases : list of (label, args, kwargs)
        The grading inputs of a function exercise (the grader's pristine copies).
    request : dict
        What the kernel receives.
    problem : str
        Set when the inputs could not be prepared (the exercise then scores 0 with it).
    forbid_package : bool
        0 points for the book's own function (the grader's rule; ``check()`` only notes it).
    """

    exercise: Exercise
    cases: list = field(default_factory=list)
    request: dict = field(default_factory=dict)
    problem: str = ""
    forbid_package: bool = True


def plan(ids: list[str], salt: str, forbid_package: bool = True) -> list[Plan]:
    """Plans for the exercises `ids`, with grading inputs drawn with `salt`."""
    plans = []
    for exercise_id in ids:
        ex = registry.get(exercise_id)
        p = Plan(ex, request={"id": ex.id, "kind": ex.kind, "name": ex.name}, forbid_package=forbid_package)
        if isinstance(ex, FunctionExercise):
            try:
                p.cases = checking.function_cases(ex, "grade", salt)
                p.request["cases"] = [plain.to_plain((args, kwargs), pickle_objects=True) for _, args, kwargs in p.cases]
                p.request["forbid_package"] = forbid_package
            except Exception as exc:  # noqa: BLE001 - the exercise's own case generator
                p.problem = f"{type(exc).__name__}: {exc}"
                p.request["cases"] = []
        plans.append(p)
    return plans


def requests_of(plans: list[Plan]) -> list[dict]:
    """The requests of the plans that can be sent to the kernel."""
    return [p.request for p in plans if not p.problem]


class Records:
    """The records one collection cell produced, by exercise.

    Only the first record of each kind counts (a second ``head`` or case ``i`` is
    ignored); unreadable records are ignored.
    """

    def __init__(self, texts: list[str] = ()):
        self.by_id: dict[str, dict] = {}
        self.done = False
        for text in texts:
            self.add(text)

    def _entry(self, exercise_id: str) -> dict:
        return self.by_id.setdefault(exercise_id, {"started": False, "ended": False, "cases": {}})

    def add(self, text: Any) -> None:
        if type(text) is not str or len(text) > RECORD_CHARS:
            return
        try:
            rec = json.loads(text)
        except ValueError:
            return
        if type(rec) is not dict:
            return
        event = rec.get("event")
        if event == "done":
            self.done = True
            return
        exercise_id = rec.get("id")
        if type(exercise_id) is not str:
            return
        entry = self._entry(exercise_id)
        if event == "start":
            entry["started"] = True
        elif event == "end":
            entry["ended"] = True
        elif event == "head":
            entry.setdefault("head", rec.get("head"))
        elif event == "case" and type(rec.get("i")) is int:
            entry["cases"].setdefault(rec["i"], rec.get("probe"))
        elif event == "value":
            entry.setdefault("value", rec)
        elif event == "error":
            entry.setdefault("error", rec.get("error"))

    def ended(self, exercise_id: str) -> bool:
        return self.by_id.get(exercise_id, {}).get("ended", False)


def _base(ex: Exercise) -> Result:
    return Result(ex.id, title=_(ex.title), kind=ex.kind, max_points=ex.points)


_GOALS: dict = {}
_GOALS_LOCK = threading.Lock()


def judge(p: Plan, records: Records) -> Result:
    """Judge one exercise from the kernel's records (never raises)."""
    ex = p.exercise
    base = _base(ex)
    if p.problem:
        base.messages.append(
            _("The grader could not prepare the inputs of this exercise ({problem}). This is a bug in the "
              "book, not in your answer; please report it with the exercise id.").format(problem=p.problem)
        )
        return base
    entry = records.by_id.get(ex.id, {})
    if entry.get("error") is not None:
        base.messages.append(_("The grading could not run in the notebook's kernel ({error}).").format(
            error=str(entry["error"])[:300]))
        return base
    try:
        if isinstance(ex, FunctionExercise):
            return _function(p, entry, base)
        return _answer(ex, entry, base)
    except plain.PlainDataError as exc:
        fresh = _base(ex)
        fresh.messages.append(_("The grader could not read what the notebook reported for `{name}` ({problem}).").format(
            name=ex.name, problem=exc))
        return fresh
    except Exception as exc:  # noqa: BLE001 - never lose the row
        fresh = _base(ex)
        fresh.messages.append(_("grading failed: {error}").format(error=f"{type(exc).__name__}: {exc}"))
        return fresh


def _function(p: Plan, entry: dict, base: Result) -> Result:
    ex = p.exercise
    if "head" not in entry:
        base.messages.append(_("No report about `{name}` came back from the notebook.").format(name=ex.name))
        return base
    head = checking.decode_head(entry["head"])

    def probe_for(i, args, kwargs):
        raw = entry["cases"].get(i)
        if raw is None:
            return None
        return checking.decode_case_probe(raw, plain.objects_in((args, kwargs)))

    return checking.judge_function(ex, base, head, p.cases, probe_for, forbid_package=p.forbid_package)


def _answer(ex: Exercise, entry: dict, base: Result) -> Result:
    rec = entry.get("value")
    if rec is None:
        base.messages.append(_("No report about `{name}` came back from the notebook.").format(name=ex.name))
        return base
    if rec.get("defined") is not True:
        base.messages.append(_("`{name}` is not defined in the notebook.").format(name=ex.name))
        return base
    value = plain.from_plain(rec.get("value"))
    if not isinstance(ex, SliderTask):
        return checking.judge_answer(ex, value, base)
    # The experiment is the book's code on validated settings: run it here (in a thread of
    # the grader, which cannot be stopped, but it is the book's own code), once per setting.
    key = (ex.id, json.dumps(rec.get("value"), sort_keys=True), get_language())  # the messages are in one language
    with _GOALS_LOCK:
        known = _GOALS.get(key)
    if known is not None:
        return Result.from_dict(known)
    result = checking.judge_answer(ex, value, base, mode="thread")
    with _GOALS_LOCK:
        _GOALS[key] = result.to_dict()
    return result
