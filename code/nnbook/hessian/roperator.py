"""Fast multiplication by the Hessian: the R{·} operator (Pearlmutter 1994; chapter 16).

The Nankai lecture (Hessian矩阵的快速乘法): vᵀH = vᵀ∇(∇E), so apply the directional derivative
R{·} = vᵀ∇ to every equation of the forward and backward passes, with R{w} = v. For a
two-layer network with linear outputs and sum-of-squares error:

forward R-pass                                   backward R-pass
    R{a_j} = Σ_i v_ji x_i                            R{δ_k} = R{y_k}
    R{z_j} = h'(a_j) R{a_j}                          R{δ_j} = h''(a_j) R{a_j} Σ_k w_kj δ_k
    R{y_k} = Σ_j w_kj R{z_j} + Σ_j v_kj z_j                   + h'(a_j) Σ_k v_kj δ_k
                                                              + h'(a_j) Σ_k w_kj R{δ_k}
and the products
    R{∂E/∂w_kj} = R{δ_k} z_j + δ_k R{z_j}    (1)        R{∂E/∂w_ji} = x_i R{δ_j}    (2)

(The lecture's forward equation y_k = Σ_j w_kj x_j should read Σ_j w_kj z_j.)

This module generalises the recursion, in batch form, to

* any depth: every layer l has R{A^(l)} = R{Z^(l-1)} W^(l)ᵀ + Z^(l-1) V^(l)ᵀ + c^(l) and the
  general product R{∂E/∂W^(l)} = R{δ^(l)}ᵀ Z^(l-1) + δ^(l)ᵀ R{Z^(l-1)}, of which (1) and (2)
  are the cases l = 2 and l = 1 (R{Z^(0)} = R{X} = 0);
* biases: a bias is a weight from a unit with value 1, whose R{·} is 0, so
  R{∂E/∂b^(l)} = Σ_n R{δ_n^(l)} and R{A^(l)} gains the bias direction c^(l);
* skip-layer connections: R{A^(L)} gains X V_skipᵀ and R{∂E/∂W_skip} = R{δ^(L)}ᵀ X;
* the three canonical output/error pairs: δ_k = y_k − t_k in each, so
  R{δ_k} = R{y_k} = Σ_k' (∂y_k/∂a_k') R{a_k'} = (M R{a})_k — R{a_k} for identity outputs,
  y_k(1 − y_k) R{a_k} for sigmoid, y_k (R{a_k} − Σ_k' y_k' R{a_k'}) for softmax.

One product costs about one forward and one backward pass, O(W) per sample; the whole
Hessian follows from the W unit vectors v = e_i (one column each), O(W²).
"""

from __future__ import annotations

import numpy as np

from .layout import _add_l2, _require_canonical, _require_d2h, _require_no_prelu, _scale, unflatten, weight_mask

__all__ = ["r_forward_layer", "r_hidden_output", "r_output_delta", "r_backward_layer",
           "r_weight_gradients", "hessian_vector_product", "hessian_r_operator"]


# --- the single steps (each one line of the lecture) ----------------------------------------

def r_forward_layer(Z_prev, RZ_prev, W, V, c=None):
    """R{a_j} = Σ_i w_ji R{z_i} + Σ_i v_ji z_i (+ c_j), one layer of the forward R-pass.

    Parameters
    ----------
    Z_prev, RZ_prev : ndarray, shape (N, n_{l-1})
        Z^(l-1) and R{Z^(l-1)} (zeros for the inputs, R{x} = 0).
    W, V : ndarray, shape (n_l, n_{l-1})
        The weights W^(l) and their direction V^(l) (the part of v that belongs to W^(l)).
    c : ndarray, shape (n_l,), optional
        The direction of the biases b^(l).

    Returns
    -------
    ndarray, shape (N, n_l): R{A^(l)}. For the first layer (R{x} = 0) this is the
    lecture's R{a_j} = Σ_i v_ji x_i.
    """
    RA = RZ_prev @ W.T + Z_prev @ V.T
    return RA if c is None else RA + c


def r_hidden_output(A, RA, act):
    """R{z_j} = h'(a_j) R{a_j}.

    Parameters
    ----------
    A, RA : ndarray, shape (N, n_l)
    act : Activation (needs ``dh``)

    Returns
    -------
    ndarray, shape (N, n_l)
    """
    return act.dh(A) * RA


def r_output_delta(output, A, Y, RA):
    """R{δ_k} = R{y_k} for the canonical pairs (δ_k = y_k − t_k): R{y} = (∂y/∂a) R{a}.

    Parameters
    ----------
    output : {"identity", "sigmoid", "softmax"}
    A, Y, RA : ndarray, shape (N, K)
        a^(L), y and R{a^(L)}.

    Returns
    -------
    ndarray, shape (N, K): R{a_k}, y_k(1 − y_k) R{a_k}, or y_k (R{a_k} − Σ_k' y_k' R{a_k'}).
    """
    if output == "identity":
        return RA
    if output == "sigmoid":
        return Y * (1 - Y) * RA
    if output == "softmax":
        return Y * (RA - np.sum(Y * RA, axis=1, keepdims=True))
    raise ValueError(f"output must be 'identity', 'sigmoid' or 'softmax'; got {output!r}")


