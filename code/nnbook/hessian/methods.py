"""The Hessian by name: :data:`METHODS` and :func:`hessian` (chapter 16).

One entry per method of the Nankai lecture that returns the whole (W, W) matrix (the diagonal ones
as diagonal matrices), so that a caller — a training loop, a comparison table — can switch
methods by a string.
"""

from __future__ import annotations

import numpy as np

from .diagonal import hessian_diagonal
from .exact import hessian_exact_two_layer
from .finite_differences import hessian_fd_error, hessian_fd_gradient
from .outer_product import hessian_outer_product
from .roperator import hessian_r_operator

__all__ = ["METHODS", "hessian"]


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
