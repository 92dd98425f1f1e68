"""Chapter 2: what are the nine activations of the ECNU lecture and their derivatives, derived by SymPy?

* :func:`activation_expr` -- h(a) as the ECNU lecture (常见激活函数) writes it, in the symbol ``a``;
* :func:`derivative` -- dⁿh/daⁿ of any order: SymPy's raw result, its simplification, or
  the lecture's form (:func:`nice_derivative`: σ(a)(1 − σ(a)), 1 − tanh²(a), I(a > 0), ...);
* :func:`parameter_derivative` -- ∂h/∂γ and ∂h/∂β.

Conventions
-----------
The variable is the net input ``a`` (the Nankai lecture; the ECNU lecture writes x). ReLU-like
functions are :class:`sympy.Piecewise` with the condition ``a > 0`` first, so the
derivative at the kink a = 0 is the one of the ``a ≤ 0`` branch: ReLU'(0) = 0,
LeakyReLU'(0) = PReLU'(0) = γ, ELU'(0) = γ. This is the ECNU lecture's I(x > 0) and the
convention of :mod:`nnbook.activations` (and of PyTorch). The ECNU lecture defines ReLU with
the case x ≥ 0; the *value* is the same at 0, only the derivative needs a choice.

The hyper-parameters are the symbols ``gamma`` (γ of LeakyReLU and ELU), ``gamma_i``
(γ_i, the per-unit slope of PReLU) and ``beta`` (β of swish), all positive; pass a
number instead (``activation_expr("elu", gamma=0.5)``) to get a concrete function.
A float is turned into the exact decimal fraction it was written as (0.01 -> 1/100).
"""

from __future__ import annotations

import functools
from numbers import Number
from typing import Tuple

import numpy as np
import sympy as sp

from .functions import Indicator, Logistic, a, beta, gamma, gamma_i

__all__ = ["NAMES", "activation_expr", "derivative", "nice_derivative", "parameter_derivative"]

#: The nine activations, in the order of :func:`nnbook.activations.names`.
NAMES = ("sigmoid", "tanh", "relu", "leaky_relu", "prelu", "elu", "softplus", "swish", "identity")

_PARAMS = {"leaky_relu": {"gamma": gamma}, "prelu": {"gamma": gamma_i},
           "elu": {"gamma": gamma}, "swish": {"beta": beta}}


def _key(name):
    key = str(name).lower().replace("-", "_")
    if key not in NAMES:
        raise ValueError(f"unknown activation {name!r}; choose one of {list(NAMES)}")
    return key


def _sympify_param(value):
    """A number or SymPy expression as a SymPy expression (floats as exact decimals)."""
    if isinstance(value, sp.Basic):
        return value
    if isinstance(value, (bool, np.bool_)):
        raise TypeError("a hyper-parameter must be a number or a SymPy expression")
    if isinstance(value, (float, np.floating)):
        return sp.Rational(repr(float(value)))
    if isinstance(value, (Number, np.number)):
        return sp.sympify(value)
    raise TypeError(f"a hyper-parameter must be a scalar number or a SymPy expression, "
                    f"got {type(value).__name__} (for a PReLU layer pass one γ_j at a time)")


def _params(key, params) -> Tuple[Tuple[str, sp.Expr], ...]:
    """Validate the hyper-parameters of activation ``key``; a sorted, hashable tuple."""
    allowed = _PARAMS.get(key, {})
    unknown = set(params) - set(allowed)
    if unknown:
        raise TypeError(f"{key} takes the parameters {sorted(allowed) or 'none'}; got {sorted(unknown)}")
    out = dict(allowed)
    out.update({k: _sympify_param(v) for k, v in params.items() if v is not None})
    return tuple(sorted(out.items()))


@functools.lru_cache(maxsize=None)
def _activation(key, params):
    p = dict(params)
    if key == "sigmoid":
        return 1 / (1 + sp.exp(-a))
    if key == "tanh":
        return (sp.exp(a) - sp.exp(-a)) / (sp.exp(a) + sp.exp(-a))
    if key == "relu":
        return sp.Piecewise((a, a > 0), (0, True))
    if key in ("leaky_relu", "prelu"):
        return sp.Piecewise((a, a > 0), (p["gamma"] * a, True))
    if key == "elu":
        return sp.Piecewise((a, a > 0), (p["gamma"] * (sp.exp(a) - 1), True))
    if key == "softplus":
        return sp.log(1 + sp.exp(a))
    if key == "swish":
        return a / (1 + sp.exp(-p["beta"] * a))
    return a                                                    # identity


def activation_expr(name, **params) -> sp.Expr:
    """The activation h(a) as written in the ECNU lecture (常见激活函数), in the symbol ``a``.

    ===========  ==========================================================
    sigmoid      1 / (1 + e^{−a})
    tanh         (e^a − e^{−a}) / (e^a + e^{−a})
    relu         Piecewise: a if a > 0, else 0            (= max(0, a))
    leaky_relu   Piecewise: a if a > 0, else γa
    prelu        Piecewise: a if a > 0, else γ_i a
    elu          Piecewise: a if a > 0, else γ(e^a − 1)
    softplus     ln(1 + e^a)
    swish        a σ(βa), written a / (1 + e^{−βa})
    identity     a
    ===========  ==========================================================

    Parameters
    ----------
    name : str
        One of :data:`NAMES`.
    gamma, beta : number or sympy.Expr, optional
        γ (leaky_relu, prelu, elu) or β (swish); default the symbols γ, γ_i, β.

    Returns
    -------
    sympy.Expr
    """
    key = _key(name)
    return _activation(key, _params(key, params))


