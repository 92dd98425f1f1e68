"""Gradient descent: batch, stochastic and mini-batch (chapter 8).

The Nankai lecture (梯度下降最优化): the batch update w^(τ+1) = w^(τ) − η ∇E(w^(τ)) uses the
whole data set per step; stochastic gradient descent updates after every sample,
w^(τ+1) = w^(τ) − η ∇E_n(w^(τ)); mini-batches lie in between. The MNIST-lab lecture adds the
weight-decay term λW to the derivative and the schedule η = 0.1 → 0.01.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Callable, List, Optional, Sequence

import numpy as np

__all__ = ["piecewise_schedule", "constant_schedule", "sgd_step", "train", "History", "is_interactive"]


def constant_schedule(eta: float) -> Callable[[int], float]:
    """η(epoch) = η for every epoch."""
    return lambda epoch: float(eta)


def piecewise_schedule(boundaries: Sequence[int], values: Sequence[float]) -> Callable[[int], float]:
    """A piecewise-constant learning rate.

    Parameters
    ----------
    boundaries : sequence of int
        Epochs (0-based) at which the rate changes, increasing.
    values : sequence of float
        ``len(boundaries) + 1`` rates.

    Examples
    --------
    The lab's schedule, 0.1 for epochs 0..49 and 0.01 for 50..99:

    >>> eta = piecewise_schedule([50], [0.1, 0.01])
    >>> eta(49), eta(50)
    (0.1, 0.01)
    """
    boundaries, values = list(boundaries), [float(v) for v in values]
    if len(values) != len(boundaries) + 1:
        raise ValueError("give one more value than boundaries")
    if boundaries != sorted(boundaries):
        raise ValueError("boundaries must increase")

    def eta(epoch: int) -> float:
        return values[int(np.searchsorted(boundaries, epoch, side="right"))]
    return eta


def sgd_step(net, grads, eta: float):
    """One descent step w ← w − η ∇E on every parameter array of ``net``, in place.

    The weight-decay term λW, if any, is already part of ``grads`` (``net.backward(..., l2=λ)``).
    """
    for p, g in zip(net.parameters(), grads.arrays()):
        p -= eta * g


@dataclass
class History:
    """What a training run recorded, one entry per epoch (index 0 = before training)."""

    loss: List[float] = field(default_factory=list)
    accuracy: List[float] = field(default_factory=list)
    eta: List[float] = field(default_factory=list)
    seconds: List[float] = field(default_factory=list)
    updates: List[int] = field(default_factory=list)


def is_interactive() -> bool:
    """True inside a Jupyter kernel or a terminal, False in a build, a test or a pipe.

    A book build sets ``NNBOOK_QUIET=1``; progress bars are shown only when interactive.
    """
    import os

    if os.environ.get("NNBOOK_QUIET") == "1" or os.environ.get("CI"):
        return False
    try:
        from IPython import get_ipython

        ip = get_ipython()
        if ip is not None and "IPKernelApp" in ip.config:
            return True
    except Exception:  # noqa: BLE001 — no IPython or an odd one: not a kernel  # pragma: no cover
        pass
    return sys.stderr.isatty()


def _accuracy(net, X, T) -> float:
    Y = net.forward(X)
    T = np.asarray(T)
    if net.output == "softmax":
        labels = T if T.ndim == 1 else T.argmax(axis=1)
        return float(np.mean(Y.argmax(axis=1) == labels))
    if net.output == "sigmoid":
        return float(np.mean((Y > 0.5) == (T.reshape(Y.shape) > 0.5)))
    return float("nan")


def train(net, X, T, epochs: int, eta=0.1, batch_size: Optional[int] = None, l2: float = 0.0,
          reduction: str = "mean", shuffle: bool = True, seed: int = 0,
          progress: Optional[bool] = None, callback: Optional[Callable] = None) -> History:
    """Train ``net`` in place by gradient descent and record the loss per epoch.

    Parameters
    ----------
    net : nnbook.networks.MLP
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) or integer labels (N,)
    epochs : int
        Passes through the data.
    eta : float or callable epoch -> float
        Learning rate η, or a schedule such as :func:`piecewise_schedule`.
    batch_size : int or None
        None (or N): batch gradient descent, one update per epoch;
        1: stochastic gradient descent, N updates per epoch; else mini-batches.
    l2 : float
        λ of the weight-decay term ½λ‖W‖² (its derivative λW joins every update).
    reduction : {"mean", "sum"}
        Error of a (mini-)batch as the mean (the MNIST-lab lecture) or the sum (the Nankai lecture) over samples.
    shuffle : bool
        Visit the samples in a new random order each epoch (seeded, reproducible).
    progress : bool or None
        Show a tqdm bar; None shows it only when interactive.
    callback : callable(epoch, net, history) or None
        Called after every epoch (for example to record weights for a figure).

    Returns
    -------
    History
        ``loss[e]`` is the error on the whole (X, T) after e epochs (``loss[0]`` before
        training), computed with the same ``reduction`` and λ.
    """
    X = np.asarray(X)
    N = X.shape[0]
    B = N if batch_size is None else int(batch_size)
    if B < 1:
        raise ValueError("batch_size must be a positive integer or None")
    schedule = eta if callable(eta) else constant_schedule(eta)
    rng = np.random.default_rng(seed)
    hist = History()

    def record(epoch, eta_now, t0, updates):
        hist.loss.append(net.error(X, T, reduction=reduction, l2=l2))
        hist.accuracy.append(_accuracy(net, X, T))
        hist.eta.append(eta_now)
        hist.seconds.append(time.perf_counter() - t0)
        hist.updates.append(updates)

    t0 = time.perf_counter()
    record(0, float("nan"), t0, 0)
    show = is_interactive() if progress is None else progress
    bar = range(epochs)
    if show:
        from tqdm.auto import tqdm

        bar = tqdm(bar, desc="training", unit="epoch")
    updates = 0
    T_arr = np.asarray(T)
    # A too-large η makes the weights overflow; the loop notices (the loss is no longer
    # finite) and stops, so numpy's overflow warnings would only repeat what History says.
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        for epoch in bar:
            eta_now = schedule(epoch)
            order = rng.permutation(N) if shuffle else np.arange(N)
            for start in range(0, N, B):
                idx = order[start:start + B]
                _, grads = net.gradient(X[idx], T_arr[idx], reduction=reduction, l2=l2)
                sgd_step(net, grads, eta_now)
                updates += 1
            record(epoch + 1, eta_now, t0, updates)
            if show:
                bar.set_postfix(loss=f"{hist.loss[-1]:.4g}", acc=f"{hist.accuracy[-1]:.3f}")
            if callback is not None:
                callback(epoch, net, hist)
            if not np.isfinite(hist.loss[-1]):
                break                                         # diverged: η too large
    return hist
