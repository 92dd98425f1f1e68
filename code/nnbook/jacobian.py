"""The Jacobian J_ki = ∂y_k/∂x_i of a network's outputs with respect to its inputs (chapter 15).

The Nankai lecture (Jacobian矩阵): backpropagation computes more than ∂E/∂w. Holding every
other input fixed, the derivative of output k with respect to input i is

    J_ki = ∂y_k/∂x_i = Σ_j w_ji ∂y_k/∂a_j                   (j: the units fed by input i)

with the backward recursion over the hidden units

    ∂y_k/∂a_j = h'(a_j) Σ_l w_lj ∂y_k/∂a_l                   (l: the units fed by unit j)

started at the output units by ∂y_k/∂a_l:

    identity  δ_kl,      logistic sigmoid  δ_kl σ'(a_l),      softmax  δ_kl y_k − y_k y_l.

In batch form (rows are samples, ``G^(l)[n, k, j] = ∂y_nk/∂a_nj^(l)``)

    G^(L) = ∂y/∂a^(L),     G^(l) = (G^(l+1) W^(l+1)) ⊙ h'(A^(l)),     J = G^(1) W^(1) (+ G^(L) W_skip)

which is one backward pass carrying K rows at once. The same derivatives can be pushed
*forward* from the inputs (D columns at once): summing over the first index of w_ji goes
backward, over the second index forward (the Nankai lecture). Both are here, and a
central-difference Jacobian checks them.

The Jacobian gives the first-order effect of small input errors:  Δy ≈ J Δx.
"""

from __future__ import annotations

import numpy as np

from . import activations as _act
from .gradcheck import numerical_jacobian

__all__ = ["output_unit_jacobian", "jacobian_backward_layer", "jacobian", "jacobian_fd"]


def output_unit_jacobian(output, A, Y=None):
    """∂y_k/∂a_l of the output units: where the Jacobian recursion starts (the Nankai lecture).

    Parameters
    ----------
    output : {"identity", "sigmoid", "softmax"} or an MLP
        The output activation (or a network, whose ``output`` is used).
    A : ndarray, shape (N, K)
        Net inputs a^(L) of the output units.
    Y : ndarray, shape (N, K), optional
        The outputs y = σ(a); computed from ``A`` when omitted.

    Returns
    -------
    ndarray, shape (N, K, K)
        ``G[n, k, l] = ∂y_nk/∂a_nl``: δ_kl (identity), δ_kl σ'(a_l) (sigmoid),
        δ_kl y_k − y_k y_l (softmax). For the canonical output/error pairs this is also
        M_kk' = ∂²E_n/∂a_k∂a_k', since δ_k = y_k − t_k (chapter 16).
    """
    output = getattr(output, "output", output)
    A = np.asarray(A)
    N, K = A.shape
    if output == "identity":
        return np.broadcast_to(np.eye(K, dtype=A.dtype), (N, K, K)).copy()
    if output == "sigmoid":
        Y = _act.sigmoid().h(A) if Y is None else Y
        return Y[:, :, None] * (1 - Y)[:, :, None] * np.eye(K, dtype=A.dtype)
    if output == "softmax":
        if Y is None:
            E = np.exp(A - A.max(axis=1, keepdims=True))
            Y = E / E.sum(axis=1, keepdims=True)
        return Y[:, :, None] * np.eye(K, dtype=A.dtype) - Y[:, :, None] * Y[:, None, :]
    raise ValueError(f"output must be 'identity', 'sigmoid' or 'softmax'; got {output!r}")


def jacobian_backward_layer(G_next, W_next, h_prime):
    """One step of the Jacobian recursion ∂y_k/∂a_j = h'(a_j) Σ_l w_lj ∂y_k/∂a_l (the Nankai lecture).

    Parameters
    ----------
    G_next : ndarray, shape (N, K, n_{l+1})
        ∂y_k/∂a_l for the units l of layer l+1.
    W_next : ndarray, shape (n_{l+1}, n_l)
        W^(l+1), element w_lj from unit j of layer l to unit l of layer l+1.
    h_prime : ndarray, shape (N, n_l)
        h'(a_j) of layer l.

    Returns
    -------
    ndarray, shape (N, K, n_l): ∂y_k/∂a_j.
    """
    return (G_next @ W_next) * h_prime[:, None, :]


def jacobian(net, X, mode="reverse"):
    """The Jacobian J_nki = ∂y_nk/∂x_ni of an MLP for every sample, by backpropagation.

    Works for any depth, any hidden activation (only h' is needed), the three output
    activations, and skip-layer connections (which add G^(L) W_skip).

    Parameters
    ----------
    net : nnbook.networks.MLP
    X : ndarray, shape (N, D)
    mode : {"reverse", "forward"}
        ``"reverse"`` runs the lecture's backward recursion from the K outputs
        (cost ∝ K per sample); ``"forward"`` pushes ∂a/∂x forward from the D inputs
        (cost ∝ D per sample). Same result.

    Returns
    -------
    ndarray, shape (N, K, D), dtype of the network.

    Examples
    --------
    >>> from nnbook.networks import MLP
    >>> net = MLP([3, 4, 2], hidden="tanh", output="softmax")
    >>> jacobian(net, np.zeros((5, 3))).shape
    (5, 2, 3)
    """
    cache = net.forward(X, keep=True)
    L = net.L
    if mode == "reverse":
        G = output_unit_jacobian(net.output, cache.a[-1], cache.y)       # ∂y/∂a^(L)
        G_out = G
        for l in range(L - 1, 0, -1):                                    # hidden layers L-1..1
            G = jacobian_backward_layer(G, net.W[l], net.h[l - 1].dh(cache.a[l - 1]))
        J = G @ net.W[0]                                                 # Σ_j w_ji ∂y_k/∂a_j
        if net.skip:
            J = J + G_out @ net.W_skip
        return J
    if mode == "forward":
        N = cache.y.shape[0]
        dA = np.broadcast_to(net.W[0], (N,) + net.W[0].shape)            # ∂a^(1)/∂x, (N, n_1, D)
        for l in range(1, L):
            dZ = net.h[l - 1].dh(cache.a[l - 1])[:, :, None] * dA        # ∂z^(l)/∂x
            dA = net.W[l] @ dZ                                           # ∂a^(l+1)/∂x
        if net.skip:
            dA = dA + net.W_skip
        return output_unit_jacobian(net.output, cache.a[-1], cache.y) @ dA
    raise ValueError(f"mode must be 'reverse' or 'forward'; got {mode!r}")


def jacobian_fd(net, X, eps=None):
    """The Jacobian by central differences: J_nki ≈ [y_nk(x_n + ε e_i) − y_nk(x_n − ε e_i)] / 2ε.

    Samples do not interact, so each input i is perturbed in all rows at once:
    2D forward passes in all (:func:`nnbook.gradcheck.numerical_jacobian` of the step d
    added to every row). Error O(ε²) plus round-off O(machine ε / ε).

    Parameters
    ----------
    net : nnbook.networks.MLP
    X : ndarray, shape (N, D)
    eps : float, optional
        Step; default (machine ε)^(1/3) of the network's dtype (≈ 6e-6 in float64,
        ≈ 5e-3 in float32), which balances the two errors.

    Returns
    -------
    ndarray, shape (N, K, D)
    """
    X = net._check_X(X)
    eps = float(np.finfo(net.dtype).eps) ** (1 / 3) if eps is None else eps
    N, D = X.shape
    J = numerical_jacobian(lambda d: net.forward(X + d), np.zeros(D), eps, dtype=X.dtype)   # (N K, D)
    return J.reshape(N, -1, D)
