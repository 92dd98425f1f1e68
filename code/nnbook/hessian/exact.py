"""The exact Hessian of a two-layer network from closed forms (the Nankai lecture; chapter 16).

The Nankai lecture (Hessian矩阵的精确计算): i, i' index inputs, j, j' hidden units, k, k' outputs;
δ_k = ∂E_n/∂a_k and M_kk' = ∂²E_n/∂a_k∂a_k'. Then, for one sample,

both weights in layer 2
    ∂²E_n / ∂w_kj^(2) ∂w_k'j'^(2) = z_j z_j' M_kk'

both weights in layer 1
    ∂²E_n / ∂w_ji^(1) ∂w_j'i'^(1) = x_i x_i' h''(a_j') I_jj' Σ_k w_kj'^(2) δ_k
                                    + x_i x_i' h'(a_j') h'(a_j) Σ_k Σ_k' w_k'j'^(2) w_kj^(2) M_kk'

one weight in each layer
    ∂²E_n / ∂w_ji^(1) ∂w_kj'^(2) = x_i h'(a_j) { δ_k I_jj' + z_j' Σ_k' w_k'j^(2) M_kk' }

The last line is derived afresh here (∂/∂w_ji of δ_k z_j'): the slide prints
x_i h'(a_j'){δ_k I_jj' + z_j Σ_k' w_kj'^(2) H_kk'}, with j and j' exchanged outside the
Kronecker term, w_kj' for w_k'j, and H for M; only the form above matches finite
differences. A bias is a weight from a unit whose value is 1: set x_i = 1 (layer 1) or
z_j = 1 (layer 2), and it has no h'(a_j) of its own.

M for the canonical pairs (δ_k = y_k − t_k, so M = ∂y/∂a):
identity + sum of squares: I; sigmoid + cross-entropy: diag(y_k(1 − y_k));
softmax + cross-entropy: diag(y) − y yᵀ.

Skip-layer weights w_ki^(skip) feed the outputs straight from the inputs; they behave as
second-layer weights whose "hidden value" is x_i, with no dependence on layer 1.
"""

from __future__ import annotations

import numpy as np

from ..jacobian import output_unit_jacobian
from .layout import _add_l2, _require_canonical, _require_d2h, _require_no_prelu, _scale, parameter_blocks

__all__ = ["hessian_exact_two_layer", "mixed_second_derivatives"]


def _positions(net):
    """Index of every augmented coordinate in w.

    Layer 1 coordinates (j, i), i = 0..D, where i = D is the bias; layer 2 coordinates
    (k, p), p = 0..M-1 hidden units, p = M the bias, p = M+1..M+D skip weights.
    """
    blocks = {b.name: b for b in parameter_blocks(net)}
    D, M, K = net.sizes
    pos1 = np.empty((M, D + 1), dtype=int)
    pos1[:, :D] = np.arange(blocks["W1"].slice.start, blocks["W1"].slice.stop).reshape(M, D)
    pos1[:, D] = np.arange(blocks["b1"].slice.start, blocks["b1"].slice.stop)
    P = M + 1 + (D if net.skip else 0)
    pos2 = np.empty((K, P), dtype=int)
    pos2[:, :M] = np.arange(blocks["W2"].slice.start, blocks["W2"].slice.stop).reshape(K, M)
    pos2[:, M] = np.arange(blocks["b2"].slice.start, blocks["b2"].slice.stop)
    if net.skip:
        pos2[:, M + 1:] = np.arange(blocks["W_skip"].slice.start,
                                    blocks["W_skip"].slice.stop).reshape(K, D)
    return pos1, pos2


