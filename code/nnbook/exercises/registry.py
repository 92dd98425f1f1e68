"""The exercise registry: every self-graded exercise of the book, found by its stable ID.

Chapter authors define exercises in ``nnbook/exercises/bank/<chapter_slug>.py`` with
:func:`function_exercise`, :func:`value_exercise`, :func:`choice_exercise` and
:func:`slider_task`. The bank is imported on first use of :func:`get`, :func:`all`,
:func:`for_chapter` or :func:`ids`. Modules named in the environment variable
``NNBOOK_EXTRA_EXERCISES`` (dotted module names or paths to ``.py`` files, separated
by commas or ``os.pathsep``) are imported too; the tests use this for exercises that
must not appear in the book.

An ID is ``"<chapter-slug>.<name>"``, for example ``"backprop.hidden-delta"``. Defining
an ID twice from two different modules raises :class:`DuplicateExerciseError`; running
the same module again (``importlib.reload``, re-running a notebook cell) replaces the
old definition.
"""

from __future__ import annotations

import builtins
import hashlib
import importlib
import importlib.util
import keyword
import os
import pkgutil
import re
import sys
import threading
import traceback
import warnings
from dataclasses import dataclass, field
from typing import Any, Callable, Mapping, Sequence

import numpy as np

from ..page import encoding

__all__ = [
    "Exercise",
    "FunctionExercise",
    "ValueExercise",
    "ChoiceExercise",
    "SliderTask",
    "DuplicateExerciseError",
    "UnknownExerciseError",
    "function_exercise",
    "value_exercise",
    "choice_exercise",
    "slider_task",
    "get",
    "all",
    "ids",
    "for_chapter",
    "chapters",
    "suggest",
    "load_errors",
]

ID_PATTERN = re.compile(r"^[a-z0-9][a-z0-9_-]*\.[a-z0-9][a-z0-9_.-]*$")
EXTRA_ENV = "NNBOOK_EXTRA_EXERCISES"


class DuplicateExerciseError(ValueError):
    """An exercise ID was defined by two different modules."""


class UnknownExerciseError(KeyError):
    """No exercise has the requested ID."""


# --------------------------------------------------------------------------- kinds


@dataclass(eq=False, repr=False)
class Exercise:
    """Fields common to every kind of exercise.

    Attributes
    ----------
    id : str
        Stable ID ``"<chapter-slug>.<name>"``.
    chapter : int
        Chapter number.
    title : str
        Short title shown in results and in the progress table.
    points : float
        Points for a full solution.
    name : str
        The Python name the student defines in the notebook; the grader looks it up.
    hints : list of str
        Revealed one by one after failed attempts.
    origin : str
        Module that defined the exercise (for duplicate detection).
    """

    id: str
    chapter: int
    title: str
    points: float
    name: str
    hints: list = field(default_factory=list)
    origin: str = ""
    kind = "exercise"

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {self.id!r}: {self.title!r}, chapter {self.chapter}, {self.points:g} points>"

    @property
    def slug(self) -> str:
        """The chapter slug, the part of the ID before the first dot."""
        return self.id.split(".", 1)[0]

    def seed(self, purpose: str = "public", salt: str | int = "") -> int:
        """A stable seed derived from the ID, the purpose and an optional salt.

        Parameters
        ----------
        purpose : {"public", "grading"}
        salt : str or int, optional
            The grader adds its own salt, so grading inputs differ from the ones
            a student sees in the notebook.
        """
        digest = hashlib.sha256(f"{self.id}|{purpose}|{salt}".encode()).digest()
        return int.from_bytes(digest[:8], "big")

    def rng(self, purpose: str = "public", salt: str | int = "") -> np.random.Generator:
        """A ``numpy.random.Generator`` seeded with :meth:`seed`."""
        return np.random.default_rng(self.seed(purpose, salt))


@dataclass(eq=False, repr=False)
class FunctionExercise(Exercise):
    """The student writes a function; it is compared with `reference` on test inputs."""

    reference: Callable = None
    public_cases: Callable = None
    grading_cases: Callable | None = None
    mistakes: list = field(default_factory=list)
    rtol: float = 1e-7
    atol: float = 1e-10
    timeout: float = 10.0
    forbidden: tuple = ()
    no_warnings: bool = False
    kind = "function"


@dataclass(eq=False, repr=False)
class ValueExercise(Exercise):
    """The student gives a number or an array; compared with an encoded answer."""

    answer: Any = None
    rtol: float = 1e-6
    atol: float = 0.0
    mistakes: list = field(default_factory=list)
    kind = "value"

    def reference_value(self) -> Any:
        """The decoded reference answer (``None`` for a hashed answer)."""
        return _reveal(self.answer)


