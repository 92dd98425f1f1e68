"""The Hessian by finite differences: the slow, simple references (chapter 16).

The Nankai lecture (有限差分) gives two schemes, both with error O(ε²):

* perturb every *pair* of weights and difference the error itself,

      ∂²E/∂w_ji∂w_lk ≈ [E(w_ji+ε, w_lk+ε) − E(w_ji+ε, w_lk−ε)
                        − E(w_ji−ε, w_lk+ε) + E(w_ji−ε, w_lk−ε)] / 4ε²,

  four error evaluations per entry, W² entries, O(W) each: O(W³);

* difference the backpropagated gradient (O(W) per evaluation) in one weight at a time,

      ∂²E/∂w_ji∂w_lk ≈ [∂E/∂w_lk (w_ji + ε) − ∂E/∂w_lk (w_ji − ε)] / 2ε,

  two backprop passes per column, W columns: O(W²).

(The lecture writes the perturbed weight of the second formula as w_lk; it is the
*other* weight, w_ji, that is perturbed while ∂E/∂w_lk is read off.)

Both work for every network, any output/error pair and the PReLU slopes included, because
they only need ``net.error_of_w`` and ``net.gradient_of_w``. In float64 the best steps are
about (machine ε)^(1/4) ≈ 1e-4 for the error form and (machine ε)^(1/3) ≈ 6e-6 for the
gradient form, leaving errors of roughly 1e-8 and 1e-10 relative to the entries.
"""

from __future__ import annotations

import numpy as np

__all__ = ["hessian_fd_gradient", "hessian_fd_error", "central_difference_hessian"]


def _default_eps(net, power):
    return float(np.finfo(net.dtype).eps) ** power


def hessian_fd_gradient(net, X, T, eps=None, reduction="sum", l2=0.0, symmetrize=False):
    """The Hessian by central differences of the backprop gradient, O(W²) (the Nankai lecture).

    Column i is  [∇E(w + ε e_i) − ∇E(w − ε e_i)] / 2ε.

    Parameters
    ----------
    net : MLP
        Any network (every output/error pair, PReLU slopes included).
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) (or integer labels (N,) for softmax)
    eps : float, optional
        Step; default (machine ε)^(1/3) of the network's dtype.
    reduction : {"sum", "mean"}
        E = Σ_n E_n (the Nankai lecture) or the mean.
    l2 : float
        λ of ½λ‖W‖².
    symmetrize : bool
        Return ½(H + Hᵀ). Off by default, so that the asymmetry (a measure of the
        finite-difference error) stays visible.

    Returns
    -------
    ndarray, shape (n_params, n_params)
    """
    eps = _default_eps(net, 1 / 3) if eps is None else eps
    H = central_difference_hessian(lambda wv: net.gradient_of_w(wv, X, T, reduction, l2),
                                   net.get_w(), eps).astype(net.dtype, copy=False)
    return 0.5 * (H + H.T) if symmetrize else H


def central_difference_hessian(grad, w, eps):
    """Second derivatives from any gradient function: column i is [g(w + εe_i) − g(w − εe_i)] / 2ε.

    The lecture's ∂²E/∂w_ji∂w_lk = {∂E/∂w_lk(w_ji + ε) − ∂E/∂w_lk(w_ji − ε)} / 2ε: the weight
    w_ji moves, the derivative by w_lk is read off. Entry [l, i] is ∂g_l/∂w_i; since H is
    symmetric that is ∂²E/∂w_i∂w_l, up to the O(ε²) error of the difference.

    Parameters
    ----------
    grad : callable
        ``grad(w) -> ndarray (W,)``, e.g. backpropagation at the weights w.
    w : ndarray, shape (W,)
        Where to differentiate (not modified).
    eps : float
        The step ε.

    Returns
    -------
    ndarray, shape (W, W)
    """
    w = np.asarray(w)
    if w.dtype.kind != "f":
        w = w.astype(np.float64)
    n = w.size
    H = np.empty((n, n), dtype=w.dtype)
    for i in range(n):
        wp, wm = w.copy(), w.copy()
        wp[i] += eps
        wm[i] -= eps
        H[:, i] = (np.asarray(grad(wp)) - np.asarray(grad(wm))) / (2 * eps)
    return H


def hessian_fd_error(net, X, T, eps=None, reduction="sum", l2=0.0):
    """The Hessian by second differences of the error alone, O(W³): small networks only.

    Off-diagonal entries use the lecture's four evaluations
    [E(+ε,+ε) − E(+ε,−ε) − E(−ε,+ε) + E(−ε,−ε)] / 4ε²; the diagonal uses
    [E(w_i + ε) − 2E(w) + E(w_i − ε)] / ε² (the four-point formula with both weights
    equal would step by 2ε). Only the upper triangle is evaluated; the result is symmetric.

    Parameters
    ----------
    net : MLP
        Any network (every output/error pair, PReLU slopes included).
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) (or integer labels (N,) for softmax)
    eps : float, optional
        Step; default (machine ε)^(1/4) of the network's dtype (≈ 1.2e-4 in float64).
    reduction : {"sum", "mean"}
    l2 : float

    Returns
    -------
    ndarray, shape (n_params, n_params)
    """
    eps = _default_eps(net, 1 / 4) if eps is None else eps
    w = net.get_w()
    n = w.size
    cached = net.copy()

    def E(wv):
        return cached.set_w(wv).error(X, T, reduction, l2)

    H = np.empty((n, n), dtype=net.dtype)
    E0 = E(w)
    for i in range(n):
        wi = w.copy()
        wi[i] += eps
        Ep = E(wi)
        wi[i] -= 2 * eps
        Em = E(wi)
        H[i, i] = (Ep - 2 * E0 + Em) / eps ** 2
        for j in range(i + 1, n):
            terms = []
            for si, sj in ((1, 1), (1, -1), (-1, 1), (-1, -1)):
                wij = w.copy()
                wij[i] += si * eps
                wij[j] += sj * eps
                terms.append(E(wij))
            H[i, j] = H[j, i] = (terms[0] - terms[1] - terms[2] + terms[3]) / (4 * eps ** 2)
    return H
