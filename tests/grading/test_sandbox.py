"""``--sandbox``: a kernel in bubblewrap sees no network, no other process, and cannot write outside its folder.

Skipped, with the reason, where bubblewrap is missing or cannot create namespaces (for
example in a container without user namespaces).
"""

import json
import os
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest
from exercise_system import FIXTURE_EXERCISES

from nnbook.grade.isolation import bwrap_problem

from .adversarial import HONEST, HONEST_CELLS

ROOT = Path(__file__).resolve().parents[2]


ESCAPE = """
import os, socket, signal, pathlib, json
report = {}
try:
    socket.create_connection(("1.1.1.1", 80), timeout=3)
    report["network"] = "open"
except OSError as exc:
    report["network"] = type(exc).__name__ + ": " + str(exc)
mine = os.getpid()
visible = [int(p) for p in os.listdir("/proc") if p.isdigit()]
report["processes"] = len(visible)
for pid in visible:
    if pid not in (mine, 1):
        try:
            os.kill(pid, signal.SIGKILL)
        except OSError:
            pass
written = []
for target in (OUTSIDE / "planted.txt", OUT / "grades.csv", SUBMISSIONS / "control.ipynb"):
    try:
        target.write_text("hacked")
        written.append(str(target))
    except OSError:
        pass
report["written"] = written
own = pathlib.Path(os.getcwd()).parent
others = [p for p in own.parent.rglob("*") if own not in p.parents and p != own]
for p in others:
    try:
        if p.is_file():
            with open(p, "a") as f:
                f.write("garbage")
    except OSError:
        pass
report["others"] = len(others)
print("SANDBOX-REPORT " + json.dumps(report))
"""


@pytest.mark.skipif(bool(bwrap_problem()), reason=f"--sandbox cannot run here: {bwrap_problem()}")
def test_sandboxed_kernels_are_shut_in(tmp_path):
    subs, out, outside = tmp_path / "subs", tmp_path / "out", tmp_path / "outside"
    subs.mkdir()
    outside.mkdir()
    prelude = f"import pathlib\nOUT = pathlib.Path({str(out)!r})\nSUBMISSIONS = pathlib.Path({str(subs)!r})\nOUTSIDE = pathlib.Path({str(outside)!r})"
    for name, extra in [("control", []), ("control2", []), ("escape", [prelude, ESCAPE])]:
        nb = nbformat.v4.new_notebook()
        nb.metadata["nnbook"] = {"chapters": [99]}
        nb.cells = [nbformat.v4.new_code_cell(c) for c in HONEST_CELLS + extra]
        nbformat.write(nb, str(subs / f"{name}.ipynb"))
    env = dict(os.environ, OPENBLAS_NUM_THREADS="1", NNBOOK_QUIET="1")
    done = subprocess.run(
        [sys.executable, "-m", "nnbook.grade", str(subs), "--out", str(out), "--sandbox", "--jobs", "2", "--quiet",
         "--timeout", "30", "--extra-exercises", str(FIXTURE_EXERCISES), "--seed", "sandbox"],
        cwd=ROOT, env=env, capture_output=True, text=True, timeout=600,
    )
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    for name in ("control", "control2", "escape"):
        report = json.loads((out / "reports" / f"{name}.json").read_text())
        assert {i: r["score"] for i, r in report["exercises"].items()} == HONEST, (name, report["reasons"])
    assert list(outside.iterdir()) == []
    assert nbformat.read(str(subs / "control.ipynb"), as_version=4).cells  # untouched
    assert "hacked" not in (out / "grades.csv").read_text()
    executed = nbformat.read(str(out / "executed" / "escape.ipynb"), as_version=4)
    text = "".join(o.get("text", "") for c in executed.cells for o in c.get("outputs", []))
    seen = json.loads(text.split("SANDBOX-REPORT ", 1)[1].splitlines()[0])
    assert seen["network"] != "open" and seen["written"] == []
    assert seen["processes"] <= 4  # the sandbox's init, the kernel (and what it started): not the grader
    assert seen["others"] == 0  # the other submissions' folders are hidden