@dataclass(eq=False, repr=False)
class ChoiceExercise(Exercise):
    """Multiple choice: one correct option (an int) or several (a set of ints)."""

    options: list = field(default_factory=list)
    answer: Any = None
    explanations: dict = field(default_factory=dict)
    kind = "choice"

    def correct(self) -> set:
        """The set of correct option indices."""
        value = _reveal(self.answer)
        return set(value) if isinstance(value, (set, list, tuple, frozenset)) else {int(value)}

    @property
    def multiple(self) -> bool:
        """True if several options are correct (checkboxes instead of radio buttons)."""
        value = _reveal(self.answer)
        return isinstance(value, (set, list, tuple, frozenset))


@dataclass(eq=False, repr=False)
class SliderTask(Exercise):
    """The student moves sliders until `goal(**values)` reports success."""

    sliders: dict = field(default_factory=dict)
    goal: Callable = None
    timeout: float = 60.0
    solution: Any = None
    kind = "slider"

    def solution_setting(self) -> dict | None:
        """A setting that meets the goal (the author's, decoded), or None if none is given."""
        return None if self.solution is None else dict(_reveal(self.solution))

    def initial_setting(self) -> dict:
        """Where the sliders start: (min, max, step, initial)[3] of each slider."""
        return {k: v[3] for k, v in self.sliders.items()}

    @property
    def integer(self) -> dict:
        """For each slider, whether it takes integer values (all four numbers are ints)."""
        return {
            k: builtins.all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in spec)
            for k, spec in self.sliders.items()
        }


def _reveal(answer: Any) -> Any:
    if callable(answer):
        return answer()
    if encoding.is_hashed(answer):
        return None
    return encoding.decode(answer)


# ----------------------------------------------------------------------- the store

_EXERCISES: dict[str, Exercise] = {}
_LOADED = False
_LOADING = False
_LOAD_ERRORS: list[tuple[str, str]] = []
_LOCK = threading.RLock()


def _caller_module(depth: int = 2) -> str:
    try:
        return sys._getframe(depth).f_globals.get("__name__", "")
    except ValueError:  # pragma: no cover
        return ""


def register(exercise: Exercise) -> Exercise:
    """Add an exercise to the registry.

    Parameters
    ----------
    exercise : Exercise

    Returns
    -------
    Exercise
        The same object.

    Raises
    ------
    DuplicateExerciseError
        If another module already defined an exercise with this ID.
    """
    old = _EXERCISES.get(exercise.id)
    if old is not None and old.origin != exercise.origin:
        raise DuplicateExerciseError(
            f"exercise ID {exercise.id!r} is defined twice: in {old.origin!r} and in "
            f"{exercise.origin!r}; IDs must be unique"
        )
    _EXERCISES[exercise.id] = exercise
    return exercise


def _check_common(id, chapter, title, points, name, hints):
    if not isinstance(id, str) or not ID_PATTERN.match(id):
        raise ValueError(
            f"bad exercise id {id!r}: use '<chapter-slug>.<name>' in lower case, "
            "for example 'backprop.hidden-delta'"
        )
    if not isinstance(chapter, (int, np.integer)) or isinstance(chapter, bool):
        raise TypeError(f"{id}: chapter must be an int, got {chapter!r}")
    if not isinstance(title, str) or not title.strip():
        raise ValueError(f"{id}: title must be a non-empty string")
    if not isinstance(points, (int, float)) or points <= 0:
        raise ValueError(f"{id}: points must be a positive number, got {points!r}")
    if not isinstance(name, str) or not name.isidentifier() or keyword.iskeyword(name):
        raise ValueError(f"{id}: name must be a Python identifier, got {name!r}")
    hints = list(hints or [])
    if not builtins.all(isinstance(h, str) for h in hints):
        raise TypeError(f"{id}: hints must be a list of strings")
    return hints


def _check_answer(id: str, answer: Any, what: str = "answer") -> None:
    if callable(answer) or encoding.is_encoded(answer) or encoding.is_hashed(answer):
        return
    raise TypeError(
        f"{id}: {what} must be hidden: pass encode(value) (run `python -m nnbook.exercises "
        f"encode VALUE` to get the string), encode(value, hashed=True), or a zero-argument "
        f"callable that computes it; got {type(answer).__name__}"
    )


