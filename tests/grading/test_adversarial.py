"""Tricks earn nothing: a batch of adversarial submissions gets exact grades, and nothing survives it.

The batch runs through the command line in a subprocess (``--jobs 2``), so that the test can
watch the grader's memory and look for processes left behind after it exited.
"""

import csv
import json
import os
import secrets
import subprocess
import sys
import threading
import time
from pathlib import Path

import psutil
import pytest
from exercise_system import FIXTURE_EXERCISES

from .adversarial import EXPECTED, write_batch

ROOT = Path(__file__).resolve().parents[2]


def _survivors(needles):
    found = []
    for p in psutil.process_iter(["pid", "cmdline", "status"]):
        try:
            cmd = " ".join(p.info["cmdline"] or [])
        except psutil.Error:
            continue
        if p.info["status"] != psutil.STATUS_ZOMBIE and any(n in cmd for n in needles):
            found.append((p.pid, cmd[:200]))
    return found


@pytest.fixture(scope="module")
def adversarial(tmp_path_factory):
    root = tmp_path_factory.mktemp("adversarial")
    token = "nnbook-adversarial-" + secrets.token_hex(6)
    subs, out, tmp = root / "subs", root / "out", root / "tmp"
    tmp.mkdir()
    marker = root / "pwned"
    expected = write_batch(subs, out, token, marker)
    env = dict(os.environ, TMPDIR=str(tmp), OPENBLAS_NUM_THREADS="1", NNBOOK_QUIET="1")
    cmd = [sys.executable, "-m", "nnbook.grade", str(subs), "--out", str(out), "--jobs", "2", "--quiet",
           "--timeout", "20", "--notebook-timeout", "150", "--memory-mb", "2048", "--max-processes", "16",
           "--output-mb", "1", "--extra-exercises", str(FIXTURE_EXERCISES), "--seed", "adversarial"]
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    peak = [0]

    def watch():
        p = psutil.Process(proc.pid)
        while proc.poll() is None:
            try:
                peak[0] = max(peak[0], p.memory_info().rss)
            except psutil.Error:
                break
            time.sleep(0.05)

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    output, _ = proc.communicate(timeout=900)
    watcher.join()
    seconds = time.monotonic() - start
    time.sleep(0.5)
    survivors = _survivors([token, str(tmp)])
    reports = {p.stem: json.loads(p.read_text()) for p in (out / "reports").glob("*.json")}
    return {"expected": expected, "reports": reports, "out": out, "output": output, "code": proc.returncode,
            "peak_rss": peak[0], "survivors": survivors, "seconds": seconds, "marker": marker, "tmp": tmp}


def test_the_batch_finishes(adversarial):
    assert adversarial["code"] == 0, adversarial["output"][-3000:]
    assert set(adversarial["reports"]) == set(adversarial["expected"]), adversarial["output"][-3000:]


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_no_trick_earns_a_point(adversarial, name):
    report = adversarial["reports"][name]
    got = {i: r["score"] for i, r in report["exercises"].items()}
    assert got == adversarial["expected"][name], json.dumps(report, indent=1)[:5000]


def test_the_grade_files_are_the_graders(adversarial):
    out = adversarial["out"]
    with open(out / "grades.csv", newline="") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    assert set(rows) == set(EXPECTED)
    for name, scores in EXPECTED.items():
        assert float(rows[name]["total"]) == sum(scores.values())
    assert "hacked" not in (out / "grades.csv").read_text()


def test_nothing_is_left_behind(adversarial):
    assert adversarial["survivors"] == []
    assert not adversarial["marker"].exists(), "a pickle from the kernel was loaded in the grader"
    assert list(adversarial["tmp"].iterdir()) == []  # the batch's temporary folder is gone


def test_forged_records_are_refused_with_a_reason(adversarial):
    report = adversarial["reports"]["sys_modules"]
    rows = " ".join(report["exercises"]["testing.row-norms"]["messages"])
    assert "could not read what the notebook reported" in rows
    eta = " ".join(report["exercises"]["testing.eta"]["messages"])
    assert "pickled data is not accepted" in eta


def test_lying_objects_are_named(adversarial):
    report = adversarial["reports"]["liar"]
    scale = report["exercises"]["testing.scale"]
    assert "an object of type Liar" in json.dumps(scale)
    assert "an object of type LiarArray" in json.dumps(report["exercises"]["testing.row-norms"])
    assert "`eta_max` is an object of type Liar" in " ".join(report["exercises"]["testing.eta"]["messages"])
    assert "contains an object of type Liar" in " ".join(report["exercises"]["testing.knob"]["messages"])


def test_huge_output_is_cut_and_the_grader_stays_small(adversarial):
    report = adversarial["reports"]["huge_output"]
    assert any("output beyond 1 MiB was cut" in r for r in report["reasons"])
    executed = adversarial["out"] / "executed" / "huge_output.ipynb"
    assert executed.stat().st_size < 3 * 2**20
    # 168 MiB were printed; the grader keeps at most 1 MiB per notebook and drops the
    # 48 MiB message on arrival
    assert adversarial["peak_rss"] < 600 * 2**20, adversarial["peak_rss"] / 2**20


def test_fork_loop_is_stopped(adversarial):
    report = adversarial["reports"]["fork_loop"]
    reasons = " ".join(report["reasons"])
    assert "processes at once" in reasons or "BlockingIOError" in reasons or "Resource temporarily" in reasons
