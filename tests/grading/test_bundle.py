"""Gradescope: the autograder archive runs in a fake /autograder tree and writes Gradescope's results.json.

Gradescope's specification: the archive holds ``setup.sh`` and ``run_autograder`` at its root;
``run_autograder`` finds the submission in ``/autograder/submission`` and must write
``/autograder/results/results.json`` with ``score`` and ``tests`` (each with ``name``,
``score``, ``max_score``, ``status``, ``output``, ``visibility``). The test runs the script
with the current interpreter (``NNBOOK_AUTOGRADER_PYTHON``), nothing is installed.
"""

import json
import os
import subprocess
import sys
import zipfile

import nbformat
from exercise_system import FIXTURE_EXERCISES

from nnbook.grade.bundle import build_bundle, pinned_requirements

from .submissions import FAKE, GOOD, notebook


def _run(tmp_path, name, cells):
    archive = build_bundle(["99"], tmp_path / "autograder.zip", extra_exercises=[str(FIXTURE_EXERCISES)], timeout=30)
    root = tmp_path / name / "autograder"
    (root / "source").mkdir(parents=True)
    with zipfile.ZipFile(archive) as z:
        z.extractall(root / "source")
        modes = {i.filename: (i.external_attr >> 16) & 0o777 for i in z.infolist()}
    (root / "submission").mkdir()
    nbformat.write(notebook(cells), str(root / "submission" / "ch99.ipynb"))
    env = dict(os.environ, NNBOOK_AUTOGRADER_ROOT=str(root), NNBOOK_AUTOGRADER_PYTHON=sys.executable,
               OPENBLAS_NUM_THREADS="1")
    done = subprocess.run(["bash", str(root / "source" / "run_autograder")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    return json.loads((root / "results" / "results.json").read_text()), modes, done


def test_the_archive_grades_a_submission_like_gradescope(tmp_path):
    results, modes, _ = _run(tmp_path, "good", GOOD)
    assert modes["run_autograder"] & 0o111 and modes["setup.sh"] & 0o111
    assert {"setup.sh", "run_autograder", "requirements.txt", "constraints.txt", "code/pyproject.toml",
            "code/nnbook/__init__.py", "code/nnbook/grade/runner.py", "extra/fixture_exercises.py"} <= set(modes)
    assert not any("__pycache__" in m for m in modes)
    assert results["score"] == 6.0
    assert len(results["tests"]) == 5
    for test in results["tests"]:
        assert set(test) >= {"name", "score", "max_score", "status", "output", "visibility"}
        assert test["score"] == test["max_score"] and test["status"] == "passed"
        assert test["visibility"] in {"hidden", "after_due_date", "after_published", "visible"}
    assert {t["name"].split(" ")[0] for t in results["tests"]} == {
        "testing.scale", "testing.row-norms", "testing.eta", "testing.pick", "testing.knob"}


def test_a_faked_submission_scores_zero_on_gradescope(tmp_path):
    results, _, _ = _run(tmp_path, "fake", FAKE)
    assert results["score"] == 0.0
    assert all(t["score"] == 0 and t["status"] == "failed" for t in results["tests"])


def test_requirements_are_pinned_to_the_constraints():
    reqs = "numpy>=1.26,<3\n# comment\n-e ./code\njupyterlab>=4\nipywidgets>=8\nnewthing>=1\n"
    cons = "numpy==2.4.6\nipywidgets==8.1.9\nipykernel==7.4.0\n"
    assert pinned_requirements(reqs, cons) == ["numpy==2.4.6", "ipywidgets==8.1.9", "newthing>=1", "ipykernel==7.4.0"]
