"""The diagonal of the Hessian by a backward recursion (Becker and Le Cun; chapter 16).

The Nankai lecture (对角化近似): a weight w_ji enters the error only through a_j = Σ_i w_ji z_i,
linearly, so the diagonal entries for one sample are exactly

    ∂²E_n/∂w_ji² = (∂²E_n/∂a_j²) z_i²,

and the second derivatives with respect to the net inputs obey the backward equation

    ∂²E_n/∂a_j² = h'(a_j)² Σ_k Σ_k' w_kj w_k'j ∂²E_n/∂a_k∂a_k' + h''(a_j) Σ_k w_kj ∂E_n/∂a_k.

It needs the *off-diagonal* ∂²E_n/∂a_k∂a_k' of the layer above. The lecture drops them
(k ≠ k') and keeps one number per unit:

    ∂²E_n/∂a_j² ≈ h'(a_j)² Σ_k w_kj² ∂²E_n/∂a_k² + h''(a_j) Σ_k w_kj ∂E_n/∂a_k,

which costs O(W) like backprop. With ``drop_off_diagonal=False`` the full matrices
M^(l)_jj' = ∂²E_n/∂a_j∂a_j' are carried instead,

    M^(l) = diag(h'(a)) W^(l+1)ᵀ M^(l+1) W^(l+1) diag(h'(a)) + diag(h''(a) ⊙ (δ^(l+1) W^(l+1))),

and the diagonal is exact (at O(Σ_l n_l²) more memory per sample).

When does the drop cost nothing? At the output layer ∂²E_n/∂w_kj² = M_kk z_j² is always
exact. One layer down, the dropped terms are the off-diagonal M_kk' of the outputs, which
vanish for identity + sum-of-squares (M = I) and sigmoid + cross-entropy (M diagonal) but
not for softmax (M = diag(y) − y yᵀ). Two or more layers down, the dropped
M^(l)_jj' = h'(a_j) h'(a_j') Σ_k w_kj w_kj' M_kk + ... are non-zero in general, unless
every layer above has a single unit.
"""

from __future__ import annotations

import numpy as np

from ..jacobian import output_unit_jacobian
from .layout import _add_l2, _require_canonical, _require_d2h, _require_no_prelu, _scale

__all__ = ["diagonal_backward_layer", "hessian_diagonal"]


def diagonal_backward_layer(M_next, delta_next, W_next, A, act, drop_off_diagonal=True):
    """One step of the backward recursion for ∂²E_n/∂a_j² (the Nankai lecture).

    Parameters
    ----------
    M_next : ndarray, shape (N, n_{l+1}) or (N, n_{l+1}, n_{l+1})
        ∂²E_n/∂a_k² of layer l+1 (the diagonal only, when dropping), or the full
        ∂²E_n/∂a_k∂a_k' matrices.
    delta_next : ndarray, shape (N, n_{l+1})
        δ_k = ∂E_n/∂a_k of layer l+1, per sample.
    W_next : ndarray, shape (n_{l+1}, n_l)
        W^(l+1), element w_kj.
    A : ndarray, shape (N, n_l)
        Net inputs a_j of layer l.
    act : Activation (needs ``dh`` and ``d2h``)
    drop_off_diagonal : bool
        True: the lecture's approximation, M_next and the result are diagonals (N, n).
        False: full matrices in and out (N, n, n).

    Returns
    -------
    ndarray, shape (N, n_l) or (N, n_l, n_l)
    """
    hp, hpp = act.dh(A), act.d2h(A)
    back = hpp * (delta_next @ W_next)                          # h''(a_j) Σ_k w_kj δ_k
    if drop_off_diagonal:
        return hp ** 2 * (M_next @ (W_next ** 2)) + back         # h'² Σ_k w_kj² ∂²E/∂a_k² + ...
    M = hp[:, :, None] * np.einsum("kj,nkl,lm->njm", W_next, M_next, W_next) * hp[:, None, :]
    idx = np.arange(A.shape[1])
    M[:, idx, idx] += back
    return M


def hessian_diagonal(net, X, T, drop_off_diagonal=True, reduction="sum", l2=0.0):
    """The diagonal of the Hessian, H_ii = ∂²E/∂w_i², for every weight and bias.

    Parameters
    ----------
    net : MLP
        Any depth, hidden activations with ``d2h``, skip connections allowed, a canonical
        output/error pair, no PReLU slopes.
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) (or integer labels (N,) for softmax)
    drop_off_diagonal : bool
        True (default): the lecture's O(W) approximation, dropping ∂²E_n/∂a_k∂a_k' for
        k ≠ k' at every layer (including the output layer). False: the exact diagonal.
    reduction : {"sum", "mean"}
    l2 : float
        λ of ½λ‖W‖² (adds λ to the weights' entries).

    Returns
    -------
    ndarray, shape (n_params,), in the layout of ``net.get_w()``.
    """
    method = "hessian_diagonal"
    _require_canonical(net, method)
    _require_no_prelu(net, method)
    _require_d2h(net, method)
    X = net._check_X(X)
    cache = net.forward(X, keep=True)
    deltas = net.backward(cache, T).deltas                            # per sample
    M_out = output_unit_jacobian(net.output, cache.a[-1], cache.y)    # M_kk', (N, K, K)
    M = np.diagonal(M_out, axis1=1, axis2=2) if drop_off_diagonal else M_out
    out = [None] * (2 * net.L)
    diag_at_output = None
    for l in range(net.L, 0, -1):
        d = M if drop_off_diagonal else np.diagonal(M, axis1=1, axis2=2)   # ∂²E_n/∂a_j², (N, n_l)
        if l == net.L:
            diag_at_output = d
        Z = cache.z[l - 1]
        out[2 * l - 2] = d.T @ Z ** 2                                 # Σ_n ∂²E_n/∂a_j² z_i²
        out[2 * l - 1] = d.sum(axis=0)                                # bias: z = 1
        if l > 1:
            M = diagonal_backward_layer(M, deltas[l - 1], net.W[l - 1], cache.a[l - 2],
                                        net.h[l - 2], drop_off_diagonal)
    if net.skip:
        out.append(diag_at_output.T @ X ** 2)
    H = np.concatenate([o.ravel() for o in out]) * _scale(reduction, X.shape[0])
    return _add_l2(net, H.astype(net.dtype, copy=False), l2)
