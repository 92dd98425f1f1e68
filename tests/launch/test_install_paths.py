"""What Binder and Colab install gives the pages what they need.

Binder (repo2docker) runs `pip install -r binder/requirements.txt` from the repository root.
`make binder-env` does the same in a fresh venv, .venv-binder, and the page tests
(tests/book/test_pages.py) execute every chapter notebook in its kernel; the tests here check
that venv itself: the tested versions, Binder's Python, no test-only packages, the widget
front-end packages. Colab installs the package from git as a wheel (not editable), so the
wheel must carry every data file the package reads.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BINDER_VENV = ROOT / ".venv-binder"
BINDER_PY = BINDER_VENV / "bin" / "python"


def _norm(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _requirement_lines(path: Path) -> list[str]:
    return [line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines()
            if line.split("#", 1)[0].strip()]


@pytest.fixture(scope="module")
def binder_packages() -> dict[str, str]:
    if not (BINDER_VENV / ".installed").is_file():
        pytest.fail("Binder's venv .venv-binder is missing: run `make binder-env`", pytrace=False)
    out = subprocess.run([str(BINDER_PY), "-m", "pip", "list", "--format=json", "--disable-pip-version-check"],
                         capture_output=True, text=True, check=True).stdout
    return {_norm(p["name"]): p["version"] for p in json.loads(out)}


def test_binder_requirements_install_the_book_requirements_under_the_tested_constraints():
    lines = _requirement_lines(ROOT / "binder" / "requirements.txt")
    assert "-r ../requirements.txt" in lines and "-c ../constraints.txt" in lines, lines
    for line in lines:                      # -r/-c paths are read relative to binder/requirements.txt
        flag, _, target = line.partition(" ")
        if flag in {"-r", "-c"}:
            assert (ROOT / "binder" / target).resolve().is_file(), line
    # `-e ./code` is read relative to where pip runs: the repository root, for repo2docker and make
    assert "-e ./code" in _requirement_lines(ROOT / "requirements.txt")
    assert (ROOT / "code" / "pyproject.toml").is_file()


def test_binder_runtime_is_the_python_of_binder_venv(binder_packages):
    runtime = (ROOT / "binder" / "runtime.txt").read_text(encoding="utf-8").strip()
    m = re.fullmatch(r"python-(\d+)\.(\d+)", runtime)
    assert m, f"binder/runtime.txt should read python-X.Y, not {runtime!r}"
    version = subprocess.run([str(BINDER_PY), "-c", "import sys; print(*sys.version_info[:2], sep='.')"],
                             capture_output=True, text=True, check=True).stdout.strip()
    assert version == f"{m[1]}.{m[2]}", (f"Binder runs Python {m[1]}.{m[2]} (binder/runtime.txt) but .venv-binder "
                                          f"has {version}: make it with that Python (make binder-env PYTHON=python{m[1]}.{m[2]})")


def test_binder_venv_has_exactly_the_versions_of_constraints_txt(binder_packages):
    pinned = {}
    for line in _requirement_lines(ROOT / "constraints.txt"):
        name, _, version = line.partition("==")
        pinned[_norm(name)] = version
    own = {"nnbook", "pip", "setuptools", "wheel"}
    unpinned = sorted(n for n in binder_packages if n not in pinned and n not in own)
    differ = sorted(f"{n} {v} (constraints: {pinned[n]})" for n, v in binder_packages.items()
                    if n in pinned and v != pinned[n])
    assert not unpinned, f"Binder installs packages constraints.txt does not pin (run `make constraints`): {unpinned}"
    assert not differ, f"Binder's versions differ from constraints.txt: {differ}"


def test_binder_venv_has_no_test_only_packages(binder_packages):
    """The pages pass in this venv, so they need none of requirements-dev.txt's extras."""
    assert not {"torch", "pytest", "hypothesis", "pytest-xdist"} & set(binder_packages)


def test_binder_venv_has_the_widget_frontend_packages(binder_packages):
    """ipywidgets 8 shows widgets in JupyterLab/Notebook 7 through jupyterlab_widgets and in the
    classic notebook through widgetsnbextension; both come with ipywidgets into Binder's env."""
    assert binder_packages["ipywidgets"].startswith("8.")
    assert {"jupyterlab-widgets", "widgetsnbextension", "ipykernel", "nnbook"} <= set(binder_packages)


@pytest.mark.slow
def test_package_wheel_for_colab_holds_every_data_file_of_the_package(tmp_path):
    """Colab runs `pip install "nnbook @ git+...#subdirectory=code"`: a wheel, not an editable
    install, so a data file missing from package-data is missing on Colab."""
    # build from a copy: setuptools writes build/ and *.egg-info into the folder it builds
    source = tmp_path / "code"
    shutil.copytree(ROOT / "code", source, ignore=shutil.ignore_patterns("build", "*.egg-info", "__pycache__"))
    subprocess.run([sys.executable, "-m", "pip", "wheel", "--quiet", "--no-deps", "--disable-pip-version-check",
                    "-w", str(tmp_path / "wheel"), str(source)], check=True, capture_output=True)
    wheel = next((tmp_path / "wheel").glob("nnbook-*.whl"))
    in_wheel = {n for n in zipfile.ZipFile(wheel).namelist() if n.startswith("nnbook/")}
    package = ROOT / "code" / "nnbook"
    data = sorted(p.relative_to(package.parent).as_posix() for p in package.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix not in {".py", ".pyc", ".md"})
    assert data, "the package has no data files?"
    missing = [f for f in data if f not in in_wheel]
    assert not missing, (f"The wheel Colab installs lacks these data files of the package: {missing}; "
                         f"add their pattern to [tool.setuptools.package-data] in code/pyproject.toml")


def _page_imports() -> dict:
    """Top-level modules imported by the code cells of the pages: {module: [page, ...]}."""
    import jupytext

    found: dict = {}
    for md in sorted((ROOT / "book").glob("*.md")):
        nb = jupytext.read(md)
        for cell in nb.cells:
            if cell.cell_type != "code":
                continue
            for m in re.finditer(r"^\s*(?:from\s+([\w.]+)\s+import|import\s+([\w.]+))", cell.source, re.M):
                top = (m.group(1) or m.group(2)).split(".")[0]
                found.setdefault(top, set()).add(md.name)
    return found


def test_pages_import_only_what_nnbook_with_the_pages_extra_installs():
    """Colab installs `nnbook[pages]` into its own Python: every module a page imports must be
    the standard library's, nnbook's, or a distribution that nnbook or its `pages` extra
    requires directly (or IPython, which ipywidgets requires)."""
    from importlib.metadata import packages_distributions, requires

    declared = set()
    for req in requires("nnbook") or []:
        name, _, marker = req.partition(";")
        if "extra" in marker and "pages" not in marker:
            continue                                   # torch, test: not installed on Colab
        declared.add(re.split(r"[\s<>=!~\[(]", name.strip(), maxsplit=1)[0].lower().replace("_", "-"))
    dists = packages_distributions()
    stdlib = set(sys.stdlib_module_names)
    wrong = {}
    for module, pages in _page_imports().items():
        if module in stdlib or module == "nnbook":
            continue
        owners = {d.lower().replace("_", "-") for d in dists.get(module, [])}
        if not owners & (declared | {"ipython"}):
            wrong[module] = sorted(pages)
    assert not wrong, (f"pages import modules that `pip install nnbook[pages]` (Colab) does not install: "
                       f"{wrong}; add their distribution to code/pyproject.toml")
