"""Attempts are recorded in the file named by NNBOOK_PROGRESS and shown per chapter."""

import importlib
import json

from nnbook.exercises import check, progress

# the function nnbook.exercises.progress shadows the module of the same name
progress_module = importlib.import_module("nnbook.exercises.progress")


def test_progress_goes_to_the_temporary_file(progress_file):
    assert progress_module.progress_path() == progress_file
    check("testing.eta", 0.5, show=False)
    check("testing.eta", 0.25, show=False)
    data = json.loads(progress_file.read_text())
    entry = data["exercises"]["testing.eta"]
    assert entry["attempts"] == 2 and entry["passed"] and entry["best_score"] == 1.0


def test_a_later_failure_keeps_the_best_score(progress_file):
    check("testing.pick", 1, show=False)
    check("testing.pick", 0, show=False)
    entry = progress_module.load()["testing.pick"]
    assert entry["passed"] and not entry["last_passed"] and entry["best_score"] == 1.0


def test_progress_table_per_chapter(progress_file):
    check("testing.scale", lambda x, a: a * x, show=False)
    check("testing.eta", 3.0, show=False)
    report = progress(99)
    rows = {r["id"]: r for r in report.rows}
    assert rows["testing.scale"]["passed"] and rows["testing.scale"]["best_score"] == 2
    assert rows["testing.eta"]["attempts"] == 1 and not rows["testing.eta"]["passed"]
    assert rows["testing.knob"]["attempts"] == 0
    text = repr(report)
    assert "Chapter 99: 1/" in text and "[x] testing.scale" in text and "[~] testing.eta" in text
    html = report._repr_html_()
    assert "<table" in html and "testing.scale" in html and "&#10004;" in html


def test_recording_can_be_switched_off(monkeypatch, tmp_path):
    monkeypatch.setenv("NNBOOK_PROGRESS", "off")
    r = check("testing.eta", 0.25, show=False)
    assert r.passed and r.attempts == 0
    assert progress_module.load() == {}


def test_a_corrupt_progress_file_is_ignored(progress_file):
    progress_file.write_text("{not json")
    assert check("testing.eta", 0.25, show=False).attempts == 1