def r_backward_layer(A, RA, delta_next, Rdelta_next, W_next, V_next, act):
    """R{δ_j} = h''(a_j) R{a_j} Σ_k w_kj δ_k + h'(a_j) Σ_k v_kj δ_k + h'(a_j) Σ_k w_kj R{δ_k}.

    Parameters
    ----------
    A, RA : ndarray, shape (N, n_l)
        A^(l) and R{A^(l)} of the hidden layer.
    delta_next, Rdelta_next : ndarray, shape (N, n_{l+1})
        δ^(l+1) and R{δ^(l+1)} (per sample).
    W_next, V_next : ndarray, shape (n_{l+1}, n_l)
        W^(l+1) and its direction V^(l+1).
    act : Activation (needs ``dh`` and ``d2h``)

    Returns
    -------
    ndarray, shape (N, n_l): R{δ^(l)}.
    """
    return (act.d2h(A) * RA * (delta_next @ W_next)
            + act.dh(A) * (delta_next @ V_next + Rdelta_next @ W_next))


def r_weight_gradients(delta, Rdelta, Z_prev, RZ_prev):
    """R{∂E/∂w_ji} = R{δ_j} z_i + δ_j R{z_i} summed over the batch, and R{∂E/∂b_j} = Σ_n R{δ_j}.

    Parameters
    ----------
    delta, Rdelta : ndarray, shape (N, n_l)
    Z_prev, RZ_prev : ndarray, shape (N, n_{l-1})

    Returns
    -------
    RdW : ndarray, shape (n_l, n_{l-1})
    Rdb : ndarray, shape (n_l,)
    """
    return Rdelta.T @ Z_prev + delta.T @ RZ_prev, Rdelta.sum(axis=0)


# --- the whole product -------------------------------------------------------------------------

def _check(net, method):
    _require_canonical(net, method)
    _require_no_prelu(net, method)
    _require_d2h(net, method)


def _hvp(net, cache, deltas, X, v):
    """vᵀH of Σ_n E_n from a forward cache and per-sample deltas (no checks, no scaling)."""
    L = net.L
    V, c, V_skip = unflatten(net, v)
    # forward R-pass
    RZ, RA = [np.zeros_like(cache.z[0])], []
    for l in range(1, L + 1):
        R = r_forward_layer(cache.z[l - 1], RZ[l - 1], net.W[l - 1], V[l - 1], c[l - 1])
        if l == L and net.skip:
            R = R + X @ V_skip.T
        RA.append(R)
        if l < L:
            RZ.append(r_hidden_output(cache.a[l - 1], R, net.h[l - 1]))
    # backward R-pass
    Rdelta = r_output_delta(net.output, cache.a[-1], cache.y, RA[-1])
    Rdelta_out = Rdelta
    out = [None] * (2 * L)
    for l in range(L, 0, -1):
        out[2 * l - 2], out[2 * l - 1] = r_weight_gradients(deltas[l - 1], Rdelta, cache.z[l - 1], RZ[l - 1])
        if l > 1:
            Rdelta = r_backward_layer(cache.a[l - 2], RA[l - 2], deltas[l - 1], Rdelta,
                                      net.W[l - 1], V[l - 1], net.h[l - 2])
    if net.skip:
        out.append(Rdelta_out.T @ X)
    return np.concatenate([o.ravel() for o in out])


def hessian_vector_product(net, X, T, v, reduction="sum", l2=0.0):
    """The product vᵀH (= Hv, H is symmetric) by one forward and one backward R-pass.

    Parameters
    ----------
    net : MLP
        Any depth, hidden activations with ``d2h``, skip connections allowed; a canonical
        output/error pair (identity+sse, sigmoid+bce, softmax+ce); no PReLU slopes.
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) (or integer labels (N,) for softmax)
    v : ndarray, shape (n_params,)
        A direction in weight space, in the layout of ``net.get_w()``.
    reduction : {"sum", "mean"}
        E = Σ_n E_n (the Nankai lecture) or the mean.
    l2 : float
        λ of ½λ‖W‖², which adds λ v on the weight entries.

    Returns
    -------
    ndarray, shape (n_params,)
    """
    _check(net, "hessian_vector_product")
    X = net._check_X(X)
    cache = net.forward(X, keep=True)
    deltas = net.backward(cache, T).deltas                 # per sample, unscaled
    v = np.asarray(v, dtype=net.dtype)
    Hv = _hvp(net, cache, deltas, X, v) * _scale(reduction, X.shape[0])
    if l2:
        Hv = Hv + l2 * np.where(weight_mask(net), v, 0)
    return Hv.astype(net.dtype, copy=False)


def hessian_r_operator(net, X, T, reduction="sum", l2=0.0):
    """The whole Hessian, one column per unit vector v = e_i: W R-products, O(W²) (the Nankai lecture).

    Parameters
    ----------
    net, X, T, reduction, l2
        As in :func:`hessian_vector_product`.

    Returns
    -------
    ndarray, shape (n_params, n_params)
    """
    _check(net, "hessian_r_operator")
    X = net._check_X(X)
    cache = net.forward(X, keep=True)
    deltas = net.backward(cache, T).deltas
    n = net.n_params
    H = np.empty((n, n), dtype=net.dtype)
    e = np.zeros(n, dtype=net.dtype)
    for i in range(n):
        e[i] = 1
        H[:, i] = _hvp(net, cache, deltas, X, e)
        e[i] = 0
    H *= _scale(reduction, X.shape[0])
    return _add_l2(net, H, l2)
