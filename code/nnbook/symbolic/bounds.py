"""Chapter 14: how large can σ' and tanh' be — the bounds behind vanishing gradients (梯度消失问题)?

:func:`sigmoid_derivative_bound` and :func:`tanh_derivative_bound` derive max_a h'(a):
solve h''(a) = 0, check that the third derivative is negative there, compare with h'(±∞).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Tuple

import sympy as sp

from .expressions import _derivative, _params
from .functions import a

__all__ = ["DerivativeBound", "sigmoid_derivative_bound", "tanh_derivative_bound"]

@dataclass(frozen=True)
class DerivativeBound:
    """max_a h'(a), derived: solve h''(a) = 0, evaluate h' there and at ±∞ (chapter 14).

    Attributes
    ----------
    name : str
    dh, d2h : sympy.Expr
        h' and h'' (raw SymPy derivatives of the ECNU lecture's definition).
    critical_points : tuple of sympy.Expr
        The real solutions of h''(a) = 0.
    argmax : sympy.Expr
    max_value : sympy.Expr
    d3h_at_argmax : sympy.Expr
        h'''(argmax) < 0 shows that it is a maximum.
    limits : tuple of sympy.Expr
        h'(−∞) and h'(+∞).
    range : sympy.Interval
        The range of h' over the real line, e.g. (0, 1/4].
    """

    name: str
    dh: sp.Expr
    d2h: sp.Expr
    critical_points: Tuple[sp.Expr, ...]
    argmax: sp.Expr
    max_value: sp.Expr
    d3h_at_argmax: sp.Expr
    limits: Tuple[sp.Expr, sp.Expr]
    range: sp.Interval

    def _repr_latex_(self):
        return (r"$$\max_a h'(a) = h'(%s) = %s,\qquad h'(a) \in %s$$"
                % (sp.latex(self.argmax), sp.latex(self.max_value), sp.latex(self.range)))


def _bound(key):
    p = _params(key, {})
    dh, d2h, d3h = (_derivative(key, n, p) for n in (1, 2, 3))
    crit = sp.solveset(d2h, a, sp.S.Reals)
    if not isinstance(crit, sp.FiniteSet):
        raise RuntimeError(f"could not solve h''(a) = 0 for {key}: {crit}")
    crit = tuple(sorted(crit, key=float))
    values = [sp.simplify(dh.subs(a, c)) for c in crit]
    limits = (sp.limit(dh, a, -sp.oo), sp.limit(dh, a, sp.oo))
    best = max(range(len(crit)), key=lambda i: float(values[i]))
    argmax, max_value = crit[best], values[best]
    d3 = sp.simplify(d3h.subs(a, argmax))
    if not (d3 < 0 and all(max_value >= v for v in values + list(limits))):
        raise RuntimeError(f"{key}: h'({argmax}) is not the maximum")
    low = min(limits + tuple(values), key=float)
    rng = sp.Interval(low, max_value, left_open=low in limits, right_open=False)
    return DerivativeBound(key, dh, d2h, crit, argmax, max_value, d3, limits, rng)


@functools.lru_cache(maxsize=None)
def sigmoid_derivative_bound() -> DerivativeBound:
    """max σ'(a) = σ'(0) = 1/4, so σ'(a) ∈ (0, 1/4] (the ECNU lecture, 梯度消失问题).

    σ''(a) = 0 has the one real solution a = 0, σ'''(0) = −1/8 < 0, σ'(±∞) = 0.
    """
    return _bound("sigmoid")


@functools.lru_cache(maxsize=None)
def tanh_derivative_bound() -> DerivativeBound:
    """max tanh'(a) = tanh'(0) = 1, so tanh'(a) ∈ (0, 1] (the ECNU lecture, 梯度消失问题).

    tanh''(a) = 0 has the one real solution a = 0, tanh'''(0) = −2 < 0, tanh'(±∞) = 0.
    """
    return _bound("tanh")
