"""The McCulloch–Pitts neuron (M-P 模型, 1943) as code (chapter 2).

The ECNU lecture (神经元数学模型): McCulloch and Pitts (麦克洛奇和皮兹) modelled a neuron as a
threshold unit. Its inputs x_i arrive through connections of weight w_i (positive:
excitatory (兴奋性), negative: inhibitory (抑制性)); the unit sums them and compares the
sum with a threshold θ (阈值). Like the biological cell, which is either excited
(兴奋, membrane potential above the threshold: a nerve impulse) or inhibited (抑制), the
unit has only two states:

    y = H( Σ_i w_i x_i − θ ),      H(a) = 1 if a ≥ 0 else 0   (the Heaviside step).

In the lectures' later notation the net input is a = Σ_i w_i x_i + b with bias b = −θ,
and the step H is the activation h — the one activation that backpropagation cannot
use, because H'(a) = 0 wherever it exists (chapters 2 and 3).

The original 1943 unit had binary inputs, excitatory synapses of equal weight, and
*absolute* inhibition: any active inhibitory input silences the cell
(:func:`mcculloch_pitts`). :class:`MPNeuron` is the general weighted form the lecture
draws.

Arrays are batch first: inputs ``X`` are (N, n) for N input patterns of n inputs.
"""

from __future__ import annotations

import itertools

import numpy as np

__all__ = ["heaviside", "MPNeuron", "mcculloch_pitts", "logic_gate", "truth_table",
           "search_threshold_unit", "GATES"]


def heaviside(a, at_zero: float = 1.0) -> np.ndarray:
    """The step activation of the M-P neuron: H(a) = 1 for a > 0, 0 for a < 0.

    Parameters
    ----------
    a : array_like
        Net inputs, any shape.
    at_zero : float
        H(0). The M-P unit fires when the input *reaches* the threshold, so 1 by default.

    Returns
    -------
    ndarray of the shape of ``a`` (float64, or the floating dtype of ``a``)
    """
    a = np.asarray(a)
    if not np.issubdtype(a.dtype, np.floating):
        a = a.astype(np.float64)
    return np.where(a > 0, 1.0, np.where(a < 0, 0.0, at_zero)).astype(a.dtype)


class MPNeuron:
    """A threshold unit y = H(Σ_i w_i x_i − θ) (the ECNU lecture, M-P model).

    Parameters
    ----------
    w : array_like, shape (n,)
        Connection weights; w_i > 0 excitatory, w_i < 0 inhibitory.
    theta : float
        The threshold θ; the bias of the later chapters is b = −θ.

    Examples
    --------
    >>> AND = MPNeuron([1, 1], theta=2)
    >>> AND([[0, 0], [0, 1], [1, 0], [1, 1]])
    array([0, 0, 0, 1])
    """

    def __init__(self, w, theta: float):
        self.w = np.array(w, dtype=np.float64, ndmin=1)
        if self.w.ndim != 1:
            raise ValueError(f"w must be a vector of n weights; got shape {self.w.shape}")
        self.theta = float(theta)

    @property
    def n(self) -> int:
        """Number of inputs."""
        return self.w.size

    @property
    def b(self) -> float:
        """The bias b = −θ of the net input a = Σ_i w_i x_i + b."""
        return -self.theta

    def __repr__(self):
        return f"MPNeuron(w={self.w.tolist()}, theta={self.theta:g})"

    def _X(self, X):
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 1:
            X = X[None, :]
        if X.ndim != 2 or X.shape[1] != self.n:
            raise ValueError(f"X must have shape (N, {self.n}); got {X.shape}")
        return X

    def net_input(self, X) -> np.ndarray:
        """a_n = Σ_i w_i x_ni − θ for every pattern; ``X`` (N, n) -> (N,)."""
        return self._X(X) @ self.w - self.theta

    def __call__(self, X) -> np.ndarray:
        """The unit's state y_n ∈ {0, 1} (1: excited, 0: inhibited); ``X`` (N, n) -> (N,) int."""
        return heaviside(self.net_input(X)).astype(np.int64)


