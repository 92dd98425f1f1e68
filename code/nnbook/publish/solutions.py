"""``%%solution``: reference solutions in the launch notebooks that *Run All* does not run.

The notebooks that Binder, Colab and a JupyterHub open (:mod:`nnbook.publish.notebooks`)
keep each exercise's reference solution — folded away — but the first line of each of its
code cells is ``%%solution exercise 11.1``. That cell magic does not run the cell: it prints
one line saying so and, for every function the cell would define that the notebook does not
have yet, defines a placeholder that raises ``NotImplementedError("Exercise 11.1: write your
solution here")`` (the student edition's placeholder, :func:`nnbook.grade.student.placeholder_source`).
So *Run All* goes through the whole notebook, and each ``check(...)`` grades the student's own
function — or says it is not written yet — instead of the reference.

To run a reference solution, delete the ``%%solution`` line of its cell (the note printed
says so). ``NNBOOK_SOLUTIONS=run`` in the kernel's environment runs them all (instructors).

The first cell of every launch notebook registers the magic (:func:`register`); it does
nothing outside IPython.
"""

from __future__ import annotations

import os

__all__ = ["solution", "register", "load_ipython_extension", "MAGIC"]

MAGIC = "solution"


def _shell():
    try:
        from IPython import get_ipython
    except ImportError:                       # pragma: no cover - IPython comes with the kernel
        return None
    return get_ipython()


def solution(line: str, cell: str):
    """The cell magic: skip the reference solution (see the module docstring)."""
    shell = _shell()
    what = line.strip() or "an exercise"
    if os.environ.get("NNBOOK_SOLUTIONS", "").lower() == "run":
        return shell.run_cell(cell) if shell is not None else exec(cell, {})
    from nnbook.grade.student import placeholder_source

    ident = what[len("exercise"):].strip() if what.lower().startswith("exercise ") else what
    namespace = shell.user_ns if shell is not None else {}
    source = f"<placeholder of {what}>"
    placeholder = placeholder_source(cell, _Every(ident))
    defined = []
    if placeholder:
        scratch: dict = {}
        exec(compile(placeholder, source, "exec"), {"__builtins__": __builtins__, **namespace}, scratch)
        for name, value in scratch.items():
            if getattr(getattr(value, "__code__", None), "co_filename", None) == source and name not in namespace:
                namespace[name] = value
                defined.append(name)
    note = f"Reference solution of {what}: not run (Run All skips it). To run it, delete the first line of this cell."
    if defined:
        names = ", ".join(f"{n}()" for n in defined)
        note += f"\n{names}: a placeholder that raises NotImplementedError until you write your own."
    print(note)


class _Every(dict):
    """{any function name: the exercise} for :func:`~nnbook.grade.student.placeholder_source`."""

    def __init__(self, ident: str):
        super().__init__()
        self.ident = ident

    def get(self, key, default=None):
        return self.ident

    def __bool__(self) -> bool:
        return True


def register(shell=None) -> None:
    """Make ``%%solution`` known to the running IPython (nothing outside IPython).

    Returns None: it is the last line of the set-up cell, which must show nothing.
    """
    shell = shell or _shell()
    if shell is not None:
        shell.register_magic_function(solution, magic_kind="cell", magic_name=MAGIC)


def load_ipython_extension(shell) -> None:
    """``%load_ext nnbook.publish.solutions``."""
    register(shell)
