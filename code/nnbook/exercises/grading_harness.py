"""Runs inside the student's kernel, after the student's cells, to grade them.

The grader (:mod:`nnbook.grade`) injects one cell that first removes every ``nnbook``
module from ``sys.modules`` and then imports this module, so that it works with a
fresh registry read from disk: a redefined ``check``, a monkeypatched registry or
printed fake results in the notebook change nothing. :func:`run` looks up each
exercise's ``name`` in the notebook's namespace, evaluates it with the grading seed,
and writes the results to a JSON file whose path and nonce only the grader knows.
The file is rewritten after every exercise, so if a student's function kills the
kernel the grader still knows which exercise was running and keeps the others.

Threat model: this defeats naive faking, not a student who installs import hooks
or patches numpy before the harness runs; the instructor can read such code.
"""

from __future__ import annotations

import json
import os
import tempfile
from typing import Any

from . import registry
from .checking import evaluate
from .results import Result

__all__ = ["run", "harness_source"]


def _write(path: str, data: dict) -> None:
    directory = os.path.dirname(path) or "."
    fd, tmp = tempfile.mkstemp(prefix=".harness-", dir=directory)
    with os.fdopen(fd, "w", encoding="utf-8") as f:
        json.dump(data, f)
    os.replace(tmp, path)


def run(ids: list[str], out: str, nonce: str, salt: str, namespace: dict[str, Any]) -> dict:
    """Grade the exercises `ids` against the names defined in `namespace`.

    Parameters
    ----------
    ids : list of str
        Exercise IDs to grade.
    out : str
        Path of the JSON results file.
    nonce : str
        Copied into the results file; the grader accepts only a matching nonce.
    salt : str
        Salt of the grading seed.
    namespace : dict
        The notebook's globals (``get_ipython().user_ns``).

    Returns
    -------
    dict
        What was written to `out`.
    """
    state: dict[str, Any] = {"nonce": nonce, "done": False, "current": None, "results": {}}
    _write(out, state)
    for exercise_id in ids:
        state["current"] = exercise_id
        _write(out, state)
        try:
            exercise = registry.get(exercise_id)
        except registry.UnknownExerciseError as exc:
            state["results"][exercise_id] = Result(exercise_id, messages=[str(exc.args[0])]).to_dict()
            continue
        if exercise.name not in namespace:
            result = Result(
                exercise.id, title=exercise.title, kind=exercise.kind, max_points=exercise.points,
                messages=[f"`{exercise.name}` is not defined in the notebook."],
            )
        else:
            try:
                result = evaluate(
                    exercise, namespace[exercise.name], purpose="grade", salt=salt, forbid_package=True
                )
            except Exception as exc:  # noqa: BLE001 - record, never stop the batch
                result = Result(
                    exercise.id, title=exercise.title, kind=exercise.kind, max_points=exercise.points,
                    messages=[f"grading failed: {type(exc).__name__}: {exc}"],
                )
        state["results"][exercise_id] = result.to_dict()
        state["current"] = None
        _write(out, state)
    state["done"] = True
    _write(out, state)
    return state


def harness_source(ids: list[str], out: str, nonce: str, salt: str) -> str:
    """The code of the cell the grader appends to a student's notebook."""
    return (
        "def __nnbook_grade__():\n"
        "    import sys, importlib\n"
        "    for name in [m for m in list(sys.modules) if m == 'nnbook' or m.startswith('nnbook.')]:\n"
        "        del sys.modules[name]\n"
        "    harness = importlib.import_module('nnbook.exercises.grading_harness')\n"
        "    from IPython import get_ipython\n"
        f"    harness.run({ids!r}, {out!r}, {nonce!r}, {salt!r}, get_ipython().user_ns)\n"
        "__nnbook_grade__()\n"
        "del __nnbook_grade__\n"
    )
