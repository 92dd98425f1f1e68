"""Chapter 2: does SymPy prove that a derived expression equals the lecture's form?

:func:`is_zero` settles every "raw result = lecture's form" claim of the book:
``is_zero(raw - nice)``, after rewriting σ, I and tanh into exp and Piecewise.
"""

from __future__ import annotations

import sympy as sp

from .functions import Indicator, Logistic, a

__all__ = ["is_zero"]

def _elementary(expr):
    """Rewrite σ and I (and tanh) into exp and Piecewise, for simplification."""
    expr = expr.replace(lambda e: isinstance(e, Logistic), lambda e: 1 / (1 + sp.exp(-e.args[0])))
    expr = expr.replace(lambda e: isinstance(e, Indicator),
                        lambda e: sp.Piecewise((1, e.args[0]), (0, True)))
    return expr.rewrite(sp.exp)


def _is_zero_fast(e):
    """Prove e == 0 branch by branch with a = ln u (u > 0): exp becomes a power of u and
    the question one about rational functions, which SymPy settles quickly."""
    if isinstance(e, sp.Piecewise):
        e = sp.piecewise_exclusive(e)
        ok = True
        for x, cond in e.args:
            if cond is sp.S.false:
                continue
            if isinstance(cond, sp.Eq) and isinstance(cond.lhs, sp.Symbol):
                x = x.subs(cond.lhs, cond.rhs)            # a branch that holds at one point
            ok = ok and _is_zero_fast(x)
        return ok
    u = sp.Dummy("u", positive=True)
    e = e.xreplace({a: sp.log(u)})
    return sp.expand(sp.numer(sp.together(e))) == 0


def is_zero(expr) -> bool:
    """True if SymPy proves ``expr == 0`` (after rewriting σ, I and tanh into exp/Piecewise).

    Used for every "raw result = lecture's form" claim: ``is_zero(raw - nice)``. A fast
    proof (substitute a = ln u, cancel the rational function, branch by branch for a
    Piecewise) is tried first, then ``sympy.simplify``.
    """
    e = sp.piecewise_fold(_elementary(sp.sympify(expr)))
    if e == 0 or _is_zero_fast(e):
        return True
    return bool(sp.simplify(e) == 0)