def mcculloch_pitts(x_excitatory, x_inhibitory, theta: int) -> np.ndarray:
    """The original 1943 rule with absolute inhibition.

    The unit fires (y = 1) when no inhibitory input is active and at least ``theta``
    excitatory inputs are active.

    Parameters
    ----------
    x_excitatory : array_like of {0, 1}, shape (N, n_e)
    x_inhibitory : array_like of {0, 1}, shape (N, n_i) (n_i may be 0)
    theta : int
        Threshold: the number of active excitatory inputs needed.

    Returns
    -------
    ndarray of int, shape (N,)
    """
    E = np.atleast_2d(np.asarray(x_excitatory, dtype=np.int64))
    I = np.asarray(x_inhibitory, dtype=np.int64)
    I = I.reshape(E.shape[0], -1)
    return ((E.sum(axis=1) >= theta) & ~(I.any(axis=1))).astype(np.int64)


#: Boolean functions of two inputs as truth-table columns over (0,0), (0,1), (1,0), (1,1).
GATES = {
    "and": np.array([0, 0, 0, 1]),
    "or": np.array([0, 1, 1, 1]),
    "nand": np.array([1, 1, 1, 0]),
    "nor": np.array([1, 0, 0, 0]),
    "xor": np.array([0, 1, 1, 0]),
}


def logic_gate(name: str, n: int = 2) -> MPNeuron:
    """An M-P neuron computing a logic gate of ``n`` binary inputs.

    ``"and"``: all inputs on (w = 1, θ = n); ``"or"``: any input on (w = 1, θ = 1);
    ``"nand"``/``"nor"``: the negations (w = −1, θ = −n + 1 / θ = 0); ``"not"``: one
    inhibitory input (w = −1, θ = 0). XOR has no such unit (:func:`search_threshold_unit`).
    """
    name = name.lower()
    if name == "and":
        return MPNeuron(np.ones(n), theta=n)
    if name == "or":
        return MPNeuron(np.ones(n), theta=1)
    if name == "nand":
        return MPNeuron(-np.ones(n), theta=-n + 1)
    if name == "nor":
        return MPNeuron(-np.ones(n), theta=0)
    if name == "not":
        return MPNeuron([-1.0], theta=0)
    if name == "xor":
        raise ValueError("no single threshold unit computes XOR: it is not linearly separable")
    raise ValueError(f"unknown gate {name!r}; choose and, or, nand, nor, not")


def truth_table(n: int) -> np.ndarray:
    """All 2^n binary input patterns, in counting order; shape (2^n, n), int."""
    return np.array(list(itertools.product([0, 1], repeat=n)), dtype=np.int64).reshape(2 ** n, n)


def search_threshold_unit(X, t, values=range(-3, 4)):
    """Look for a threshold unit with small integer weights that computes the targets ``t``.

    Tries every weight vector and threshold with entries in ``values`` (exhaustive, so only
    for a few inputs).

    Parameters
    ----------
    X : array_like, shape (N, n)
    t : array_like of {0, 1}, shape (N,)
    values : iterable of numbers
        Candidate values of each w_i and of θ.

    Returns
    -------
    MPNeuron or None
        The first unit found, or None if no unit on this grid computes ``t``.
    """
    X = np.asarray(X, dtype=np.float64)
    t = np.asarray(t).astype(np.int64)
    values = list(values)
    n = X.shape[1]
    W = np.array(list(itertools.product(values, repeat=n)), dtype=np.float64)    # (C, n)
    A = X @ W.T                                                                    # (N, C)
    for theta in values:
        ok = np.all((A >= theta).astype(np.int64) == t[:, None], axis=0)
        if ok.any():
            return MPNeuron(W[np.argmax(ok)], theta)
    return None
