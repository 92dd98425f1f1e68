"""The grader gives exact grades to good, wrong and broken submissions, and never aborts."""

import csv
import fcntl
import json

import pytest
from exercise_system import FIXTURE_EXERCISES

from nnbook.grade import grade_batch
from nnbook.grade.runner import GradeOptions

from .submissions import write_all

IDS = ["testing.scale", "testing.row-norms", "testing.eta", "testing.pick", "testing.knob"]


@pytest.fixture(scope="module")
def batch(tmp_path_factory, worker_id):
    """Grade the synthetic batch once, even when pytest-xdist runs these tests on several workers."""
    root = tmp_path_factory.getbasetemp()
    if worker_id != "master":
        root = root.parent  # shared by the workers of one run
    root = root / "grader-batch"
    root.mkdir(exist_ok=True)
    with open(root / "lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        try:
            expected = write_all(root / "subs")
            if not (root / "out" / "grades.csv").exists():
                opts = GradeOptions(cell_timeout=8, notebook_timeout=120, memory_mb=2048, salt="test-salt",
                                    extra_exercises=str(FIXTURE_EXERCISES), interrupt_grace=3)
                grade_batch([root / "subs"], root / "out", opts, jobs=2, progress=False)
        finally:
            fcntl.flock(lock, fcntl.LOCK_UN)
    out = root / "out"
    reports = {p.stem: Report(json.loads(p.read_text())) for p in (out / "reports").glob("*.json")}
    return expected, reports, out


class Report:
    """A report read back from DIR/reports/<name>.json."""

    def __init__(self, data):
        self.data = data
        self.exercises = data["exercises"]
        self.status = data["status"]
        self.reasons = data["reasons"]
        self.chapter_source = data["chapter_source"]
        self.total = data["total"]

    def to_dict(self):
        return self.data


def test_every_submission_gets_a_row(batch):
    expected, reports, out = batch
    assert set(reports) == set(expected)
    with open(out / "grades.csv", newline="") as f:
        rows = {r["submission"]: r for r in csv.DictReader(f)}
    assert set(rows) == set(expected)
    header = list(next(csv.reader(open(out / "grades.csv"))))
    assert header[:3] == ["submission", "path", "chapters"]
    assert header[-4:] == ["total", "max_total", "status", "reason"]
    assert sorted(header[3:-4]) == sorted(IDS)


@pytest.mark.parametrize(
    "name",
    ["good", "wrong", "syntax_error", "endless_loop", "stubborn_loop", "kernel_death", "segfault", "deleted_cells",
     "duplicated_cells", "missing_function", "fake_success", "memory_hog", "kills_kernel_when_graded", "page",
     "unreadable", "no_chapter"],
)
def test_exact_grades(batch, name):
    expected, reports, out = batch
    scores, status, reason = expected[name]
    report = reports[name]
    got = {i: r["score"] for i, r in report.exercises.items()}
    assert got == scores, json.dumps(report.to_dict(), indent=1)[:4000]
    assert report.status == status, report.reasons
    assert reason in "; ".join(report.reasons)
    with open(out / "grades.csv", newline="") as f:
        row = {r["submission"]: r for r in csv.DictReader(f)}[name]
    assert float(row["total"]) == sum(scores.values())
    assert row["status"] == status
    for i in IDS:
        assert row[i] == (f"{scores[i]:g}" if i in scores else "")


def test_messages_explain_the_failures(batch):
    _, reports, out = batch
    wrong = json.loads((out / "reports" / "wrong.json").read_text())
    assert "You flipped the sign" in " ".join(wrong["exercises"]["testing.scale"]["messages"])
    assert "You forgot the square root." in " ".join(wrong["exercises"]["testing.row-norms"]["messages"])
    missing = reports["missing_function"].exercises["testing.row-norms"]["messages"]
    assert missing == ["`row_norms` is not defined in the notebook."]
    killed = " ".join(reports["kills_kernel_when_graded"].exercises["testing.scale"]["messages"])
    assert "killed the kernel" in killed
    assert reports["kernel_death"].chapter_source == "exercise ids"
    assert reports["good"].chapter_source == "metadata"


def test_gradescope_results_follow_the_schema(batch):
    _, reports, out = batch
    one = json.loads((out / "gradescope" / "wrong" / "results.json").read_text())
    assert set(one) >= {"score", "tests", "output", "execution_time"}
    assert one["score"] == 0.0
    names = [t["name"] for t in one["tests"]]
    assert names[0].startswith("testing.") and len(names) == 5
    for t in one["tests"]:
        assert set(t) >= {"name", "score", "max_score", "output", "status", "visibility"}
        assert t["status"] in {"passed", "failed"}
    good = json.loads((out / "gradescope" / "good" / "results.json").read_text())
    assert good["score"] == 6.0 and all(t["score"] == t["max_score"] for t in good["tests"])
    batch_doc = json.loads((out / "results.json").read_text())
    assert batch_doc["score"] == sum(r.total for r in reports.values())
    assert any(t["name"].startswith("good: ") for t in batch_doc["tests"])


def test_executed_notebooks_are_kept_for_review(batch):
    _, _, out = batch
    assert (out / "executed" / "good.ipynb").exists()
