"""Runs inside the student's kernel, after the student's cells: reports what the answers are.

The grader (:mod:`nnbook.grade`) appends one cell (:func:`harness_source`) that removes
every ``nnbook`` module from ``sys.modules``, imports this module afresh and calls
:func:`collect` with the grader's requests: for each exercise, its name, and for a
function exercise the inputs of its grading cases, drawn by the grader with fresh
randomness the notebook never saw. :func:`collect` looks up each name in the notebook's
namespace and

* for a function, calls it on each case's inputs (on copies, in the sandbox: time limit,
  watched for the book's own functions; :func:`nnbook.exercises.checking.probe_function_case`)
  and reports what happened: the return value, the arguments after the call, the error
  and the student's own lines;
* for a value, choice or slider answer, reports the value.

Everything is reported as plain data (:mod:`nnbook.exercises.plain`: numbers, text,
arrays as raw bytes), one display message per record with the MIME type :data:`MIME`,
which the grader reads from the kernel's messages of this very cell. No comparison, no
reference value and no score exists in the kernel: the grader computes the references
and judges the records in its own process with the same checking code that
:func:`nnbook.exercises.check` runs.

Threat model: the student's code ran first in this kernel and may have replaced anything
here (``json``, numpy, ``print``, this module, the display machinery). Nothing in this
module is trusted: a forged record can only report a value, and the grader accepts a
value for an input only if it is the right answer for that input; a missing or malformed
record scores 0.
"""

from __future__ import annotations

import json

__all__ = ["MIME", "collect", "harness_source"]

#: MIME type of the records (a JSON text each).
MIME = "text/x-nnbook-grade-record"
#: Bytes of array data one record may carry.
RECORD_BYTES = 8 * 1024 * 1024


def _emit(record: dict) -> None:
    from IPython.display import publish_display_data

    publish_display_data({MIME: json.dumps(record)})


def collect(requests_json: str, namespace: dict) -> None:
    """Report the answers of the requested exercises (see the module docstring).

    Parameters
    ----------
    requests_json : str
        JSON list of ``{"id", "kind", "name"}``, plus ``"cases"`` (plain data of
        ``(args, kwargs)`` pairs, objects pickled by the grader) and ``"forbid_package"``
        for function exercises.
    namespace : dict
        The notebook's globals (``get_ipython().user_ns``).

    The cell :func:`harness_source` writes sets the grader's language first, so the few texts
    made here (the student's lines of a traceback) are in the language of the grader's report,
    whatever language the notebook chose.
    """
    from . import plain

    for request in json.loads(requests_json):
        exercise_id = request["id"]
        _emit({"event": "start", "id": exercise_id})
        try:
            if request["kind"] == "function":
                _function(request, namespace)
            else:
                defined = request["name"] in namespace
                value = namespace[request["name"]] if defined else None
                _emit({"event": "value", "id": exercise_id, "defined": defined,
                       "value": plain.to_plain(value, max_bytes=RECORD_BYTES)})
        except Exception as exc:  # noqa: BLE001 - report, and go on with the next exercise
            _emit({"event": "error", "id": exercise_id, "error": f"{type(exc).__name__}: {exc}"[:2000]})
        _emit({"event": "end", "id": exercise_id})
    _emit({"event": "done"})


def _function(request: dict, namespace: dict) -> None:
    from . import checking, plain, registry

    exercise_id = request["id"]
    exercise = registry.get(exercise_id)
    forbid = bool(request.get("forbid_package", True))
    answer = namespace[request["name"]] if request["name"] in namespace else checking._NotDefined(request["name"])
    head = checking.probe_function_head(exercise, answer)
    _emit({"event": "head", "id": exercise_id, "head": head})
    if not head.get("callable") or (forbid and head.get("package")):
        return
    watch = checking._forbidden_watch(exercise)
    for i, case in enumerate(request.get("cases", [])):
        args, kwargs = plain.from_plain(case, allow_pickle=True)
        probe = checking.probe_function_case(exercise, answer, tuple(args), dict(kwargs), watch=watch)
        _emit({"event": "case", "id": exercise_id, "i": i,
               "probe": checking.encode_case_probe(probe, max_bytes=RECORD_BYTES)})
        if probe["status"] != "ok" or (forbid and probe.get("forbidden")):
            break


def harness_source(requests: list[dict], language: str | None = None) -> str:
    """The code of the cell the grader appends to a student's notebook (`language`: the
    report's, by default the grader's current one)."""
    from ..i18n import get_language

    text = json.dumps(requests)
    language = language or get_language()
    return (
        "def __nnbook_collect__():\n"
        "    import sys, importlib\n"
        "    for name in [m for m in list(sys.modules) if m == 'nnbook' or m.startswith('nnbook.')]:\n"
        "        del sys.modules[name]\n"
        # the report's language first, by its own import: collect() keeps its two arguments
        f"    importlib.import_module('nnbook.i18n').set_language({language!r})\n"
        "    harness = importlib.import_module('nnbook.exercises.grading_harness')\n"
        "    from IPython import get_ipython\n"
        f"    harness.collect({text!r}, get_ipython().user_ns)\n"
        "__nnbook_collect__()\n"
        "del __nnbook_collect__\n"
    )