def function_exercise(
    *,
    id: str,
    chapter: int,
    title: str,
    points: float,
    name: str,
    reference: Callable,
    public_cases: Callable[[np.random.Generator], Sequence],
    grading_cases: Callable[[np.random.Generator], Sequence] | None = None,
    mistakes: Sequence[tuple[Callable, str]] = (),
    rtol: float = 1e-7,
    atol: float = 1e-10,
    hints: Sequence[str] = (),
    timeout: float = 10.0,
    forbidden: Sequence[Callable] = (),
    no_warnings: bool = False,
) -> FunctionExercise:
    """Define an exercise where the student writes a function.

    Parameters
    ----------
    id : str
        Stable ID ``"<chapter-slug>.<name>"``.
    chapter : int
        Chapter number.
    title : str
        Short title.
    points : float
        Points for a full solution.
    name : str
        Name of the function the student defines in the notebook.
    reference : callable
        The correct function, usually the package's own.
    public_cases : callable
        ``public_cases(rng) -> list`` of cases; a case is a tuple of positional
        arguments (a single non-tuple value is one argument; a dict is keyword
        arguments). `rng` is a ``numpy.random.Generator`` seeded from the ID.
    grading_cases : callable, optional
        Further random inputs and edge cases, same form. :func:`check` runs them
        after the public cases pass; the grader runs them with a different seed.
    mistakes : list of (callable, str)
        Typical wrong answers and the message to show when the student's output
        matches the wrong variant's output on a failing case.
    rtol, atol : float
        Tolerances of ``numpy.isclose`` (relative first).
    hints : list of str
        Revealed one by one after failed attempts.
    timeout : float
        Seconds a single call of the student's function may take.
    forbidden : list of callables
        Package functions the student's function must not call, besides `reference`
        (which is always watched when it is the package's own): the grader gives 0 points
        to an answer that runs one of them, a wrapper included; :func:`check` passes it
        with a note. List the package function a bank-local `reference` wraps here.
    no_warnings : bool
        Fail a case on which the student's function emits a ``RuntimeWarning`` (numpy's
        overflow, invalid value, division by zero), even if the values are right. A mistake
        whose call raises the same warning is shown as the likely mistake.

    Returns
    -------
    FunctionExercise
    """
    hints = _check_common(id, chapter, title, points, name, hints)
    if not callable(reference):
        raise TypeError(f"{id}: reference must be callable")
    if not callable(public_cases):
        raise TypeError(f"{id}: public_cases must be a callable rng -> list of cases")
    if grading_cases is not None and not callable(grading_cases):
        raise TypeError(f"{id}: grading_cases must be a callable rng -> list of cases")
    mistakes = [tuple(m) for m in mistakes]
    for m in mistakes:
        if len(m) != 2 or not callable(m[0]) or not isinstance(m[1], str):
            raise TypeError(f"{id}: each mistake must be (wrong_callable, message)")
    forbidden = tuple(forbidden)
    if any(not callable(f) for f in forbidden):
        raise TypeError(f"{id}: forbidden must be a list of functions")
    ex = FunctionExercise(
        id=id, chapter=int(chapter), title=title, points=float(points), name=name, hints=hints,
        origin=_caller_module(), reference=reference, public_cases=public_cases,
        grading_cases=grading_cases, mistakes=mistakes, rtol=float(rtol), atol=float(atol),
        timeout=float(timeout), forbidden=forbidden, no_warnings=bool(no_warnings),
    )
    return register(ex)


def value_exercise(
    *,
    id: str,
    chapter: int,
    title: str,
    points: float,
    name: str,
    answer: str | Callable[[], Any],
    rtol: float = 1e-6,
    atol: float = 0.0,
    mistakes: Sequence[tuple[Any, str]] = (),
    hints: Sequence[str] = (),
) -> ValueExercise:
    """Define an exercise whose answer is a number or an array.

    Parameters
    ----------
    id, chapter, title, points, name, hints
        As in :func:`function_exercise`; `name` is the variable the student sets.
    answer : str or callable
        ``encode(value)``, ``encode(value, hashed=True, digits=d)``, or a zero-argument
        callable computing the value from the package. Plain values are refused so
        that answers never stand readable in the source.
    rtol, atol : float
        Tolerances (relative first).
    mistakes : list of (answer, str)
        Typical wrong values (encoded, hashed or callables) and their messages.

    Returns
    -------
    ValueExercise
    """
    hints = _check_common(id, chapter, title, points, name, hints)
    _check_answer(id, answer)
    mistakes = [tuple(m) for m in mistakes]
    for wrong, message in mistakes:
        _check_answer(id, wrong, "each mistake value")
        if not isinstance(message, str):
            raise TypeError(f"{id}: each mistake must be (encoded_value, message)")
    ex = ValueExercise(
        id=id, chapter=int(chapter), title=title, points=float(points), name=name, hints=hints,
        origin=_caller_module(), answer=answer, rtol=float(rtol), atol=float(atol),
        mistakes=mistakes,
    )
    return register(ex)


