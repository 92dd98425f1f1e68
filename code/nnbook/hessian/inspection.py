"""Looking at a Hessian: how far from diagonal it is, and the error in a plane of two weights (chapter 16).

* :func:`offdiagonal_ratio` — Σ_{i≠j}|H_ij| / Σ_i|H_ii|, the Nankai lecture's "strongly non-diagonal";
* :func:`error_slice` — E on the plane w + s e_i + t e_j, to compare with the quadratic
  model ½ δwᵀ H δw.
"""

from __future__ import annotations

import numpy as np

__all__ = ["offdiagonal_ratio", "error_slice"]


def offdiagonal_ratio(H) -> float:
    """Σ_{i≠j} |H_ij| / Σ_i |H_ii|: 0 for a diagonal matrix, large for a "strongly non-diagonal" one.

    Parameters
    ----------
    H : ndarray, shape (W, W)

    Returns
    -------
    float
    """
    A = np.abs(np.asarray(H, dtype=np.float64))
    d = np.trace(A)
    return float((A.sum() - d) / d)


def error_slice(net, X, T, i, j, s, t, reduction="sum", l2=0.0):
    """E(w + s e_i + t e_j) on a grid: the error surface in the plane of two weights.

    Parameters
    ----------
    net : MLP (not modified)
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) (or integer labels (N,) for softmax)
    i, j : int
        Indices of the two weights in ``net.get_w()``.
    s, t : ndarray, shapes (P,) and (Q,)
        Offsets along e_i and e_j.
    reduction : {"sum", "mean"}
    l2 : float

    Returns
    -------
    ndarray, shape (Q, P): ``E[q, p]`` at offsets (s[p], t[q]) (rows follow t, as
    ``plt.contour(s, t, E)`` expects).
    """
    w0 = net.get_w()
    probe = net.copy()
    out = np.empty((len(t), len(s)))
    for q, tq in enumerate(t):
        for p, sp in enumerate(s):
            w = w0.copy()
            w[i] += sp
            w[j] += tq
            out[q, p] = probe.set_w(w).error(X, T, reduction, l2)
    return out
