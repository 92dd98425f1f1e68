"""The MNIST lab: the command's options on a small subset, its JSON, saving and loading,
determinism, the cache of trained runs, and the clear exit on missing data. Never downloads."""

import json
import subprocess
import sys

import numpy as np
import pytest

from nnbook.data.mnist import load_mnist
from nnbook.lab import mnist as lab
from nnbook.lab.augment import RandomShift

SMALL = ["--subset", "2000", "--epochs", "2", "--hidden", "64", "32", "--batch-size", "50"]


def run_cli(args, env, timeout=120):
    """``python -m nnbook.lab.mnist ARGS``; one BLAS thread: the tiny test networks gain nothing
    from more, and a busy machine (pytest -n 2) makes spinning BLAS threads very slow."""
    env = {**env, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    return subprocess.run([sys.executable, "-m", "nnbook.lab.mnist", *args], env=env,
                          capture_output=True, text=True, timeout=timeout)


def test_command_on_a_small_subset_writes_json_saves_and_loads(lab_env, tmp_path):
    out, saved, evaluated = tmp_path / "run.json", tmp_path / "net.npz", tmp_path / "eval.json"
    p = run_cli(SMALL + ["--json", str(out), "--save", str(saved)], lab_env)
    assert p.returncode == 0, p.stderr
    assert "test error:" in p.stdout and "train time:" in p.stdout and "peak memory:" in p.stdout
    assert "epoch   2/2" in p.stdout                          # one line per epoch when not a terminal
    rec = json.loads(out.read_text())
    for key in ("test_error_percent", "train_seconds", "peak_rss_mb", "epochs", "config", "history"):
        assert key in rec
    assert rec["epochs"] == 2 and rec["config"]["hidden"] == [64, 32] and rec["config"]["subset"] == 2000
    for curve in ("train_loss", "train_error", "test_error", "learning_rate"):
        assert len(rec["history"][curve]) == 2
    assert rec["history"]["learning_rate"] == [0.1, 0.01]     # η = 0.1, then 0.01 for the second half
    assert 0 < rec["test_error_percent"] < 20 and 0 < rec["peak_rss_mb"] < 1500
    # --load --evaluate-only: the saved network gives the same test error
    p = run_cli(["--load", str(saved), "--evaluate-only", "--json", str(evaluated)], lab_env)
    assert p.returncode == 0, p.stderr
    ev = json.loads(evaluated.read_text())
    assert ev["test_error_percent"] == rec["test_error_percent"] and ev["config"] == rec["config"]
    assert f"test error: {rec['test_error_percent']:.2f} %" in p.stdout


def test_same_seed_gives_identical_json_numbers_and_another_seed_does_not(lab_env, tmp_path):
    records = []
    for i, seed in enumerate(["3", "3", "4"]):
        out = tmp_path / f"r{i}.json"
        p = run_cli(SMALL + ["--seed", seed, "--quiet", "--json", str(out)], lab_env)  # separate processes
        assert p.returncode == 0, p.stderr
        rec = json.loads(out.read_text())
        records.append({k: rec["history"][k] for k in ("train_loss", "train_error", "test_loss", "test_error")}
                       | {"test_error_percent": rec["test_error_percent"]})
    assert records[0] == records[1]
    assert records[0] != records[2]


def test_save_then_load_restores_the_network_exactly(lab_env, tmp_path):
    result = lab.train(lab.Config(hidden=(16,), epochs=1, subset=300))
    back = lab.load(lab.save(result, tmp_path / "net.npz"))
    np.testing.assert_array_equal(back.net.get_w(), result.net.get_w())
    assert back.config == result.config and back.history == result.history


def test_missing_mnist_exits_with_status_2_and_the_loaders_message(lab_env, tmp_path):
    env = dict(lab_env, NNBOOK_DATA=str(tmp_path / "empty"), NNBOOK_CACHE=str(tmp_path / "empty-cache"))
    env.pop("NNBOOK_OFFLINE")
    p = run_cli(SMALL + ["--no-download"], env)                # downloads off by the option
    assert p.returncode == 2
    assert "Traceback" not in p.stderr
    assert "not found" in p.stderr and "set NNBOOK_DATA to a folder that contains mnist/" in p.stderr
    env["NNBOOK_OFFLINE"] = "1"                                # ... or by the environment
    p = run_cli(SMALL, env)
    assert p.returncode == 2 and "NNBOOK_OFFLINE" in p.stderr and "Traceback" not in p.stderr


def test_corrupt_mnist_exits_with_status_2(lab_env, tmp_path, mnist_root):
    (tmp_path / "bad" / "mnist").mkdir(parents=True)
    for name in ("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz", "t10k-images-idx3-ubyte.gz"):
        (tmp_path / "bad" / "mnist" / name).symlink_to(mnist_root / "mnist" / name)
    (tmp_path / "bad" / "mnist" / "t10k-labels-idx1-ubyte.gz").write_bytes(b"\x00" * 4542)
    p = run_cli(SMALL, dict(lab_env, NNBOOK_DATA=str(tmp_path / "bad")))
    assert p.returncode == 2 and "is corrupt" in p.stderr and "Traceback" not in p.stderr


def test_learning_rate_options_set_the_schedule(lab_env, tmp_path, capsys):
    out = tmp_path / "lr.json"
    args = ["--subset", "500", "--epochs", "3", "--hidden", "16", "--quiet", "--json", str(out)]
    assert lab.main(args + ["--lr", "0.2", "--lr-final", "0.02", "--switch-epoch", "1"]) == 0
    assert json.loads(out.read_text())["history"]["learning_rate"] == [0.2, 0.02, 0.02]
    assert lab.main(args + ["--schedule", "0.3:1,0.05:2"]) == 0
    assert json.loads(out.read_text())["history"]["learning_rate"] == [0.3, 0.05, 0.05]
    with pytest.raises(SystemExit):
        lab.main(args + ["--schedule", "fast"])
    assert "eta:fraction" in capsys.readouterr().err


def test_schedule_is_point_one_for_the_first_half_and_point_zero_one_after():
    c = lab.Config(epochs=100)
    assert [c.learning_rate(e) for e in (0, 49, 50, 99)] == [0.1, 0.1, 0.01, 0.01]
    assert lab.parse_schedule("0.1:0.5,0.01:0.5") == ((0.1, 0.5), (0.01, 0.5))
    with pytest.raises(ValueError):
        lab.parse_schedule("0.1")


def test_train_api_returns_net_history_and_evaluate_agrees(lab_env):
    cfg = lab.Config(hidden=(32, 16), epochs=2, subset=1000, batch_size=32)
    result = lab.train(cfg)
    X, t = load_mnist("test")
    err, loss = lab.evaluate(result.net, X, t)
    assert err == result.test_error_percent == result.history["test_error"][-1]
    assert loss == pytest.approx(result.history["test_loss"][-1])
    assert result.net.sizes == [784, 32, 16, 10] and result.net.dtype == np.float32
    assert result.train_seconds > 0 and not result.from_cache


def test_train_cached_trains_once_then_loads(lab_env, tmp_path):
    cfg = lab.Config(hidden=(32,), epochs=1, subset=500, batch_size=50)
    first = lab.train_cached(cfg, tmp_path / "runs")
    second = lab.train_cached(cfg, tmp_path / "runs")
    assert not first.from_cache and second.from_cache
    np.testing.assert_array_equal(first.net.get_w(), second.net.get_w())
    assert second.history == first.history and second.test_error_percent == first.test_error_percent
    assert lab.Config(hidden=(32,), epochs=2, subset=500).key() != cfg.key()
    assert len(list((tmp_path / "runs").glob("*.npz"))) == 1


def test_random_shift_moves_each_image_by_at_most_s_pixels():
    X = np.zeros((1, 784), np.float32)
    X[0, 10 * 28 + 12] = 1.0                                  # one bright pixel at (10, 12)
    shifter = RandomShift(X, max_shift=1)
    rng = np.random.default_rng(0)
    seen = set()
    for _ in range(200):
        img = shifter.batch(np.array([0]), rng).reshape(28, 28)
        (i,), (j,) = np.nonzero(img)
        assert abs(i - 10) <= 1 and abs(j - 12) <= 1 and img.sum() == 1.0
        seen.add((i, j))
    assert len(seen) == 9
    no_shift = shifter.padded.reshape(1, 30, 30)[0, 1:29, 1:29]
    np.testing.assert_array_equal(no_shift.ravel(), X[0])
