"""What `pip install nnbook[pages]` (Colab) installs is enough for every module a page can reach.

``code/pyproject.toml`` keeps the grader's and the builder's dependencies in the extras
``grade`` and ``build``. The layers a page uses -- the lectures' mathematics (``nnbook``),
the page furniture (``nnbook.page``) and the exercises (``nnbook.exercises``) -- may import
only the standard library, nnbook, and the distributions the core dependencies and the
``pages`` extra bring (directly or through their own requirements). Every import counts,
also one inside a function.
"""

from __future__ import annotations

import ast
import re
import sys
from importlib.metadata import PackageNotFoundError, packages_distributions, requires
from pathlib import Path

import tomllib

ROOT = Path(__file__).resolve().parents[2]
PACKAGE = ROOT / "code" / "nnbook"
PAGE_LAYERS_EXCLUDE = {"grade", "publish"}


def _name(requirement: str) -> str:
    return re.split(r"[\s<>=!~\[(;]", requirement.strip(), maxsplit=1)[0].lower().replace("_", "-")


def _closure(names: set[str]) -> set[str]:
    """The distributions ``names`` install, with their requirements (no extras), recursively."""
    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            reqs = requires(name) or []
        except PackageNotFoundError:
            continue
        todo += [_name(r) for r in reqs if "extra ==" not in r.partition(";")[2]]
    return seen


def _pyproject() -> dict:
    return tomllib.loads((ROOT / "code" / "pyproject.toml").read_text(encoding="utf-8"))["project"]


def _imports(path: Path) -> set[str]:
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found |= {a.name.split(".")[0] for a in node.names}
        elif isinstance(node, ast.ImportFrom) and not node.level and node.module:
            found.add(node.module.split(".")[0])
    return found


def test_the_page_layers_import_only_what_nnbook_pages_installs():
    project = _pyproject()
    installed = _closure({_name(r) for r in project["dependencies"] + project["optional-dependencies"]["pages"]})
    dists = packages_distributions()
    wrong = {}
    for path in sorted(PACKAGE.rglob("*.py")):
        if PAGE_LAYERS_EXCLUDE & set(path.relative_to(PACKAGE).parts):
            continue
        for module in _imports(path):
            if module in sys.stdlib_module_names or module == "nnbook" or module == "__future__":
                continue
            owners = {d.lower().replace("_", "-") for d in dists.get(module, [module])}
            if not owners & installed:
                wrong.setdefault(module, []).append(str(path.relative_to(PACKAGE)))
    assert not wrong, (f"modules of the layers pages use import what `pip install nnbook[pages]` does not install: "
                       f"{wrong}; add the distribution to [project] dependencies in code/pyproject.toml")


def test_the_grader_and_the_builder_declare_what_they_import_in_their_extras():
    project = _pyproject()
    core = {_name(r) for r in project["dependencies"]}
    dists = packages_distributions()
    for layer in ("grade", "build"):
        folder = PACKAGE / {"grade": "grade", "build": "publish"}[layer]
        installed = _closure(core | {_name(r) for r in project["optional-dependencies"][layer]})
        wrong = {}
        for path in sorted(folder.rglob("*.py")):
            for module in _imports(path):
                if module in sys.stdlib_module_names or module in ("nnbook", "__future__"):
                    continue
                owners = {d.lower().replace("_", "-") for d in dists.get(module, [module])}
                if not owners & installed:
                    wrong.setdefault(module, []).append(path.name)
        assert not wrong, f"nnbook/{folder.name} imports what nnbook[{layer}] does not install: {wrong}"


def test_the_core_dependencies_leave_the_grader_and_the_builder_out():
    core = {_name(r) for r in _pyproject()["dependencies"]}
    assert not core & {"nbclient", "nbformat", "jupytext", "pyyaml"}, core
