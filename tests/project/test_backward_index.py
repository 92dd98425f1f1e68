"""The index of the backward passes written for teaching (``nnbook.__doc__``) names real functions.

Each row is ``<dotted name> <chapter(s)> <what it shows>``; the dotted name must resolve to a
function or method of the package, and the module it lives in must name that chapter in the
first line of its docstring (the package's rule that every module names its chapter).
"""

from __future__ import annotations

import importlib
import re

import nnbook

ROW = re.compile(r"^\s{4}(nnbook(?:\.\w+)+)\s+(\d+(?:,\s*\d+)*)\s+\S")


def index_rows() -> list[tuple[str, list[int]]]:
    doc = nnbook.__doc__
    table = doc[doc.index("The backward passes written for teaching"):]
    return [(m[1], [int(c) for c in m[2].split(",")]) for m in map(ROW.match, table.splitlines()) if m]


def resolve(dotted: str):
    """The object a dotted name stands for: the longest importable module, then attributes."""
    parts = dotted.split(".")
    for k in range(len(parts), 0, -1):
        try:
            obj = importlib.import_module(".".join(parts[:k]))
        except ImportError:
            continue
        for attr in parts[k:]:
            obj = getattr(obj, attr)
        return obj
    raise ImportError(dotted)


def test_the_index_lists_the_seven_backward_passes_of_the_issue_and_more():
    names = [name for name, _ in index_rows()]
    for expected in ("graph.Graph.backward", "backprop_steps.backprop_sample", "matrix_backprop.backward",
                     "autodiff.Tensor.backward", "networks.MLP.backward", "lab.minibatch.MiniBatchSGD._batch",
                     "hessian.roperator.hessian_vector_product"):
        assert f"nnbook.{expected}" in names, f"{expected} is missing from the index in nnbook/__init__.py"
    assert len(names) == len(set(names))


def test_every_row_names_a_real_function_of_a_module_that_names_its_chapter():
    for name, chapters in index_rows():
        obj = resolve(name)
        assert callable(obj), f"{name} is not a function"
        module = importlib.import_module(obj.__module__)
        first = (module.__doc__ or "").strip().splitlines()[0]
        named = {int(n) for n in re.findall(r"\d+", " ".join(re.findall(r"[Cc]hapters? [\d, and]+", first)))}
        assert set(chapters) & named, f"{name}: chapter {chapters} is not named in {module.__name__}: {first!r}"
