"""The inverse of the outer-product Hessian, one data point at a time (chapter 16).

The Nankai lecture (Hessian矩阵的逆): with H_N = Σ_n b_n b_nᵀ, split off the contribution of
point L+1, H_{L+1} = H_L + b_{L+1} b_{L+1}ᵀ, and use the Woodbury identity

    (M + v vᵀ)⁻¹ = M⁻¹ − (M⁻¹ v)(vᵀ M⁻¹) / (1 + vᵀ M⁻¹ v)

with M = H_L, v = b_{L+1}:

    H_{L+1}⁻¹ = H_L⁻¹ − H_L⁻¹ b_{L+1} b_{L+1}ᵀ H_L⁻¹ / (1 + b_{L+1}ᵀ H_L⁻¹ b_{L+1}).

The points are "absorbed" until L + 1 = N. Starting from H_0 = αI (α small) the
sequence ends at (H + αI)⁻¹, not H⁻¹; the result is not very sensitive to α.
Each step costs O(W²), no matrix is ever inverted.
"""

from __future__ import annotations

import numpy as np

from .layout import _add_l2
from .outer_product import outer_product_factors

__all__ = ["woodbury_update", "outer_product_inverse"]


def woodbury_update(Hinv, b):
    """One step of the sequential inverse: (H + b bᵀ)⁻¹ from H⁻¹ (the Nankai lecture).

    Parameters
    ----------
    Hinv : ndarray, shape (W, W)
        H_L⁻¹.
    b : ndarray, shape (W,)
        The new point's vector b_{L+1}.

    Returns
    -------
    ndarray, shape (W, W)
        H_{L+1}⁻¹ = H_L⁻¹ − (H_L⁻¹ b)(bᵀ H_L⁻¹) / (1 + bᵀ H_L⁻¹ b).
    """
    Hinv = np.asarray(Hinv)
    b = np.asarray(b)
    Hb = Hinv @ b                        # H_L⁻¹ b
    bH = b @ Hinv                        # bᵀ H_L⁻¹
    return Hinv - np.outer(Hb, bH) / (1 + b @ Hb)


def outer_product_inverse(net, X, T=None, alpha=1e-3, reduction="sum", l2=0.0):
    """(H_outer + αI)⁻¹ by absorbing one rank-one term at a time, starting from H_0 = αI.

    The terms are the vectors of :func:`outer_product_factors`: per sample, the K vectors
    b_nk = ∇y_nk (sum of squares), √(y(1 − y)) ∇a_nk (sigmoid + cross-entropy), or the
    softmax ones; with a single output unit this is exactly the lecture's one update per
    data point.

    Parameters
    ----------
    net : MLP (no PReLU slopes)
    X : ndarray, shape (N, D)
    T : ignored (the outer-product Hessian uses no targets)
    alpha : float
        α > 0 of H_0 = αI.
    reduction : {"sum", "mean"}
    l2 : float
        λ of ½λ‖W‖²: the start becomes H_0 = αI + λ·diag(weight mask), so the result is
        (H_outer + λ I_weights + αI)⁻¹.

    Returns
    -------
    ndarray, shape (n_params, n_params)
    """
    if alpha <= 0:
        raise ValueError(f"alpha must be positive (H_0 = αI must be invertible); got {alpha}")
    R = outer_product_factors(net, X, reduction)
    H0_diag = _add_l2(net, np.full(net.n_params, alpha, dtype=net.dtype), l2)
    Hinv = np.diag(1.0 / H0_diag)
    for r in R:
        Hinv = woodbury_update(Hinv, r)
    return Hinv
