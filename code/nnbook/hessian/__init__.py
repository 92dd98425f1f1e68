"""The Hessian H_ij = ∂²E/∂w_i∂w_j of a network's error, every method of lecture 000 (chapter 16).

All weights and biases are one vector w in the order of ``net.get_w()`` (see
:mod:`.layout`); the error is E = Σ_n E_n by default (lecture 000), or the mean.

==================  ==========================================  ===========  =====================
module              method                                      cost         what it gives
==================  ==========================================  ===========  =====================
finite_differences  second differences of E                     O(W³)        H (reference)
finite_differences  central differences of the backprop ∇E      O(W²)        H (reference)
diagonal            backward recursion for ∂²E_n/∂a_j²          O(W)         diag H (approx./exact)
outer_product       Σ_n b_n b_nᵀ (Levenberg–Marquardt)          O(W²)        H at zero residuals
woodbury            sequential (H + αI)⁻¹                       O(N W²)      inverse of the above
exact               closed forms, two-layer network             O(W²)        H
roperator           R{·} forward and backward passes            O(W) per v   vᵀH, and H from e_i
==================  ==========================================  ===========  =====================

:func:`hessian` dispatches by name; :data:`METHODS` lists the names.
"""

from __future__ import annotations

import numpy as np

from .diagonal import diagonal_backward_layer, hessian_diagonal
from .exact import hessian_exact_two_layer
from .finite_differences import hessian_fd_error, hessian_fd_gradient
from .layout import parameter_blocks, parameter_names, unflatten, weight_mask
from .outer_product import hessian_outer_product, outer_product_factors, output_gradients
from .roperator import (hessian_r_operator, hessian_vector_product, r_backward_layer,
                        r_forward_layer, r_hidden_output, r_output_delta, r_weight_gradients)
from .woodbury import outer_product_inverse, woodbury_update

__all__ = [
    "hessian", "METHODS",
    "hessian_fd_gradient", "hessian_fd_error",
    "hessian_diagonal", "diagonal_backward_layer",
    "hessian_outer_product", "outer_product_factors", "output_gradients",
    "outer_product_inverse", "woodbury_update",
    "hessian_exact_two_layer",
    "hessian_vector_product", "hessian_r_operator",
    "r_forward_layer", "r_hidden_output", "r_output_delta", "r_backward_layer", "r_weight_gradients",
    "parameter_blocks", "parameter_names", "weight_mask", "unflatten",
]


def _diag(fn, **fixed):
    def run(net, X, T, reduction="sum", l2=0.0, **kw):
        return np.diag(fn(net, X, T, reduction=reduction, l2=l2, **fixed, **kw))
    return run


#: Method name -> function (net, X, T, reduction=..., l2=..., **options) -> (W, W) matrix.
METHODS = {
    "r": hessian_r_operator,                       # exact, any depth
    "exact": hessian_exact_two_layer,              # exact, closed form, one hidden layer
    "fd_gradient": hessian_fd_gradient,            # O(W²) finite differences of ∇E
    "fd_error": hessian_fd_error,                  # O(W³) finite differences of E
    "outer_product": hessian_outer_product,        # approximation
    "diagonal": _diag(hessian_diagonal, drop_off_diagonal=True),        # approximation, diagonal
    "diagonal_exact": _diag(hessian_diagonal, drop_off_diagonal=False),  # exact diagonal only
}


def hessian(net, X, T, method="r", reduction="sum", l2=0.0, **options):
    """The Hessian of E(w) by the named method, as a (W, W) matrix.

    Parameters
    ----------
    net : MLP
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) (or integer labels (N,) for softmax)
    method : str
        One of :data:`METHODS`: ``"r"`` (default, exact, any depth), ``"exact"``
        (two-layer closed form), ``"fd_gradient"``, ``"fd_error"``, ``"outer_product"``,
        ``"diagonal"`` and ``"diagonal_exact"`` (returned as diagonal matrices).
    reduction : {"sum", "mean"}
    l2 : float
        λ of ½λ‖W‖².
    **options
        Passed on, e.g. ``eps`` for the finite-difference methods.

    Returns
    -------
    ndarray, shape (n_params, n_params)
    """
    if method not in METHODS:
        raise ValueError(f"unknown method {method!r}; choose one of {list(METHODS)}")
    return METHODS[method](net, X, T, reduction=reduction, l2=l2, **options)