@functools.lru_cache(maxsize=None)
def _derivative(key, order, params):
    return sp.diff(_activation(key, params), a, order)


def derivative(name, order=1, form="raw", **params) -> sp.Expr:
    """The derivative dⁿh/daⁿ of an activation, derived by SymPy.

    Parameters
    ----------
    name : str
        One of :data:`NAMES`.
    order : int
        n ≥ 1 (``order=2`` is the h'' of the Hessian chapter).
    form : {"raw", "simplified", "nice"}
        ``"raw"``: what ``sympy.diff`` returns; ``"simplified"``: ``sympy.simplify`` of it;
        ``"nice"``: the lecture's form (orders 1 and 2 only), see :func:`nice_derivative`.
    gamma, beta : number or sympy.Expr, optional
        As in :func:`activation_expr`.

    Returns
    -------
    sympy.Expr

    Examples
    --------
    >>> derivative("sigmoid")
    exp(-a)/(1 + exp(-a))**2
    >>> derivative("sigmoid", form="nice")
    (1 - sigma(a))*sigma(a)
    """
    key = _key(name)
    order = int(order)
    if order < 1:
        raise ValueError(f"order must be at least 1; got {order}")
    p = _params(key, params)
    if form == "raw":
        return _derivative(key, order, p)
    if form == "simplified":
        return _simplified(key, order, p)
    if form == "nice":
        return _nice(key, order, p)
    raise ValueError(f"form must be 'raw', 'simplified' or 'nice'; got {form!r}")


@functools.lru_cache(maxsize=None)
def _simplified(key, order, params):
    return sp.simplify(_derivative(key, order, params))


@functools.lru_cache(maxsize=None)
def _nice(key, order, params):
    p = dict(params)
    if order not in (1, 2):
        raise ValueError("the lecture's ('nice') form exists for orders 1 and 2; use form='raw'")
    pos, neg = Indicator(a > 0), Indicator(a <= 0)
    s = Logistic(a)
    if key == "sigmoid":                      # σ' = σ(1 − σ),  σ'' = σ(1 − σ)(1 − 2σ)
        return s * (1 - s) if order == 1 else s * (1 - s) * (1 - 2 * s)
    if key == "tanh":                         # 1 − tanh²,  −2 tanh (1 − tanh²)
        th = sp.tanh(a)
        return 1 - th**2 if order == 1 else -2 * th * (1 - th**2)
    if key == "relu":                         # I(a > 0),  0
        return pos if order == 1 else sp.S.Zero
    if key in ("leaky_relu", "prelu"):        # I(a > 0) + γ I(a ≤ 0),  0
        return pos + p["gamma"] * neg if order == 1 else sp.S.Zero
    if key == "elu":                          # I(a > 0) + I(a ≤ 0) γ e^a,  I(a ≤ 0) γ e^a
        g = p["gamma"] * sp.exp(a) * neg
        return pos + g if order == 1 else g
    if key == "softplus":                     # σ(a),  σ(a)(1 − σ(a))
        return s if order == 1 else s * (1 - s)
    if key == "swish":                        # σ(βa) + βa σ(βa)(1 − σ(βa)), ...
        b = p["beta"]
        sb = Logistic(b * a)
        if order == 1:
            return sb + b * a * sb * (1 - sb)
        return b * sb * (1 - sb) * (2 + b * a * (1 - 2 * sb))
    return sp.S.One if order == 1 else sp.S.Zero                 # identity


def nice_derivative(name, order=1, **params) -> sp.Expr:
    """The derivative in the lecture's form (the ECNU lecture's table; orders 1 and 2).

    sigmoid σ(1 − σ); tanh 1 − tanh²(a); ReLU I(a > 0); LeakyReLU/PReLU
    I(a > 0) + γ I(a ≤ 0); ELU I(a > 0) + I(a ≤ 0) γ e^a; softplus σ(a);
    swish σ(βa) + βa σ(βa)(1 − σ(βa)); identity 1. Same as
    ``derivative(name, order, form="nice")``.
    """
    return derivative(name, order, form="nice", **params)


def parameter_derivative(name, param=None, **params) -> sp.Expr:
    """∂h/∂γ (leaky_relu, prelu, elu) or ∂h/∂β (swish), derived by SymPy.

    For PReLU this is the ∂h(a_j)/∂γ_j = a_j I(a_j ≤ 0) that
    :meth:`nnbook.activations.PReLU.dh_dgamma` computes. The parameter is kept as a
    symbol while differentiating and then replaced by the value given, if any.
    """
    key = _key(name)
    allowed = _PARAMS.get(key, {})
    if not allowed:
        raise ValueError(f"{key} has no parameter")
    param = next(iter(allowed)) if param is None else param
    if param not in allowed:
        raise ValueError(f"{key} has the parameter {next(iter(allowed))!r}, not {param!r}")
    sym = allowed[param]
    d = sp.diff(_activation(key, _params(key, {})), sym)
    values = dict(_params(key, params))
    return d.subs(sym, values[param]) if values[param] != sym else d