def choice_exercise(
    *,
    id: str,
    chapter: int,
    title: str,
    points: float,
    name: str,
    options: Sequence[str],
    answer: str,
    explanations: Mapping[int, str] | None = None,
    hints: Sequence[str] = (),
) -> ChoiceExercise:
    """Define a multiple-choice exercise.

    Parameters
    ----------
    id, chapter, title, points, name, hints
        As in :func:`function_exercise`; `name` is the variable that holds the
        student's choice (an index, or a set of indices).
    options : list of str
        The options, shown in this order (0-based indices).
    answer : str
        ``encode(index)`` for one correct option, ``encode({i, j})`` for several.
    explanations : dict of int to str
        Shown for the options the student picked; explanations of wrong options
        act as the exercise's mistake messages.

    Returns
    -------
    ChoiceExercise
    """
    hints = _check_common(id, chapter, title, points, name, hints)
    options = [str(o) for o in options]
    if len(options) < 2:
        raise ValueError(f"{id}: a choice exercise needs at least two options")
    if not encoding.is_encoded(answer):
        raise TypeError(f"{id}: answer must be encode(index) or encode({{i, j}}), got {answer!r}")
    explanations = {int(k): str(v) for k, v in (explanations or {}).items()}
    ex = ChoiceExercise(
        id=id, chapter=int(chapter), title=title, points=float(points), name=name, hints=hints,
        origin=_caller_module(), options=options, answer=answer, explanations=explanations,
    )
    bad = [i for i in ex.correct() | set(explanations) if not 0 <= i < len(options)]
    if bad:
        raise ValueError(f"{id}: option indices {sorted(bad)} are out of range")
    return register(ex)


def slider_task(
    *,
    id: str,
    chapter: int,
    title: str,
    points: float,
    name: str,
    sliders: Mapping[str, tuple],
    goal: Callable[..., tuple[bool, str]],
    hints: Sequence[str] = (),
    timeout: float = 60.0,
    solution: Any = None,
) -> SliderTask:
    """Define a task solved by moving sliders until an experiment meets a goal.

    Parameters
    ----------
    id, chapter, title, points, name, hints
        As in :func:`function_exercise`; `name` is the variable that holds the
        student's setting, a dict such as ``{"eta": 0.1, "hidden": 3}``.
    sliders : dict of str to (min, max, step, initial)
        One slider per keyword of `goal`; integer sliders if all four are ints.
    goal : callable
        ``goal(**values) -> (bool, str)`` runs the experiment and says whether the
        goal is met, with a message that reports the measured number.
    timeout : float
        Seconds one run of `goal` may take.
    solution : str
        A setting that meets the goal, encoded (``python -m nnbook.exercises encode
        "{'eta': 0.3}"``); the bank tests prove that it passes and that the sliders'
        initial setting does not.

    Returns
    -------
    SliderTask
    """
    hints = _check_common(id, chapter, title, points, name, hints)
    if not callable(goal):
        raise TypeError(f"{id}: goal must be callable")
    sliders = {str(k): tuple(v) for k, v in sliders.items()}
    for key, spec in sliders.items():
        if len(spec) != 4:
            raise ValueError(f"{id}: slider {key!r} must be (min, max, step, initial)")
        lo, hi, step, init = spec
        if not (lo < hi and step > 0 and lo <= init <= hi):
            raise ValueError(f"{id}: slider {key!r} has an inconsistent range {spec}")
    if solution is not None:
        _check_answer(id, solution, "solution")
    ex = SliderTask(
        id=id, chapter=int(chapter), title=title, points=float(points), name=name, hints=hints,
        origin=_caller_module(), sliders=sliders, goal=goal, timeout=float(timeout), solution=solution,
    )
    return register(ex)


# ------------------------------------------------------------------------ loading


