"""Finite differences: the independent check of a backpropagation (chapter 13).

The Nankai lecture (反向传播的效率): the forward difference

    ∂E/∂w_ji ≈ [E(w_ji + ε) − E(w_ji)] / ε                  error O(ε)

and the central (symmetric) difference

    ∂E/∂w_ji ≈ [E(w_ji + ε) − E(w_ji − ε)] / (2ε)           error O(ε²)

each cost O(W) evaluations of the O(W) error, O(W²) in all, against O(W) for
backpropagation; so they check backprop, they do not replace it.

This is the book's one finite-difference loop: every other difference in the package
(the per-layer checks of :mod:`nnbook.diagnostics`, :func:`nnbook.jacobian.jacobian_fd`,
the Hessians of :mod:`nnbook.surface` and :mod:`nnbook.hessian` by differences of the
gradient) calls these functions.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .i18n import _

__all__ = ["forward_difference", "central_difference", "numerical_gradient", "numerical_jacobian",
           "relative_error", "compare", "Comparison"]


def _perturbed(f, x, i, step):
    x = x.copy()
    x.flat[i] += step
    return f(x)


def forward_difference(f, x, eps=1e-6):
    """Forward-difference gradient of a scalar function f at x.

    Parameters
    ----------
    f : callable, array of shape ``x.shape`` -> float
    x : ndarray, any shape (copied, never modified)
    eps : float

    Returns
    -------
    ndarray, shape of ``x``: (f(x + ε e_i) − f(x)) / ε for every element i.
    """
    x = np.array(x, dtype=np.float64)
    f0 = f(x.copy())
    g = np.empty_like(x)
    for i in range(x.size):
        g.flat[i] = (_perturbed(f, x, i, eps) - f0) / eps
    return g


def central_difference(f, x, eps=1e-5):
    """Central-difference gradient (f(x + ε e_i) − f(x − ε e_i)) / 2ε, shape of ``x``."""
    x = np.array(x, dtype=np.float64)
    g = np.empty_like(x)
    for i in range(x.size):
        g.flat[i] = (_perturbed(f, x, i, eps) - _perturbed(f, x, i, -eps)) / (2 * eps)
    return g


def numerical_gradient(f, x, eps=None, method="central"):
    """Gradient of a scalar function by ``"central"`` (default ε = 1e-5) or ``"forward"`` (1e-6) differences."""
    if method == "central":
        return central_difference(f, x, 1e-5 if eps is None else eps)
    if method == "forward":
        return forward_difference(f, x, 1e-6 if eps is None else eps)
    raise ValueError(f"method must be 'central' or 'forward'; got {method!r}")


def numerical_jacobian(f, x, eps=1e-6, dtype=np.float64):
    """Central-difference Jacobian of a vector function: column i is [f(x + ε e_i) − f(x − ε e_i)] / 2ε.

    Parameters
    ----------
    f : callable, array of shape ``x.shape`` -> array of shape (M,) (or any shape, flattened)
    x : ndarray, any shape (copied, never modified)
    eps : float, or ndarray of the shape of ``x``
        The step ε, or one step ε_i per element (for example scaled by max(1, |x_i|)).
    dtype : numpy dtype
        The precision x is perturbed in: float64 by default; ``np.float32`` differences a
        float32 function in its own precision.

    Returns
    -------
    ndarray, shape (M, x.size): J[k, i] = ∂f_k/∂x_i.
    """
    x = np.array(x, dtype=dtype)
    steps = None if np.ndim(eps) == 0 else np.asarray(eps, dtype=np.float64)
    if steps is not None and steps.shape != x.shape:
        raise ValueError(f"one step per element: eps has shape {steps.shape}, x has {x.shape}")
    cols = []
    for i in range(x.size):
        e = eps if steps is None else steps.flat[i]
        cols.append((np.ravel(_perturbed(f, x, i, e)) - np.ravel(_perturbed(f, x, i, -e))) / (2 * e))
    return np.stack(cols, axis=1)


def relative_error(a, b, floor=1e-12, scale_floor=1e-8):
    """A scale-free distance of two arrays: max_i |a_i − b_i| / max(|a_i| + |b_i|, f).

    The floor f is the larger of ``floor`` and ``scale_floor`` times the largest
    |a_i| + |b_i| of the arrays, so that an entry that is zero in one array and round-off
    (say 1e-17) in the other does not count as a 100 % error when the other entries are of
    order one.
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.shape != b.shape:
        raise ValueError(f"cannot compare shapes {a.shape} and {b.shape}")
    if a.size == 0:
        return 0.0
    size = np.abs(a) + np.abs(b)
    f = max(floor, scale_floor * float(np.max(size)))
    return float(np.max(np.abs(a - b) / np.maximum(size, f)))


@dataclass
class Comparison:
    """The outcome of :func:`compare`: exact / close / max difference, shown as one line."""

    name: str
    exact: bool
    close: bool
    max_diff: float
    rel_error: float
    shape: tuple

    def __bool__(self):
        return self.close

    def __repr__(self):
        return (f"{self.name:<16s} | exact: {str(self.exact):5s} | close: {str(self.close):5s} | "
                f"max diff: {self.max_diff:.2e} | rel err: {self.rel_error:.2e}")

    def _repr_html_(self):
        colour = "#1a7f37" if self.close else "#cf222e"
        return _("<code>{name}</code> &nbsp; exact: <b>{exact}</b> &nbsp; "
                 "close: <b style='color:{colour}'>{close}</b> &nbsp; "
                 "max diff: {max_diff} &nbsp; rel err: {rel_error}").format(
            name=self.name, exact=self.exact, colour=colour, close=self.close,
            max_diff=f"{self.max_diff:.2e}", rel_error=f"{self.rel_error:.2e}")


def compare(name, mine, reference, rtol=1e-7, atol=1e-10) -> Comparison:
    """Compare an array with a trusted one and say so in one line.

    Parameters
    ----------
    name : str
        What is compared (for example ``"dW1"``).
    mine, reference : array_like of the same shape
    rtol, atol : float
        Tolerances of ``close`` (numpy.allclose semantics).

    Examples
    --------
    >>> compare("dW", np.ones(3), np.ones(3) + 1e-12)       # doctest: +ELLIPSIS
    dW               | exact: False | close: True  | max diff: 1.00e-12 | ...
    """
    a = np.asarray(mine)
    b = np.asarray(reference)
    if a.shape != b.shape:
        raise ValueError(f"{name}: shape {a.shape} differs from the reference shape {b.shape}")
    a64, b64 = a.astype(np.float64), b.astype(np.float64)
    return Comparison(name, bool(np.array_equal(a, b)), bool(np.allclose(a64, b64, rtol=rtol, atol=atol)),
                      float(np.max(np.abs(a64 - b64))) if a.size else 0.0, relative_error(a64, b64), a.shape)