def hessian_exact_two_layer(net, X, T, reduction="sum", l2=0.0):
    """The exact Hessian of a network with one hidden layer, from the lecture's closed forms.

    Parameters
    ----------
    net : MLP
        ``sizes = [D, M, K]``; hidden activation with ``d2h``; a canonical output/error
        pair; skip-layer connections allowed; no PReLU slopes.
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) (or integer labels (N,) for softmax)
    reduction : {"sum", "mean"}
    l2 : float
        λ of ½λ‖W‖² (adds λ to the weights' diagonal entries).

    Returns
    -------
    ndarray, shape (n_params, n_params), in the layout of ``net.get_w()``.
    """
    method = "hessian_exact_two_layer"
    if net.L != 2:
        raise ValueError(f"{method} is the closed form of a two-layer network (one hidden layer, "
                         f"sizes [D, M, K]); this network has {net.L} layers of weights. "
                         f"Use hessian_r_operator for any depth.")
    _require_canonical(net, method)
    _require_no_prelu(net, method)
    _require_d2h(net, method)
    X = net._check_X(X)
    N, D = X.shape
    M_hidden = net.sizes[1]
    cache = net.forward(X, keep=True)
    delta = net.backward(cache, T).deltas[-1]                      # δ_k = y_k − t_k, (N, K)
    A1, Z1 = cache.a[0], cache.z[1]
    h = net.h[0]
    hp, hpp = h.dh(A1), h.d2h(A1)                                  # h'(a_j), h''(a_j), (N, M)
    W2 = net.W[1]                                                  # w_kj^(2), (K, M)
    Mkk = output_unit_jacobian(net.output, cache.a[-1], cache.y)   # M_kk', (N, K, K)

    one = np.ones((N, 1), dtype=X.dtype)
    x = np.hstack([X, one])                                        # x_i with x_D = 1 (bias)
    u = np.hstack([Z1, one] + ([X] if net.skip else []))           # inputs of the outputs

    s = delta @ W2                                                 # Σ_k w_kj δ_k, (N, M)
    MW = Mkk @ W2                                                  # Σ_k' M_kk' w_k'j, (N, K, M)
    Q = np.einsum("kj,nkl->njl", W2, MW)                          # Σ_kk' w_kj M_kk' w_k'j'
    # both in layer 2:  u_p u_p' M_kk'
    H22 = np.einsum("np,nq,nkl->kplq", u, u, Mkk)
    # both in layer 1:  x_i x_i' [ h''(a_j) I_jj' s_j + h'(a_j) h'(a_j') Q_jj' ]
    inner = hp[:, :, None] * hp[:, None, :] * Q
    idx = np.arange(M_hidden)
    inner[:, idx, idx] += hpp * s
    H11 = np.einsum("ni,nq,njl->jilq", x, x, inner)
    # one in each: x_i h'(a_j) { δ_k I_jp + u_p Σ_k' w_k'j M_kk' }   (p a hidden unit for I_jp)
    H12 = mixed_second_derivatives(x, hp, u, delta, W2, Mkk)

    pos1, pos2 = _positions(net)
    n = net.n_params
    H = np.zeros((n, n), dtype=net.dtype)
    p1, p2 = pos1.ravel(), pos2.ravel()
    H[np.ix_(p1, p1)] = H11.reshape(p1.size, p1.size)
    H[np.ix_(p2, p2)] = H22.reshape(p2.size, p2.size)
    H12 = H12.reshape(p1.size, p2.size)
    H[np.ix_(p1, p2)] = H12
    H[np.ix_(p2, p1)] = H12.T
    H *= _scale(reduction, N)
    return _add_l2(net, H, l2)


def mixed_second_derivatives(X, HP, U, Delta, W2, Mkk):
    """One weight in each layer: Σ_n ∂²E_n/∂w_ji^(1)∂w_kp^(2) = Σ_n x_i h'(a_j){δ_k I_jp + u_p Σ_k' w_k'j M_kk'}.

    The corrected form of the lecture's third closed form (see the module docstring): the
    derivative by w_ji^(1) of ∂E_n/∂w_kp^(2) = δ_k u_p, where u_p = z_p is a hidden unit's
    output (its derivative is I_jp h'(a_j) x_i) and δ_k changes through every output
    (Σ_k' M_kk' w_k'j h'(a_j) x_i).

    Parameters
    ----------
    X : ndarray, shape (N, D)
        Inputs x_i of layer 1 (with a column of ones for the biases b_j^(1), if wanted).
    HP : ndarray, shape (N, M)
        h'(a_j) of the M hidden units.
    U : ndarray, shape (N, P), P ≥ M
        Inputs of layer 2: the first M columns are the hidden outputs z_j (the δ_k I_jp term
        belongs to them); further columns (a one for the biases b_k^(2), inputs x_i for
        skip-layer weights) do not depend on layer 1 and get the second term only.
    Delta : ndarray, shape (N, K)
        δ_k = ∂E_n/∂a_k.
    W2 : ndarray, shape (K, M)
        w_kj^(2).
    Mkk : ndarray, shape (N, K, K)
        M_kk' = ∂²E_n/∂a_k∂a_k'.

    Returns
    -------
    ndarray, shape (M, D, K, P): entry [j, i, k, p], summed over the N samples.
    """
    M = HP.shape[1]
    MW = Mkk @ W2                                                  # Σ_k' M_kk' w_k'j, (N, K, M)
    H12 = np.einsum("ni,nj,np,nkj->jikp", X, HP, U, MW)
    idx = np.arange(M)
    H12[idx, :, :, idx] += np.einsum("ni,nj,nk->jik", X, HP, Delta)
    return H12
