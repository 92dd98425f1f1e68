"""Chapter 13: which layer of a backward pass is wrong, and which finite-difference step can tell?

The Nankai lecture (反向传播的效率) checks backpropagation by finite differences.
:func:`layer_gradient_check` compares ``net.gradient`` with central differences, one row
per parameter array (W1, b1, W2, ...), so a wrong layer stands out;
:func:`finite_difference_errors` measures the error of forward and central differences
against the step ε (truncation O(ε) or O(ε²), then round-off). The differences
themselves are :mod:`nnbook.gradcheck`'s.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List

import numpy as np

from ..gradcheck import central_difference, forward_difference, relative_error

__all__ = ["LayerCheck", "layer_gradient_check", "finite_difference_errors"]

@dataclass
class LayerCheck:
    """One row of :func:`layer_gradient_check`: a parameter array and how well backprop agrees."""

    name: str
    shape: tuple
    rel_error: float
    max_diff: float

    @property
    def ok(self) -> bool:
        """True when the relative error is at the level of round-off of a central difference."""
        return self.rel_error < 1e-5

    def __repr__(self):
        flag = "ok" if self.ok else "WRONG"
        return (f"{self.name:<7s} {str(self.shape):<10s} rel err {self.rel_error:.1e}  "
                f"max diff {self.max_diff:.1e}  {flag}")


def layer_gradient_check(net, X, T, reduction="sum", l2=0.0, eps=1e-5) -> List[LayerCheck]:
    """Check ``net.gradient`` against central differences, one parameter array at a time.

    The network's own ``gradient`` (so a subclass with a broken ``backward`` is checked as
    it is) is compared with (E(w + εe_i) − E(w − εe_i)) / 2ε for every parameter, and the
    relative error is reported per array W1, b1, W2, ... (the names of
    :meth:`nnbook.networks.MLP.parameter_names`): a wrong layer stands out.

    Parameters
    ----------
    net : MLP (or a subclass)
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) or labels (N,)
    reduction : {"sum", "mean"}
    l2 : float
    eps : float
        Step of the central difference (the Nankai lecture: error O(ε²)).

    Returns
    -------
    list of LayerCheck, in the order of ``net.parameters()``.
    """
    _, grads = net.gradient(X, T, reduction=reduction, l2=l2)
    rows = []
    for name, p, g in zip(net.parameter_names(), net.parameters(), grads.arrays()):
        saved = p.copy()

        def E_of(values, p=p):
            p[...] = values
            return net.error(X, T, reduction=reduction, l2=l2)
        try:
            numeric = central_difference(E_of, saved, eps)
        finally:
            p[...] = saved
        rows.append(LayerCheck(name, p.shape, relative_error(g, numeric),
                               float(np.max(np.abs(g - numeric))) if g.size else 0.0))
    return rows


def finite_difference_errors(net, X, T, index=0, eps_values=None, reduction="sum"):
    """Errors of the forward and central differences for one derivative ∂E/∂w_i (chapter 13).

    The derivative of the error with respect to parameter ``index`` (of ``net.get_w()``) by

        forward  (E(w + εe_i) − E(w)) / ε              truncation error O(ε)
        central  (E(w + εe_i) − E(w − εe_i)) / (2ε)    truncation error O(ε²)

    for every ε, compared with backpropagation. For small ε round-off takes over: E is
    known only to about ε_mach |E|, and dividing by ε magnifies that to ε_mach |E| / ε.

    Parameters
    ----------
    net : MLP
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) or labels (N,)
    index : int
        Which parameter w_i.
    eps_values : array_like, optional
        Steps ε (default 10^-14 .. 10^-1, four per decade).
    reduction : {"sum", "mean"}

    Returns
    -------
    eps : ndarray, shape (M,)
    forward_error, central_error : ndarray, shape (M,)
        |numerical − backprop| / |backprop|.
    exact : float
        ∂E/∂w_i by backpropagation.
    """
    eps = np.logspace(-14, -1, 53) if eps_values is None else np.asarray(eps_values, dtype=float)
    w = net.get_w().astype(np.float64)
    exact = float(net.gradient(X, T, reduction=reduction)[1].vector()[index])

    def E_of_wi(wi):                                   # E as a function of the one parameter w_i
        v = w.copy()
        v[index] = wi[0]
        return net.error_of_w(v, X, T, reduction=reduction)

    wi = w[index:index + 1]
    fwd = [forward_difference(E_of_wi, wi, e)[0] for e in eps]
    cen = [central_difference(E_of_wi, wi, e)[0] for e in eps]
    scale = max(abs(exact), np.finfo(float).tiny)
    return eps, np.abs(np.array(fwd) - exact) / scale, np.abs(np.array(cen) - exact) / scale, exact
