"""Chapter 13: does a gradient by backpropagation cost O(W) and one by finite differences O(W²)?

The Nankai lecture (反向传播的效率) counts operations; these functions measure them:
:func:`operation_counts` (the count), :class:`ScalarMLP` (a network evaluated one
multiply-add at a time, so its running time follows the count), :func:`time_gradients`
(backprop against central differences as W grows) and :func:`median_time`.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from operator import mul
from typing import Callable, Sequence

import numpy as np

from ..gradcheck import central_difference

__all__ = ["median_time", "ScalarMLP", "operation_counts", "GradientTimings", "time_gradients"]

def median_time(fn: Callable[[], object], repeats: int = 5, warmup: int = 1,
                clock: Callable[[], float] = time.perf_counter, number: int = 1) -> float:
    """Median seconds per call of ``fn()`` over ``repeats`` runs (after ``warmup`` runs).

    The median, not the mean: one run slowed down by another process does not move it.

    Parameters
    ----------
    fn : callable without arguments
    repeats, warmup : int
    number : int
        Calls per run (the run's time is divided by it): for calls too short to time singly.
    clock : callable
        ``time.perf_counter`` (wall clock, the default) or ``time.process_time`` (CPU time
        of this process: for single-threaded code on a busy machine, it leaves out the
        time other processes hold the processor).
    """
    for _ in range(warmup):
        fn()
    times = []
    for _ in range(max(1, repeats)):
        t0 = clock()
        for _ in range(number):
            fn()
        times.append((clock() - t0) / number)
    return float(np.median(times))


class ScalarMLP:
    """A network evaluated one multiply-add at a time in plain Python (chapter 13).

    The Nankai lecture counts operations: one evaluation of E_n costs O(W) multiply-adds. numpy
    hides that count behind a fixed cost per call, which dominates small networks; this
    class does not, so its running time is proportional to the number of operations and
    the measured cost of backprop and finite differences shows the lecture's O(W) and
    O(W²). One sample, tanh hidden units, linear outputs, E_n = ½ Σ_k (y_k − t_k)².

    The parameter vector w has the layout of :meth:`nnbook.networks.MLP.get_w`
    (W^(1) row by row, b^(1), W^(2), b^(2), ...), so results compare with the package.

    Parameters
    ----------
    sizes : sequence of int
        ``[D, n_1, ..., K]``.
    """

    def __init__(self, sizes: Sequence[int]):
        self.sizes = [int(s) for s in sizes]
        self.n_params = sum(n * (m + 1) for m, n in zip(self.sizes[:-1], self.sizes[1:]))

    def _layers(self, w):
        w, i, out = (w.tolist() if isinstance(w, np.ndarray) else list(w)), 0, []
        for m, n in zip(self.sizes[:-1], self.sizes[1:]):
            rows = [w[i + j * m:i + (j + 1) * m] for j in range(n)]
            i += n * m
            out.append((rows, w[i:i + n]))
            i += n
        return out

    def _forward(self, layers, x):
        zs, As = [list(x)], []
        for l, (rows, b) in enumerate(layers):
            z = zs[-1]
            a = [bj + sum(map(mul, row, z)) for row, bj in zip(rows, b)]     # a_j = Σ_i w_ji z_i + b_j
            As.append(a)
            zs.append([math.tanh(v) for v in a] if l < len(layers) - 1 else a)
        return zs, As

    def error(self, w, x, t) -> float:
        """E_n(w) = ½ Σ_k (y_k − t_k)² for one sample x (D,), t (K,)."""
        zs, _ = self._forward(self._layers(w), x)
        return 0.5 * sum((y - tk) ** 2 for y, tk in zip(zs[-1], t))

    def gradient(self, w, x, t) -> np.ndarray:
        """∇E_n by backpropagation, one scalar at a time (the Nankai lecture's four steps)."""
        layers = self._layers(w)
        zs, _ = self._forward(layers, x)
        delta = [y - tk for y, tk in zip(zs[-1], t)]                         # δ_k = y_k − t_k
        parts = []
        for l in range(len(layers) - 1, -1, -1):
            rows, _ = layers[l]
            z = zs[l]
            parts.append([d * zi for d in delta for zi in z] + delta)          # ∂E/∂w_ji = δ_j z_i
            if l > 0:
                columns = zip(*rows)                                           # w_kj for fixed j
                delta = [(1 - zj * zj) * sum(map(mul, col, delta))
                         for zj, col in zip(z, columns)]                       # δ_j = h'(a_j) Σ_k w_kj δ_k
        return np.array([v for p in reversed(parts) for v in p])


def operation_counts(sizes: Sequence[int]) -> dict:
    """Multiply-adds for one gradient of E_n by each method (the Nankai lecture).

    One forward pass costs W multiply-adds (each weight one multiply and one add, each
    bias one add), with W = Σ_l n_l (n_{l-1} + 1). Backprop adds the backward pass:
    Σ_{l≥2} n_l n_{l-1} to send δ back and W for the products δ_j z_i. A forward difference
    needs W + 1 forward passes, a central difference 2W.

    Parameters
    ----------
    sizes : sequence of int

    Returns
    -------
    dict with keys ``W``, ``forward``, ``backprop``, ``forward_difference``,
    ``central_difference``.
    """
    sizes = [int(s) for s in sizes]
    W = sum(n * (m + 1) for m, n in zip(sizes[:-1], sizes[1:]))
    back = sum(n * m for m, n in zip(sizes[1:-1], sizes[2:]))
    return {"W": W, "forward": W, "backprop": W + back + W,
            "forward_difference": (W + 1) * W, "central_difference": 2 * W * W}


@dataclass
class GradientTimings:
    """Seconds per gradient, one entry per network size."""

    W: np.ndarray
    backprop: np.ndarray
    central: np.ndarray


def time_gradients(sizes_list: Sequence[Sequence[int]], repeats: int = 3, seed: int = 0,
                   eps: float = 1e-6, implementation: str = "scalar") -> GradientTimings:
    """Median time of one gradient by backprop and by central differences (chapter 13).

    The Nankai lecture's claim, O(W) operations per gradient by backpropagation against O(W²) by
    finite differences, is a count of operations. Time is proportional to that count only
    when every operation costs the same: ``implementation="scalar"`` times
    :class:`ScalarMLP` (plain Python, one multiply-add at a time), whose running time
    follows the count. ``implementation="numpy"`` times the package's
    :class:`~nnbook.networks.MLP` on the same networks: for small networks each numpy call
    costs a fixed overhead of some microseconds that does not depend on W, so backprop
    (a few calls) looks O(1) and central differences (2W forward passes) look O(W) —
    the growth is hidden, not absent.

    The clock is the CPU time of this process (``time.process_time``): the networks are
    small and run on one thread, and other programs on a busy machine then barely disturb
    the measurement. One random sample (D,), targets (K,), E_n = ½ Σ_k (y_k − t_k)², tanh
    hidden units.

    Parameters
    ----------
    sizes_list : list of ``[D, n_1, ..., K]``
    repeats : int
        Runs per measurement (the median is kept).
    seed : int
    eps : float
        Step of the central difference.
    implementation : {"scalar", "numpy"}

    Returns
    -------
    GradientTimings
        ``W`` (number of parameters), ``backprop`` and ``central`` (seconds per gradient),
        one entry per network.
    """
    if implementation not in ("scalar", "numpy"):
        raise ValueError(f"implementation must be 'scalar' or 'numpy'; got {implementation!r}")
    rng = np.random.default_rng(seed)
    Ws, tb, tc = [], [], []
    for sizes in sizes_list:
        scalar = ScalarMLP(sizes)
        w = rng.standard_normal(scalar.n_params) / np.sqrt(max(sizes))
        x, t = rng.standard_normal(sizes[0]), rng.standard_normal(sizes[-1])
        if implementation == "scalar":
            xs, ts = x.tolist(), t.tolist()
            backprop = lambda: scalar.gradient(w, xs, ts)
            error = lambda v: scalar.error(v, xs, ts)
        else:
            from ..networks import MLP

            net = MLP(sizes, hidden="tanh", output="identity", seed=seed)
            net.set_w(w)
            X1, T1 = x[None], t[None]
            backprop = lambda: net.gradient(X1, T1)

            def error(v):
                net.set_w(v)                                   # one forward pass with the weights v
                return net.error(X1, T1)
        Ws.append(scalar.n_params)
        tb.append(median_time(backprop, repeats, clock=time.process_time, number=20))
        tc.append(median_time(lambda: central_difference(error, w, eps), repeats, warmup=0,
                              clock=time.process_time))
    return GradientTimings(np.array(Ws), np.array(tb), np.array(tc))
