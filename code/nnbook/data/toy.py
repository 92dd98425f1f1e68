"""Small synthetic data sets the chapters use (chapters 4, 6, 8).

* :func:`toy_regression` — the four functions of the Nankai lecture's universal-approximation
  figure (PRML figure 5.3): x², sin, |x| and the Heaviside step H(x), 50 points on [−1, 1];
* :func:`two_moons`, :func:`concentric_circles`, :func:`xor`, :func:`spirals` — classification
  problems that no linear classifier solves (the Nankai, ECNU and DLSys lectures: why hidden units).

Every generator is deterministic for a given ``seed`` and returns batch-first arrays:
inputs ``X`` of shape (N, D) and targets ``t`` — (N, 1) floats for regression,
(N,) int64 class labels 0..k-1 for classification.
"""

from __future__ import annotations

import numpy as np

__all__ = ["REGRESSION_FUNCTIONS", "target_function", "toy_regression",
           "two_moons", "concentric_circles", "xor", "spirals"]


def _square(x):
    return x ** 2


def _sin(x):
    return np.sin(np.pi * x)


def _abs(x):
    return np.abs(x)


def _heaviside(x):
    return np.heaviside(x, 0.5)


#: name → f(x) for :func:`toy_regression`.
REGRESSION_FUNCTIONS = {"square": _square, "sin": _sin, "abs": _abs, "heaviside": _heaviside}


def target_function(name: str):
    """The function f(x) behind ``toy_regression(name)`` (for plotting the true curve).

    ``"square"``: x², ``"sin"``: sin(πx), ``"abs"``: |x|, ``"heaviside"``: H(x) (H(0) = ½).
    """
    try:
        return REGRESSION_FUNCTIONS[name]
    except KeyError:
        raise ValueError(f"name must be one of {list(REGRESSION_FUNCTIONS)}; got {name!r}") from None


def toy_regression(name: str = "square", N: int = 50, seed: int = 0, noise: float = 0.0,
                   sampling: str = "grid", dtype=np.float64):
    """N points of one of the four functions of the Nankai lecture's approximation figure.

    The Nankai lecture (after PRML figure 5.3) fits a two-layer network with 3 tanh hidden units
    to N = 50 points on [−1, 1] of f(x) = x², sin(x), |x| and the Heaviside step H(x).
    The slide writes sin(x), but on [−1, 1] plain sin x is nearly a straight line; the
    figure shows one full period over the interval, so here ``"sin"`` is **sin(πx)**.

    Parameters
    ----------
    name : {"square", "sin", "abs", "heaviside"}
        f(x) = x², sin(πx), |x|, H(x) (with H(0) = ½, H = 0 left of 0 and 1 right of it).
    N : int
        Number of points (50 in the lecture).
    seed : int
        Seeds the noise and the random sampling.
    noise : float
        Standard deviation of Gaussian noise added to the targets (0: exact values, as in the figure).
    sampling : {"grid", "uniform"}
        Evenly spaced points from −1 to 1, or N points drawn uniformly from [−1, 1] (sorted).
    dtype : float dtype

    Returns
    -------
    x : ndarray, shape (N, 1)
        Inputs, sorted increasingly.
    t : ndarray, shape (N, 1)
        Targets f(x) (+ noise).
    """
    f = target_function(name)
    rng = np.random.default_rng(seed)
    if sampling == "grid":
        x = np.linspace(-1.0, 1.0, N)
    elif sampling == "uniform":
        x = np.sort(rng.uniform(-1.0, 1.0, N))
    else:
        raise ValueError(f"sampling must be 'grid' or 'uniform'; got {sampling!r}")
    t = f(x)
    if noise:
        t = t + noise * rng.standard_normal(N)
    return x[:, None].astype(dtype), t[:, None].astype(dtype)


def _finish(X, t, rng, shuffle, dtype):
    if shuffle:
        p = rng.permutation(len(t))
        X, t = X[p], t[p]
    return X.astype(dtype), t.astype(np.int64)


