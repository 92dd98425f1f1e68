"""The outer-product (Levenberg–Marquardt, Gauss–Newton) approximation of the Hessian (chapter 16).

The Nankai lecture (外积近似): for the sum-of-squares error E = ½ Σ_n (y_n − t_n)²,

    H = ∇∇E = Σ_n ∇y_n ∇y_nᵀ + Σ_n (y_n − t_n) ∇∇y_n,

and dropping the second sum, which is small when the residuals y_n − t_n are small (a
well-trained network) and vanishes when they are zero,

    H ≈ Σ_n b_n b_nᵀ,        b_n = ∇y_n  (= ∇a_n for linear outputs).

It needs first derivatives only: one backprop per output unit and sample. With several
outputs the sum runs over n and k. For logistic-sigmoid outputs with cross-entropy it
becomes Σ_n y_n(1 − y_n) b_n b_nᵀ with b_n = ∇a_n, and for softmax outputs with
cross-entropy ("a similar result", the lecture says)

    H ≈ Σ_n B_nᵀ (diag(y_n) − y_n y_nᵀ) B_n,      B_n = ∇_w a_n, shape (K, W).

All three are Σ_n B_nᵀ M_n B_n with M_kk' = ∂²E_n/∂a_k∂a_k' = ∂y_k/∂a_k', which for the
canonical pairs does not depend on the targets; the exact Hessian adds
Σ_n Σ_k (y_nk − t_nk) ∇∇a_nk, so again the approximation is exact at zero residuals.
Sum of squares with sigmoid or softmax outputs uses b_nk = ∇y_nk, the lecture's own form.
"""

from __future__ import annotations

import numpy as np

from ..jacobian import jacobian_backward_layer, output_unit_jacobian
from .layout import _add_l2, _require_no_prelu, _scale

__all__ = ["output_gradients", "outer_product_factors", "outer_product_sum", "hessian_outer_product"]


def output_gradients(net, X, wrt="a"):
    """Per-sample gradients of each output with respect to all weights: b_nk = ∇_w a_nk (or ∇_w y_nk).

    One backward pass per output unit k, started at ∂a_k/∂a_l = δ_kl and carried down by
    the Jacobian recursion; the weight derivative is (∂a_k/∂a_j) z_i, as in ∂E_n/∂w_ji = δ_j z_i.

    Parameters
    ----------
    net : MLP (no PReLU slopes)
    X : ndarray, shape (N, D)
    wrt : {"a", "y"}
        Gradients of the output net inputs a_nk (the lecture's b_n = ∇a_n) or of the
        outputs y_nk = σ(a_nk) (b_n = ∇y_n).

    Returns
    -------
    ndarray, shape (N, K, n_params), in the layout of ``net.get_w()``.
    """
    _require_no_prelu(net, "output_gradients")
    X = net._check_X(X)
    cache = net.forward(X, keep=True)
    N, K = cache.y.shape
    G = np.broadcast_to(np.eye(K, dtype=net.dtype), (N, K, K))       # ∂a_k/∂a_l^(L) = δ_kl
    G_out = G
    out = [None] * (2 * net.L)
    for l in range(net.L, 0, -1):
        Z = cache.z[l - 1]
        out[2 * l - 2] = (G[:, :, :, None] * Z[:, None, None, :]).reshape(N, K, -1)   # (∂a_k/∂a_j) z_i
        out[2 * l - 1] = G
        if l > 1:
            G = jacobian_backward_layer(G, net.W[l - 1], net.h[l - 2].dh(cache.a[l - 2]))
    if net.skip:
        out.append((G_out[:, :, :, None] * X[:, None, None, :]).reshape(N, K, -1))
    B = np.concatenate([o.reshape(N, K, -1) for o in out], axis=2)
    if wrt == "a":
        return B
    if wrt == "y":
        return output_unit_jacobian(net.output, cache.a[-1], cache.y) @ B
    raise ValueError(f"wrt must be 'a' or 'y'; got {wrt!r}")


def _curvature(net, method):
    """Which vectors and weights M the approximation uses for this output/error pair."""
    pair = (net.output, net.loss_name)
    if net.loss_name == "sse":
        return "y"                                  # Σ_n Σ_k ∇y_nk ∇y_nkᵀ
    if pair in (("sigmoid", "bce"), ("softmax", "ce")):
        return "a"                                  # Σ_n B_nᵀ M_n B_n
    raise NotImplementedError(
        f"{method} has forms for sum of squares (any outputs), sigmoid + cross-entropy and "
        f"softmax + cross-entropy; this network pairs {net.output} outputs with "
        f"{net.loss_name!r}.")


