"""Chapter 2: how does SymPy write σ and the indicator I, so that a derivative reads as in the ECNU lecture?

The symbols every derivation uses (the net input ``a`` and the hyper-parameters γ, γ_i,
β) and two named SymPy functions: :class:`Logistic`, the sigmoid σ(x), which prints as σ
and differentiates to σ(1 − σ), and :class:`Indicator`, the ECNU lecture's I(condition).
"""

from __future__ import annotations

import sympy as sp

__all__ = ["a", "gamma", "gamma_i", "beta", "Logistic", "Indicator"]

#: The net input of a unit (the Nankai lecture's a_j; the ECNU lecture's x).
a = sp.Symbol("a", real=True)
#: γ of LeakyReLU and ELU (the ECNU lecture).
gamma = sp.Symbol("gamma", positive=True)
#: γ_i, the learnable slope of unit i of a PReLU layer (the ECNU lecture).
gamma_i = sp.Symbol("gamma_i", positive=True)
#: β of swish(a) = a σ(βa) (the ECNU lecture).
beta = sp.Symbol("beta", positive=True)


# --- two named functions for the lecture's forms ---------------------------------------

class Logistic(sp.Function):
    """The logistic sigmoid σ(x) = 1/(1 + e^{−x}) as a named SymPy function.

    It prints as σ(x) (so a derivative can be shown as σ(a)(1 − σ(a)), as in the
    ECNU lecture's table), differentiates to σ(1 − σ), rewrites to ``1/(1 + exp(-x))`` with
    ``expr.rewrite(sympy.exp)`` and evaluates numerically (``evalf``, :func:`to_numpy`).
    """

    nargs = 1

    @classmethod
    def eval(cls, x):
        if x.is_zero:
            return sp.S.Half
        if x is sp.S.Infinity:
            return sp.S.One
        if x is sp.S.NegativeInfinity:
            return sp.S.Zero
        return None

    def fdiff(self, argindex=1):
        return self * (1 - self)

    def _eval_rewrite_as_exp(self, x, **kwargs):
        return 1 / (1 + sp.exp(-x))

    def _eval_evalf(self, prec):
        return (1 / (1 + sp.exp(-self.args[0])))._eval_evalf(prec)

    def _eval_is_real(self):
        return self.args[0].is_real

    def _eval_is_positive(self):
        return True if self.args[0].is_real else None

    def _latex(self, printer, exp=None):
        s = r"\sigma\left(%s\right)" % printer._print(self.args[0])
        return s if exp is None else r"%s^{%s}" % (s, exp)

    def _sympystr(self, printer):
        return "sigma(%s)" % printer._print(self.args[0])


class Indicator(sp.Function):
    """The indicator I(condition) of the ECNU lecture's table: 1 where it holds, 0 elsewhere.

    ``Indicator(a > 0)`` prints as 𝕀(a > 0) and rewrites to
    ``Piecewise((1, a > 0), (0, True))`` with ``expr.rewrite(sympy.Piecewise)``.
    """

    nargs = 1

    @classmethod
    def eval(cls, cond):
        if cond is sp.S.true:
            return sp.S.One
        if cond is sp.S.false:
            return sp.S.Zero
        return None

    def _eval_rewrite_as_Piecewise(self, cond, **kwargs):
        return sp.Piecewise((1, cond), (0, True))

    def _eval_is_real(self):
        return True

    def _eval_is_nonnegative(self):
        return True

    def _latex(self, printer, exp=None):
        s = r"\mathbb{I}\left(%s\right)" % printer._print(self.args[0])
        return s if exp is None else r"%s^{%s}" % (s, exp)

    def _sympystr(self, printer):
        return "I(%s)" % printer._print(self.args[0])
