"""The package's layers hold: each subpackage imports only the layers below it.

The order, from the bottom (see ``code/nnbook/__init__.py``): the lectures' mathematics at the
top level of ``nnbook``, then ``page``, ``exercises``, ``grade``, ``publish``. Every import
statement of every module is read from its source (module level and inside functions), so a
late import inside a function cannot cross a layer unnoticed either.
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "code" / "nnbook"
ORDER = ["math", "page", "exercises", "grade", "publish"]
SUBPACKAGE_LAYERS = {"page", "exercises", "grade", "publish"}


def layer_of(module: str) -> str:
    """The layer of a dotted module name inside nnbook ('nnbook.page.quiz' -> 'page')."""
    parts = module.split(".")
    return parts[1] if len(parts) > 1 and parts[1] in SUBPACKAGE_LAYERS else "math"


def module_name(path: Path) -> str:
    rel = path.relative_to(PACKAGE.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def imported_modules(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every nnbook import in the file."""
    name = module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, a.name) for a in node.names if a.name.split(".")[0] == "nnbook"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[: len(base) - (node.level - 1)]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if target.split(".")[0] != "nnbook":
                continue
            if node.module is None or target in ("nnbook",):
                # `from . import x` / `from nnbook import x`: x is a module of that package
                found += [(node.lineno, f"{target}.{a.name}") for a in node.names]
            else:
                found.append((node.lineno, target))
    return found


MODULES = sorted(PACKAGE.rglob("*.py"))


def test_the_layer_order_is_the_one_the_package_docstring_draws():
    doc = (PACKAGE / "__init__.py").read_text(encoding="utf-8")
    positions = [doc.index(f"nnbook/{name}/") for name in ORDER[1:]]
    assert positions == sorted(positions)


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_module_imports_only_its_own_layer_or_lower_ones(path):
    own = ORDER.index(layer_of(module_name(path)))
    upward = [f"line {line}: {target}" for line, target in imported_modules(path)
              if ORDER.index(layer_of(target)) > own]
    assert not upward, (f"{path.relative_to(PACKAGE)} ({ORDER[own]}) imports a higher layer: "
                        + "; ".join(upward))


def test_the_checker_sees_a_late_relative_import_of_a_higher_layer(tmp_path, monkeypatch):
    probe = tmp_path / "probe.py"
    probe.write_text("def f():\n    from .page.plotting import COLORS\n", encoding="utf-8")
    monkeypatch.setattr(sys.modules[__name__], "module_name", lambda p: "nnbook.probe")
    targets = [t for _, t in imported_modules(probe)]
    assert targets == ["nnbook.page.plotting"]
    assert ORDER.index(layer_of(targets[0])) > ORDER.index(layer_of("nnbook.probe"))