def outer_product_factors(net, X, reduction="sum"):
    """Vectors r_m whose outer products sum to the approximation: H ≈ Σ_m r_m r_mᵀ.

    Sum of squares: the N·K vectors ∇y_nk. Sigmoid + cross-entropy: √(y_nk(1 − y_nk)) ∇a_nk.
    Softmax + cross-entropy: √λ_m B_nᵀ u_m for the eigenpairs (λ_m, u_m) of
    diag(y_n) − y_n y_nᵀ (one of the K is λ = 0: the softmax is unchanged by adding a
    constant to every a_k). These are the rank-one updates the Woodbury sequence absorbs.

    Parameters
    ----------
    net : MLP
    X : ndarray, shape (N, D)
    reduction : {"sum", "mean"}
        For the mean every vector is scaled by 1/√N.

    Returns
    -------
    ndarray, shape (N·K, n_params), sample by sample (sample n's rows are n·K .. n·K + K − 1).
    """
    kind = _curvature(net, "outer_product_factors")
    X = net._check_X(X)
    N = X.shape[0]
    B = output_gradients(net, X, wrt=kind)                          # (N, K, W)
    if net.loss_name == "sse":
        R = B
    elif net.output == "sigmoid":
        Y = net.forward(X)
        R = np.sqrt(Y * (1 - Y))[:, :, None] * B
    else:
        cache = net.forward(X, keep=True)
        lam, U = np.linalg.eigh(output_unit_jacobian("softmax", cache.a[-1], cache.y))
        R = np.sqrt(np.clip(lam, 0, None))[:, :, None] * np.swapaxes(U, 1, 2) @ B
    return (R * np.sqrt(_scale(reduction, N))).reshape(-1, B.shape[2])


def outer_product_sum(B, M=None):
    """Σ_n B_nᵀ M_n B_n: the outer-product Hessian from the output gradients (the Nankai lecture).

    With ``M`` omitted it is Σ_n Σ_k b_nk b_nkᵀ (sum of squares, b_nk = ∇y_nk); with
    M_n = diag(y_n(1 − y_n)) the sigmoid + cross-entropy form Σ_n y_n(1 − y_n) b_n b_nᵀ; with
    M_n = diag(y_n) − y_n y_nᵀ the softmax + cross-entropy form.

    Parameters
    ----------
    B : ndarray, shape (N, K, W)
        B_n = ∇_w a_n (or ∇_w y_n): row k is the gradient of output k of sample n.
    M : ndarray, shape (N, K, K), optional
        M_n = ∂²E_n/∂a_n∂a_nᵀ of each sample.

    Returns
    -------
    ndarray, shape (W, W)
    """
    B = np.asarray(B)
    if M is None:
        return np.einsum("nkv,nkw->vw", B, B)
    return np.einsum("nkv,nkl,nlw->vw", B, np.asarray(M), B, optimize=True)


def hessian_outer_product(net, X, T=None, reduction="sum", l2=0.0):
    """The outer-product (Levenberg–Marquardt) approximation of the Hessian, chosen by output/error.

    ============================  ==========================================
    identity + sum of squares     Σ_n Σ_k b_nk b_nkᵀ,  b_nk = ∇a_nk = ∇y_nk
    sigmoid/softmax + sum of sq.  Σ_n Σ_k ∇y_nk ∇y_nkᵀ
    sigmoid + cross-entropy       Σ_n Σ_k y_nk(1 − y_nk) b_nk b_nkᵀ
    softmax + cross-entropy       Σ_n B_nᵀ (diag(y_n) − y_n y_nᵀ) B_n
    ============================  ==========================================

    Parameters
    ----------
    net : MLP (no PReLU slopes)
    X : ndarray, shape (N, D)
    T : ignored
        Accepted for a uniform signature: the approximation uses no targets (that is its
        point: only first derivatives of the outputs).
    reduction : {"sum", "mean"}
    l2 : float
        λ of ½λ‖W‖², added exactly (its Hessian is λ on the weights' diagonal).

    Returns
    -------
    ndarray, shape (n_params, n_params): symmetric and positive semi-definite.
    """
    kind = _curvature(net, "hessian_outer_product")
    X = net._check_X(X)
    B = output_gradients(net, X, wrt=kind)
    if kind == "y":
        H = outer_product_sum(B)
    else:
        cache = net.forward(X, keep=True)
        H = outer_product_sum(B, output_unit_jacobian(net.output, cache.a[-1], cache.y))
    H = (0.5 * (H + H.T) * _scale(reduction, X.shape[0])).astype(net.dtype, copy=False)
    return _add_l2(net, H, l2)
