"""The per-notebook time limit stops a slow notebook but keeps the credit earned; --chapter forces chapters."""

import json

import nbformat
from exercise_system import FIXTURE_EXERCISES

from nnbook.grade.__main__ import main


def test_notebook_time_limit_and_forced_chapter(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nb.cells = [nbformat.v4.new_code_cell("def scale(x, a):\n    return a * x")]
    nb.cells += [nbformat.v4.new_code_cell("import time\ntime.sleep(1.5)") for _ in range(6)]
    nb.cells += [nbformat.v4.new_code_cell("eta_max = 0.25")]
    nbformat.write(nb, str(tmp_path / "slow.ipynb"))
    code = main([str(tmp_path / "slow.ipynb"), "--out", str(tmp_path / "out"), "--chapter", "testing",
                 "--timeout", "5", "--notebook-timeout", "8", "--extra-exercises", str(FIXTURE_EXERCISES), "--quiet"])
    assert code == 0
    report = json.loads((tmp_path / "out" / "reports" / "slow.json").read_text())
    assert report["chapter_source"] == "--chapter" and report["chapters"] == [99]
    scores = {i: r["score"] for i, r in report["exercises"].items()}
    assert scores == {"testing.scale": 2, "testing.row-norms": 0, "testing.eta": 0, "testing.pick": 0,
                      "testing.knob": 0}
    assert report["status"] == "errors"
    assert any("notebook time limit (8 s) reached" in r for r in report["reasons"])
    assert any(c["status"] == "not run" for c in report["cells"])


def test_cpu_seconds_file_size_and_a_fine_process_time(tmp_path):
    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(c) for c in [
        "import time\nt = time.process_time()\ns = sum(range(200000))\nassert time.process_time() > t, 'tick-sized clock'",
        "import subprocess, sys\nburner = subprocess.Popen([sys.executable, '-c', 'while True: pass'])\n"
        "while burner.poll() is None:  # until the grader stops it\n    time.sleep(0.2)",
        "def scale(x, a):\n    return a * x",
        "import errno\ntry:\n    open('big.bin', 'wb').write(b'x' * (4 << 20))\n    print('written')\n"
        "except OSError as exc:\n    print('refused', exc.errno == errno.EFBIG)",
    ]]
    nbformat.write(nb, str(tmp_path / "burn.ipynb"))
    code = main([str(tmp_path / "burn.ipynb"), "--out", str(tmp_path / "out"), "--chapter", "testing",
                 "--timeout", "90", "--cpu-seconds", "6", "--file-mb", "1", "--extra-exercises", str(FIXTURE_EXERCISES), "--quiet"])
    assert code == 0
    report = json.loads((tmp_path / "out" / "reports" / "burn.json").read_text())
    assert [c["status"] for c in report["cells"]] == ["ok", "ok", "ok", "ok"], report["cells"]
    executed = nbformat.read(str(tmp_path / "out" / "executed" / "burn.ipynb"), as_version=4)
    assert executed.cells[3].outputs[0]["text"] == "refused True\n"  # RLIMIT_FSIZE, and the kernel lives on
    assert any("more than 6 CPU seconds" in r for r in report["reasons"])
    assert report["exercises"]["testing.scale"]["score"] == 2
