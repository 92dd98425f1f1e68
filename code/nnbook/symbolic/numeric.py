"""Chapter 2: how does a derived formula become numbers — fast with numpy, or exact with mpmath?

:func:`to_numpy` turns an expression into a vectorised numpy function (the literal
formula, next to the careful versions of :mod:`nnbook.activations`);
:func:`exact_values` evaluates it at high precision, the reference of the tests.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import sympy as sp

from .functions import a

__all__ = ["to_numpy", "exact_values"]

def _np_indicator(cond):
    return np.asarray(cond, dtype=np.float64)


def _np_logistic(x):
    from ..activations import sigmoid
    return sigmoid().h(x)


_NUMPY_NAMESPACE = {"Logistic": _np_logistic, "Indicator": _np_indicator}


def to_numpy(expr, *symbols) -> Callable[..., np.ndarray]:
    """Turn an expression into a vectorised numpy function (``sympy.lambdify``).

    Parameters
    ----------
    expr : sympy.Expr
    *symbols : sympy.Symbol
        The arguments, in order; default ``(a,)``. Every other free symbol must have
        been given a value (``expr.subs``) first.

    Returns
    -------
    callable
        ``f(*arrays)`` returning an array of the broadcast shape of its arguments, in
        their floating dtype (float32 stays float32, integers become float64), also when
        ``expr`` is a constant (``derivative("identity")`` is 1 everywhere).

    Notes
    -----
    The function is the literal transcription of the formula, not a numerically
    careful one: ``1/(1 + exp(-a))`` overflows (with a warning) for a < −709 in float64.
    The stable versions are those of :mod:`nnbook.activations`; chapter 2 shows the
    difference. σ inside an expression (:class:`Logistic`) is evaluated stably.
    """
    symbols = symbols or (a,)
    free = sp.sympify(expr).free_symbols - set(symbols)
    if free:
        raise ValueError(f"give values to the free symbols {sorted(map(str, free))} (expr.subs) "
                         f"or pass them as arguments")
    f = sp.lambdify(symbols, expr, modules=[_NUMPY_NAMESPACE, "numpy"])

    def numpy_function(*args):
        if len(args) != len(symbols):
            raise TypeError(f"expected {len(symbols)} argument(s) {symbols}; got {len(args)}")
        arrays = [np.asarray(x) for x in args]
        floats = [x.dtype for x in arrays if np.issubdtype(x.dtype, np.floating)]
        dtype = np.result_type(*floats) if floats else np.dtype(np.float64)
        arrays = [x.astype(dtype, copy=False) for x in arrays]
        shape = np.broadcast_shapes(*(x.shape for x in arrays))
        out = np.asarray(f(*arrays), dtype=dtype)
        return np.array(np.broadcast_to(out, shape))

    numpy_function.__doc__ = f"numpy function of {symbols}: {expr}"
    numpy_function.expr = expr
    return numpy_function


def exact_values(expr, values, symbol=a, dps=50) -> np.ndarray:
    """Evaluate ``expr`` at ``values`` with mpmath at ``dps`` digits, rounded to float64.

    This is the reference of the tests: no overflow and no cancellation, so for example
    σ'(−1000) = e^{−1000}/(1 + e^{−1000})² is computed correctly (and rounds to 0.0).

    Parameters
    ----------
    expr : sympy.Expr in ``symbol`` only
    values : array_like of float, any shape
    symbol : sympy.Symbol
    dps : int
        Decimal digits of the working precision.

    Returns
    -------
    ndarray of float64, shape of ``values``
    """
    import mpmath
    expr = sp.sympify(expr)
    free = expr.free_symbols - {symbol}
    if free:
        raise ValueError(f"give values to the free symbols {sorted(map(str, free))} first")
    namespace = {"Logistic": lambda x: 1 / (1 + mpmath.exp(-x)),
                 "Indicator": lambda c: mpmath.mpf(1) if c else mpmath.mpf(0)}
    f = sp.lambdify(symbol, expr, modules=[namespace, "mpmath"])
    values = np.asarray(values, dtype=np.float64)
    out = np.empty(values.shape, dtype=np.float64)
    with mpmath.workdps(dps):
        for i, x in enumerate(values.flat):
            out.flat[i] = float(f(mpmath.mpf(float(x))))
    return out
