"""Self-graded exercises of the book: define them, check answers, track progress.

Defining (chapter authors, in ``nnbook/exercises/bank/<chapter_slug>.py``)::

    from nnbook.exercises import function_exercise, value_exercise, choice_exercise, slider_task, encode

Using (in a chapter notebook)::

    from nnbook.exercises import check, progress
    check("backprop.hidden-delta", hidden_delta)
    from nnbook.exercises.widgets import ExerciseWidget
    ExerciseWidget("gd.learning-rate")

See ``AUTHORING.md`` in this folder for the conventions.
"""

from ..page.encoding import decode, encode
from . import registry
from .checking import check, evaluate
from .progress import progress
from .registry import choice_exercise, function_exercise, slider_task, value_exercise
from .results import Result

__all__ = [
    "function_exercise",
    "value_exercise",
    "choice_exercise",
    "slider_task",
    "encode",
    "decode",
    "check",
    "evaluate",
    "progress",
    "registry",
    "Result",
]


def __getattr__(name):
    if name == "ExerciseWidget":
        from .widgets import ExerciseWidget

        return ExerciseWidget
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