def two_moons(N: int = 200, noise: float = 0.1, seed: int = 0, shuffle: bool = False, dtype=np.float64):
    """Two interleaving half circles, classes 0 (upper) and 1 (lower).

    Class 0: (cos θ, sin θ); class 1: (1 − cos θ, ½ − sin θ), θ uniform in [0, π],
    plus isotropic Gaussian noise of standard deviation ``noise``.

    Returns
    -------
    X : ndarray, shape (N, 2)
    t : ndarray of int64, shape (N,)
        ⌈N/2⌉ zeros then ⌊N/2⌋ ones (unless ``shuffle``).
    """
    rng = np.random.default_rng(seed)
    n0 = (N + 1) // 2
    theta = rng.uniform(0.0, np.pi, N)
    X = np.empty((N, 2))
    X[:n0, 0], X[:n0, 1] = np.cos(theta[:n0]), np.sin(theta[:n0])
    X[n0:, 0], X[n0:, 1] = 1.0 - np.cos(theta[n0:]), 0.5 - np.sin(theta[n0:])
    X += noise * rng.standard_normal((N, 2))
    t = (np.arange(N) >= n0).astype(np.int64)
    return _finish(X, t, rng, shuffle, dtype)


def concentric_circles(N: int = 200, k: int = 2, noise: float = 0.05, seed: int = 0,
                       shuffle: bool = False, dtype=np.float64):
    """k concentric rings with radii 1/k, 2/k, ..., 1; class c is the ring of radius (c+1)/k.

    Returns
    -------
    X : ndarray, shape (N, 2)
        Points r_c (cos φ, sin φ) + Gaussian noise, φ uniform in [0, 2π).
    t : ndarray of int64, shape (N,)
        Ring index 0..k-1 (the N points split as evenly as possible).
    """
    if k < 2:
        raise ValueError("k must be at least 2")
    rng = np.random.default_rng(seed)
    t = np.repeat(np.arange(k), [N // k + (c < N % k) for c in range(k)])
    phi = rng.uniform(0.0, 2 * np.pi, N)
    r = (t + 1) / k
    X = np.column_stack([r * np.cos(phi), r * np.sin(phi)]) + noise * rng.standard_normal((N, 2))
    return _finish(X, t, rng, shuffle, dtype)


def xor(N: int = 200, noise: float = 0.0, seed: int = 0, dtype=np.float64):
    """The XOR problem: x uniform in [−1, 1]², class 1 where x₁ and x₂ have opposite signs.

    Parameters
    ----------
    noise : float
        Standard deviation of Gaussian noise added to the inputs after labelling
        (so points near the axes may land in the other quadrant).

    Returns
    -------
    X : ndarray, shape (N, 2)
    t : ndarray of int64, shape (N,)
        t = [x₁ > 0] XOR [x₂ > 0].
    """
    rng = np.random.default_rng(seed)
    X = rng.uniform(-1.0, 1.0, (N, 2))
    t = ((X[:, 0] > 0) != (X[:, 1] > 0)).astype(np.int64)
    if noise:
        X = X + noise * rng.standard_normal((N, 2))
    return X.astype(dtype), t


def spirals(k: int = 3, N_per_class: int = 100, noise: float = 0.2, turns: float = 0.75, seed: int = 0,
            shuffle: bool = False, dtype=np.float64):
    """k interleaved spiral arms, one class per arm: no linear classifier separates them.

    Arm c has points r (cos θ, sin θ) with r running evenly from 0 to 1 and
    θ = 2πc/k + 2π·turns·r + noise·ε, ε ~ N(0, 1).

    Returns
    -------
    X : ndarray, shape (k · N_per_class, 2)
    t : ndarray of int64, shape (k · N_per_class,)
        N_per_class zeros, then ones, ..., then k−1 (unless ``shuffle``).
    """
    if k < 2:
        raise ValueError("k must be at least 2")
    rng = np.random.default_rng(seed)
    r = np.tile(np.linspace(0.0, 1.0, N_per_class), k)
    t = np.repeat(np.arange(k), N_per_class)
    theta = 2 * np.pi * t / k + 2 * np.pi * turns * r + noise * rng.standard_normal(k * N_per_class)
    X = np.column_stack([r * np.cos(theta), r * np.sin(theta)])
    return _finish(X, t, rng, shuffle, dtype)
