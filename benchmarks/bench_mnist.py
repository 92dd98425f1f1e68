"""Benchmark: the lab's numpy trainer against PyTorch on real MNIST (chapter 17).

Both train the same network — 784 → 500 → ReLU → 300 → ReLU → 10, softmax + cross-entropy,
SGD with weight decay on the weights — with the same batch size, float32, and the same number
of threads, on the same shuffled MNIST batches. The script prints samples per second of each
(median of several timed repeats after a warm-up, numpy and torch interleaved so that any
change in the machine's load hits both), their ratio, the measured float32 matrix-multiply
peak of this machine, and the fraction of that peak the numpy trainer reaches.

FLOPs are counted as the brief of the benchmark says: 2·N·Σ(n_in·n_out) for the forward pass
and twice that for the backward pass, so 6·N·Σ(n_in·n_out) per step. (The backward pass
never needs δ⁽⁰⁾ = ∂E/∂x, so it really does a little less; ``executed_fraction_of_peak``
counts only the products that are computed.)

Run:  python benchmarks/bench_mnist.py [--batch-sizes 64 256] [--json bench.json]
MNIST is found as by ``nnbook.data.load_mnist`` (``NNBOOK_DATA``, the cache, or a download).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import statistics
import sys
import time

import numpy as np

from nnbook.data.mnist import MNISTError, load_mnist
from nnbook.lab.minibatch import MiniBatchSGD
from nnbook.networks import MLP

SIZES = [784, 500, 300, 10]
ETA, LAM = 0.1, 1e-4


def blas_threads() -> int:
    """The number of threads numpy's BLAS uses: OPENBLAS/OMP/MKL_NUM_THREADS, else the usable cores."""
    for var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
        if os.environ.get(var, "").isdigit():
            return int(os.environ[var])
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def gemm_peak_gflops(sizes=(1024, 2048, 3072), repeats=5) -> float:
    """Best float32 square matrix-multiply speed of numpy here, in GFLOP/s (2n³ per product)."""
    rng = np.random.default_rng(0)
    best = 0.0
    for n in sizes:
        A = rng.standard_normal((n, n), dtype=np.float32)
        B = rng.standard_normal((n, n), dtype=np.float32)
        C = np.empty((n, n), np.float32)
        np.matmul(A, B, out=C)                              # warm-up
        for _ in range(repeats):
            tic = time.perf_counter()
            np.matmul(A, B, out=C)
            best = max(best, 2.0 * n ** 3 / (time.perf_counter() - tic) / 1e9)
    return best


def flops_per_sample(sizes=SIZES) -> float:
    """Forward 2·Σ n_in·n_out plus backward twice that."""
    return 6.0 * sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))


def executed_flops_per_sample(sizes=SIZES) -> float:
    """What is really computed: forward, ∂E/∂W⁽ˡ⁾ for every layer, δ for every layer but the first."""
    layers = [a * b for a, b in zip(sizes[:-1], sizes[1:])]
    return 2.0 * (2 * sum(layers) + sum(layers[1:]))


class NumpyRunner:
    """The lab's trainer (:class:`nnbook.lab.minibatch.MiniBatchSGD`), float32, in place."""

    name = "numpy"

    def __init__(self, X, t, batch_size, seed=0):
        self.X, self.t, self.B = X, t, batch_size
        self.net = MLP(SIZES, hidden="relu", output="softmax", init="he", seed=seed, dtype=np.float32)
        self.kernel = MiniBatchSGD(self.net)

    def run(self, batches):
        for rows in batches:
            self.kernel.step(self.X, self.t[rows], ETA, LAM, rows=rows)


class TorchRunner:
    """Plain PyTorch: nn.Linear + ReLU, CrossEntropyLoss, SGD with weight decay on the weights."""

    name = "torch"

    def __init__(self, X, t, batch_size, seed=0):
        import torch
        from torch import nn
        self.torch = torch
        torch.manual_seed(seed)
        self.X, self.t = torch.from_numpy(X), torch.from_numpy(t)
        self.model = nn.Sequential(nn.Linear(784, 500), nn.ReLU(), nn.Linear(500, 300), nn.ReLU(),
                                   nn.Linear(300, 10))
        weights = [m.weight for m in self.model if isinstance(m, nn.Linear)]
        biases = [m.bias for m in self.model if isinstance(m, nn.Linear)]
        self.opt = torch.optim.SGD([{"params": weights, "weight_decay": LAM},
                                    {"params": biases, "weight_decay": 0.0}], lr=ETA)
        self.loss = nn.CrossEntropyLoss()

    def run(self, batches):
        torch = self.torch
        for rows in batches:
            idx = torch.from_numpy(rows)
            xb, tb = self.X.index_select(0, idx), self.t.index_select(0, idx)
            self.opt.zero_grad(set_to_none=True)
            self.loss(self.model(xb), tb).backward()
            self.opt.step()