def _import_extra(spec: str) -> None:
    """Import (or run again, for a fresh registry) an extra module of exercises."""
    spec = spec.strip()
    if not spec:
        return
    if spec.endswith(".py") or os.sep in spec:
        path = os.path.abspath(spec)
        modname = "nnbook_extra_exercises_" + hashlib.sha256(path.encode()).hexdigest()[:10]
        module_spec = importlib.util.spec_from_file_location(modname, path)
        if module_spec is None or module_spec.loader is None:
            raise ImportError(f"cannot import exercises from {path}")
        module = importlib.util.module_from_spec(module_spec)
        sys.modules[modname] = module
        try:
            module_spec.loader.exec_module(module)
        except BaseException:
            del sys.modules[modname]
            raise
    elif spec in sys.modules:
        importlib.reload(sys.modules[spec])
    else:
        importlib.import_module(spec)


def _load() -> None:
    global _LOADED, _LOADING
    if _LOADED:
        return
    with _LOCK:  # another thread waits here until the bank is loaded
        if _LOADED or _LOADING:  # _LOADING: a bank module looked something up while loading
            return
        _LOADING = True
        try:
            _import_bank()
        finally:
            _LOADING = False
            _LOADED = True


def _import_bank() -> None:
    from . import bank

    names = [m.name for m in pkgutil.iter_modules(bank.__path__) if not m.name.startswith("_")]
    for modname in sorted(names):
        _try_import(lambda: importlib.import_module(f"{bank.__name__}.{modname}"), modname)
    for spec in re.split(r"[,%s]" % re.escape(os.pathsep), os.environ.get(EXTRA_ENV, "")):
        if spec.strip():
            _try_import(lambda: _import_extra(spec), spec)


def _try_import(do: Callable[[], Any], label: str) -> None:
    try:
        do()
    except Exception:  # noqa: BLE001 — a broken bank must not hide the others; reported below
        text = traceback.format_exc()
        _LOAD_ERRORS.append((label, text))
        warnings.warn(f"nnbook.exercises: could not load exercises from {label}:\n{text}", stacklevel=3)


def load_extra(specs: str) -> None:
    """Import extra exercise modules now (same syntax as ``NNBOOK_EXTRA_EXERCISES``)."""
    _load()
    for spec in re.split(r"[,%s]" % re.escape(os.pathsep), specs or ""):
        if spec.strip():
            _try_import(lambda: _import_extra(spec), spec)


def load_errors() -> list[tuple[str, str]]:
    """Modules of the bank that failed to import, as ``(module, traceback)`` pairs."""
    _load()
    return list(_LOAD_ERRORS)


# ------------------------------------------------------------------------ queries


def get(exercise_id: str) -> Exercise:
    """Return the exercise with this ID.

    Raises
    ------
    UnknownExerciseError
        With close IDs in the message.
    """
    _load()
    try:
        return _EXERCISES[exercise_id]
    except (KeyError, TypeError):
        close = suggest(str(exercise_id))
        from ..i18n import _

        more = " " + _("Did you mean: {ids}?").format(ids=", ".join(close)) if close else ""
        raise UnknownExerciseError(_("unknown exercise id {id}.").format(id=repr(exercise_id)) + more) from None


def all() -> list[Exercise]:  # noqa: A001 - the name the book's API promises
    """All exercises, sorted by chapter then ID."""
    _load()
    return sorted(_EXERCISES.values(), key=lambda e: (e.chapter, e.id))


def ids() -> list[str]:
    """All exercise IDs, sorted by chapter then ID."""
    return [e.id for e in all()]


def for_chapter(chapter: int | str) -> list[Exercise]:
    """The exercises of one chapter, given by number or by slug."""
    if isinstance(chapter, str) and not chapter.isdigit():
        return [e for e in all() if e.slug == chapter]
    return [e for e in all() if e.chapter == int(chapter)]


def chapters() -> dict[int, list[Exercise]]:
    """All exercises grouped by chapter number."""
    out: dict[int, list[Exercise]] = {}
    for e in all():
        out.setdefault(e.chapter, []).append(e)
    return out


def suggest(exercise_id: str, n: int = 5) -> list[str]:
    """IDs close to `exercise_id` (by ``difflib``), best first."""
    import difflib

    _load()
    known = list(_EXERCISES)
    close = difflib.get_close_matches(exercise_id, known, n=n, cutoff=0.5)
    if not close and "." in exercise_id:  # same chapter, or same name in another chapter
        slug, _, rest = exercise_id.partition(".")
        close = [k for k in known if k.startswith(slug + ".") or k.endswith("." + rest)][:n]
    return close


def unregister(exercise_id: str) -> None:
    """Remove an exercise (for tests and notebook experiments)."""
    _EXERCISES.pop(exercise_id, None)