def measure(batch_size, X, t, threads, steps, repeats, warmup, with_torch=True, pause=0.5):
    """Median samples/s of numpy and torch, timed in interleaved repeats.

    OpenBLAS (numpy) and OpenMP (torch) keep their worker threads spinning for a while after
    a call; without the ``pause`` before each timed repeat, the library that runs second
    shares the cores with the first one's spinning threads and looks up to 2x slower.
    """
    rng = np.random.default_rng(0)
    perm = rng.permutation(X.shape[0])
    n_batches = X.shape[0] // batch_size

    def batches(k, offset):
        return [perm[((offset + i) % n_batches) * batch_size:((offset + i) % n_batches + 1) * batch_size]
                for i in range(k)]

    runners = [NumpyRunner(X, t, batch_size)]
    if with_torch:
        runners.append(TorchRunner(X, t, batch_size))
    for r in runners:
        r.run(batches(warmup, 0))
    speed = {r.name: [] for r in runners}
    for rep in range(repeats):
        for r in (runners if rep % 2 == 0 else runners[::-1]):
            work = batches(steps, warmup + rep * steps)
            time.sleep(pause)        # let the other library's worker threads stop spinning first
            tic = time.perf_counter()
            r.run(work)
            speed[r.name].append(steps * batch_size / (time.perf_counter() - tic))
    return {name: statistics.median(v) for name, v in speed.items()}, speed


def main(argv=None) -> int:
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--batch-sizes", type=int, nargs="+", default=[64, 256])
    p.add_argument("--steps", type=int, default=150, help="batches per timed repeat (default 150)")
    p.add_argument("--repeats", type=int, default=7, help="timed repeats per trainer (default 7)")
    p.add_argument("--warmup", type=int, default=30, help="untimed batches first (default 30)")
    p.add_argument("--threads", type=int, default=None,
                   help="threads for torch (default: the number numpy's BLAS uses)")
    p.add_argument("--no-torch", action="store_true", help="time only the numpy trainer")
    p.add_argument("--json", metavar="PATH", help="write the results as JSON")
    args = p.parse_args(argv)

    threads = args.threads or blas_threads()
    with_torch = not args.no_torch
    if with_torch:
        try:
            import torch
            torch.set_num_threads(threads)
            torch_version = torch.__version__
        except ImportError:
            print("PyTorch is not installed: timing numpy only (pip install 'nnbook[torch]')", file=sys.stderr)
            with_torch, torch_version = False, None
    else:
        torch_version = None
    try:
        X, t = load_mnist("train", dtype=np.float32)
    except MNISTError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2

    print(f"numpy {np.__version__}, torch {torch_version}, {threads} thread(s), {platform.processor() or platform.machine()}")
    peak = gemm_peak_gflops()
    print(f"float32 matmul peak (numpy, best of square products): {peak:.1f} GFLOP/s")
    fps, xfps = flops_per_sample(), executed_flops_per_sample()
    print(f"network {SIZES}, float32, SGD eta={ETA} lambda={LAM}; {fps / 1e6:.2f} MFLOP per sample "
          f"(forward + 2 x forward)\n")
    header = f"{'batch':>6} {'numpy samples/s':>16} {'torch samples/s':>16} {'ratio':>7} {'numpy GFLOP/s':>14} {'of peak':>8}"
    print(header)
    print("-" * len(header))
    measured = {}
    for B in args.batch_sizes:
        measured[B] = measure(B, X, t, threads, args.steps, args.repeats, args.warmup, with_torch)
    peak_end = gemm_peak_gflops()              # again: a busy moment must not lower the peak
    if peak_end > peak:
        print(f"(matmul peak measured again after the runs: {peak_end:.1f} GFLOP/s; using it)")
        peak = peak_end
    results = {}
    for B in args.batch_sizes:
        med, raw = measured[B]
        nps = med["numpy"]
        tps = med.get("torch")
        res = {
            "numpy_samples_per_s": nps,
            "torch_samples_per_s": tps,
            "ratio": (nps / tps) if tps else None,
            "numpy_gflops": nps * fps / 1e9,
            "fraction_of_peak": nps * fps / (peak * 1e9),
            "executed_fraction_of_peak": nps * xfps / (peak * 1e9),
            "gemm_peak_gflops": peak,
            "best_numpy_samples_per_s": max(raw["numpy"]),
            "best_torch_samples_per_s": max(raw["torch"]) if tps else None,
            "repeats_samples_per_s": raw,
        }
        results[str(B)] = res
        tcol = f"{tps:16.0f}" if tps else f"{'-':>16}"
        rcol = f"{res['ratio']:7.3f}" if tps else f"{'-':>7}"
        print(f"{B:6d} {nps:16.0f} {tcol} {rcol} {res['numpy_gflops']:14.1f} {100 * res['fraction_of_peak']:7.1f}%")
    spread = max(max(v) / min(v) for _, raw in measured.values() for v in raw.values())
    if spread > 1.5:
        print(f"\nwarning: the repeats differ by up to {spread:.1f}x: the machine was busy; "
              f"the numbers are not reliable", file=sys.stderr)
    if args.json:
        record = {"results": results, "gemm_peak_gflops": peak, "threads": threads,
                  "numpy": np.__version__, "torch": torch_version, "sizes": SIZES,
                  "flops_per_sample": fps, "executed_flops_per_sample": xfps,
                  "steps": args.steps, "repeats": args.repeats, "warmup": args.warmup}
        with open(args.json, "w") as f:
            json.dump(record, f, indent=2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
