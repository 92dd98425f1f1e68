"""Chapter 12: why is the output delta δ = ∂E/∂a = y − t for each canonical output/error pair?

The derivations of the MNIST-lab lecture (求导 δ⁽³⁾), step by step for display and proven by SymPy:

* :func:`softmax_ce_delta` -- softmax + cross-entropy for K classes (with the softmax
  Jacobian and the chain rule); :func:`softmax_ce_delta_general` for a symbolic K;
* :func:`softmax_ce_delta_case_k_eq_j`, :func:`softmax_ce_delta_case_k_ne_j` -- the
  lecture's two cases for a one-hot target;
* :func:`sigmoid_bce_delta` -- logistic sigmoid + binary cross-entropy;
* :func:`identity_sse_delta` -- identity outputs + sum of squares.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Tuple

import sympy as sp

from ..i18n import _, get_language
from .functions import Logistic, a
from .proofs import is_zero

__all__ = ["Step", "Derivation", "SoftmaxCEDelta", "softmax_ce_delta", "softmax_ce_delta_general",
           "softmax_ce_delta_case_k_eq_j", "softmax_ce_delta_case_k_ne_j",
           "sigmoid_bce_delta", "identity_sse_delta"]

@dataclass(frozen=True)
class Step:
    """One line ``lhs = rhs`` of a derivation, with what justifies it."""

    lhs: sp.Expr
    rhs: sp.Expr
    note: str = ""

    def latex(self) -> str:
        note = r" && \text{%s}" % self.note if self.note else ""
        return sp.latex(self.lhs) + " &= " + sp.latex(self.rhs) + note


@dataclass(frozen=True)
class Derivation:
    """A derivation for display: its steps, the raw result and the simplified one.

    Attributes
    ----------
    title : str
    steps : tuple of Step
    derived : sympy.Expr
        What differentiating the definition gives (``sympy.diff``), before simplifying.
    result : sympy.Expr
        The simplified result, in the lecture's notation.
    verified : bool
        SymPy proved ``derived == result`` (under the stated assumptions, such as Σ t_k = 1).
    """

    title: str
    steps: Tuple[Step, ...]
    derived: sp.Expr
    result: sp.Expr
    verified: bool

    def latex(self) -> str:
        """The steps as a LaTeX ``aligned`` environment (without ``$$``)."""
        body = r" \\ ".join(s.latex() for s in self.steps)
        return r"\begin{aligned} " + body + r" \end{aligned}"

    def _repr_latex_(self):
        return "$$" + self.latex() + "$$"

    def markdown(self) -> str:
        """The title and the steps as Markdown with one ``$$`` block."""
        return f"**{self.title}**\n\n$$\n{self.latex()}\n$$\n"


def _per_language(func):
    """``functools.lru_cache`` per language: a derivation's titles and notes are in the
    reader's language (:mod:`nnbook.i18n`), so each language keeps its own copy."""
    @functools.lru_cache(maxsize=None)
    def cached(lang, *args, **kwargs):
        return func(*args, **kwargs)

    @functools.wraps(func)
    def wrapper(*args, **kwargs):
        return cached(get_language(), *args, **kwargs)

    wrapper.cache_clear = cached.cache_clear
    return wrapper


def _dot_symbols(prefix, K, **assumptions):
    return sp.symbols(f"{prefix}_1:{K + 1}", **assumptions)


def _softmax_setup(K):
    K = int(K)
    if K < 2:
        raise ValueError(f"softmax needs K ≥ 2 classes; got {K}")
    av = _dot_symbols("a", K, real=True)
    S = sp.Add(*[sp.exp(ak) for ak in av])
    return K, av, S, [sp.exp(ak) / S for ak in av]


def _is_zero_rational_in_exp(expr, av):
    """Prove expr == 0 for an expression rational in e^{a_k}: put a_k = ln u_k, cancel."""
    u = _dot_symbols("u", len(av), positive=True)
    e = expr.xreplace({ak: sp.log(uk) for ak, uk in zip(av, u)})
    return sp.expand(sp.numer(sp.together(e))) == 0


@dataclass(frozen=True)
class SoftmaxCEDelta:
    """δ_j = ∂E/∂a_j of softmax + cross-entropy for K classes (the MNIST-lab lecture; chapter 12).

    Attributes
    ----------
    K : int
    a, t, y : tuple of sympy.Symbol
        Net inputs a_k, targets t_k (Σ t_k = 1) and output symbols y_k.
    softmax : tuple of sympy.Expr
        y_k = e^{a_k} / Σ_l e^{a_l} in the a's.
    E : sympy.Expr
        −Σ_k t_k ln y_k in the a's and t's.
    derived : tuple of sympy.Expr
        ``sympy.diff(E, a_j)`` for j = 1..K, unsimplified.
    jacobian : sympy.Matrix
        ∂y_k/∂a_j written with the y's: y_k(δ_kj − y_j) (proven from the definition).
    chain : tuple of sympy.Expr
        δ_j by the chain rule Σ_k (∂E/∂y_k)(∂y_k/∂a_j) = y_j Σ_k t_k − t_j.
    delta : tuple of sympy.Expr
        y_j − t_j, after Σ_k t_k = 1.
    verified : bool
        SymPy proved ``derived[j] == softmax[j] − t_j`` for every j when Σ t_k = 1.
    """

    K: int
    a: Tuple[sp.Symbol, ...]
    t: Tuple[sp.Symbol, ...]
    y: Tuple[sp.Symbol, ...]
    softmax: Tuple[sp.Expr, ...]
    E: sp.Expr
    derived: Tuple[sp.Expr, ...]
    jacobian: sp.Matrix
    chain: Tuple[sp.Expr, ...]
    delta: Tuple[sp.Expr, ...]
    verified: bool

    def _repr_latex_(self):
        return ("$$" + r"\delta_j = \frac{\partial E}{\partial a_j} = "
                + sp.latex(sp.Matrix(self.delta).T) + r",\quad K = %d$$" % self.K)


@_per_language
def softmax_ce_delta(K=10) -> SoftmaxCEDelta:
    """Derive δ_j = ∂E/∂a_j = y_j − t_j for E = −Σ_k t_k ln y_k, y = softmax(a), K classes.

    The derivation of the MNIST-lab lecture (求导 δ⁽³⁾, with K = 10 there) for any concrete K,
    for a general target with Σ_k t_k = 1 (one-hot, or a probability vector):

    1. differentiate E(a) directly (``derived``) and prove it equals y_j − t_j;
    2. the softmax Jacobian ∂y_k/∂a_j = y_k(δ_kj − y_j) (``jacobian``, proven);
    3. the chain rule Σ_k (−t_k/y_k) y_k(δ_kj − y_j) = y_j Σ_k t_k − t_j (``chain``);
    4. Σ_k t_k = 1 gives δ_j = y_j − t_j (``delta``).

    SymPy works with u_k = e^{a_k} (so ∂/∂a_j = u_j ∂/∂u_j and everything is a rational
    function); ``derived`` and ``softmax`` are returned in the a's. The case j = 1 and
    the Jacobian entries (1, 1) and (2, 1) are proven by cancelling rational functions;
    every other j (and entry) is proven to be the same expression with the class
    indices permuted, which is exact and much faster than cancelling again.

    Parameters
    ----------
    K : int
        Number of classes, K ≥ 2.

    Returns
    -------
    SoftmaxCEDelta
    """
    K, av, _tv, soft = _softmax_setup(K)
    u = _dot_symbols("u", K, positive=True)
    tv = _dot_symbols("t", K, nonnegative=True)
    yv = _dot_symbols("y", K, positive=True)
    Su = sp.Add(*u)
    soft_u = [uk / Su for uk in u]
    E_u = -sp.Add(*[tk * sp.log(yk) for tk, yk in zip(tv, soft_u)])
    derived_u = [u[j] * sp.diff(E_u, u[j]) for j in range(K)]          # ∂/∂a_j = u_j ∂/∂u_j
    jac_u = [[u[j] * sp.diff(soft_u[k], u[j]) for j in range(K)] for k in range(K)]

    def rational_zero(e):
        return sp.expand(sp.numer(sp.together(e))) == 0

    def permuted(p):                       # class i -> class p[i], for u and t together
        return {**{u[i]: u[p[i]] for i in range(K)}, **{tv[i]: tv[p[i]] for i in range(K)}}

    def swap(j):
        p = list(range(K))
        p[0], p[j] = p[j], p[0]
        return p

    sum_to_one = {tv[-1]: 1 - sp.Add(*tv[:-1])}
    verified = rational_zero((derived_u[0] - (soft_u[0] - tv[0])).xreplace(sum_to_one))
    verified = verified and all(derived_u[j] == derived_u[0].xreplace(permuted(swap(j)))
                                for j in range(1, K))
    verified = verified and rational_zero(jac_u[0][0] - soft_u[0] * (1 - soft_u[0]))
    verified = verified and rational_zero(jac_u[1][0] + soft_u[1] * soft_u[0])
    for k in range(K):
        for j in range(K):
            if k == j:
                same = jac_u[k][j] == jac_u[0][0].xreplace(permuted(swap(j)))
            else:
                p = [j, k] + [i for i in range(K) if i not in (j, k)]
                same = jac_u[k][j] == jac_u[1][0].xreplace(permuted(p))
            verified = verified and same
    J = sp.Matrix(K, K, lambda k, j: yv[k] * (sp.KroneckerDelta(k, j) - yv[j]))
    dE_dy = [-tk / yk for tk, yk in zip(tv, yv)]
    chain = tuple(sp.expand(sum(dE_dy[k] * J[k, j] for k in range(K))) for j in range(K))
    verified = verified and all(sp.expand((c - (yv[j] - tv[j])).xreplace(sum_to_one)) == 0
                                for j, c in enumerate(chain))
    to_a = {uk: sp.exp(ak) for uk, ak in zip(u, av)}
    E = -sp.Add(*[tk * sp.log(yk) for tk, yk in zip(tv, soft)])
    derived = tuple(d.xreplace(to_a) for d in derived_u)
    delta = tuple(yv[j] - tv[j] for j in range(K))
    return SoftmaxCEDelta(K, tuple(av), tuple(tv), tuple(yv), tuple(soft), E, derived, J,
                          chain, delta, bool(verified))


def _sum_kronecker(expr):
    """Σ_k f(k) δ_kj → f(j) (valid for 1 ≤ j ≤ K), wherever such a sum occurs."""
    def collapse(s):
        f, (i, _lo, _hi) = s.function, s.limits[0]
        for d in f.atoms(sp.KroneckerDelta):
            if i in d.free_symbols:
                other = d.args[0] if d.args[1] == i else d.args[1]
                return (f / d).subs(i, other)
        return s
    return expr.replace(lambda e: isinstance(e, sp.Sum) and e.function.has(sp.KroneckerDelta), collapse)


@_per_language
def softmax_ce_delta_general() -> Derivation:
    """The same derivation for a symbolic number of classes K (the structure of the proof).

    With indexed symbols a_k, y_k, t_k, k = 1..K, and the Kronecker delta δ_kj:

    * ∂y_k/∂a_j of y_k = e^{a_k}/Σ_l e^{a_l} by SymPy, then Σ_l e^{a_l} δ_lj = e^{a_j} and
      e^{a_k} = y_k Σ_l e^{a_l} give y_k(δ_kj − y_j);
    * δ_j = Σ_k (−t_k/y_k) y_k(δ_kj − y_j) = −t_j + y_j Σ_k t_k = y_j − t_j.

    SymPy differentiates the symbolic sums; the two collapsing rules are applied
    explicitly (SymPy does not know 1 ≤ j ≤ K). :func:`softmax_ce_delta` proves the same
    for concrete K without them.

    Returns
    -------
    Derivation
    """
    K = sp.Symbol("K", integer=True, positive=True)
    j, k, l = sp.symbols("j k l", integer=True, positive=True)
    A, T, Y = sp.IndexedBase("a"), sp.IndexedBase("t"), sp.IndexedBase("y")
    S = sp.Sum(sp.exp(A[l]), (l, 1, K))
    Ssym = sp.Dummy("S", positive=True)
    yk = sp.exp(A[k]) / S
    raw = sp.diff(yk, A[j])
    collapsed = _sum_kronecker(raw)
    in_y = sp.factor(collapsed.subs(S, Ssym).subs({sp.exp(A[k]): Y[k] * Ssym,
                                                   sp.exp(A[j]): Y[j] * Ssym}))
    jac = Y[k] * (sp.KroneckerDelta(k, j) - Y[j])
    E = -sp.Sum(T[k] * sp.log(Y[k]), (k, 1, K))
    chain = sp.Sum(sp.expand(sp.diff(-T[k] * sp.log(Y[k]), Y[k]) * jac), (k, 1, K))
    collapsed_chain = _sum_kronecker(chain.expand())
    factored = collapsed_chain.replace(lambda s: isinstance(s, sp.Sum), sp.factor_terms)
    result = factored.subs(sp.Sum(T[k], (k, 1, K)), 1)
    delta = sp.Symbol(r"delta_j")
    steps = (
        Step(sp.Symbol("y_k"), yk, "softmax"),
        Step(sp.Derivative(sp.Symbol("y_k"), sp.Symbol("a_j")), raw, "SymPy"),
        Step(sp.Derivative(sp.Symbol("y_k"), sp.Symbol("a_j")), collapsed,
             r"$\sum_l e^{a_l}\delta_{lj} = e^{a_j}$"),
        Step(sp.Derivative(sp.Symbol("y_k"), sp.Symbol("a_j")), in_y, r"$e^{a_k} = y_k \sum_l e^{a_l}$"),
        Step(sp.Symbol("E"), E, _("cross-entropy")),
        Step(delta, chain, _("chain rule")),
        Step(delta, factored, r"$\sum_k t_k\delta_{kj} = t_j$"),
        Step(delta, result, r"$\sum_k t_k = 1$"),
    )
    verified = sp.expand(in_y - jac) == 0 and sp.expand(result - (Y[j] - T[j])) == 0
    return Derivation(_("δ = y − t for softmax and cross-entropy, K classes"), steps, chain,
                      result, bool(verified))


def _case_setup(K, j):
    K, av, S, soft = _softmax_setup(K)
    if not 1 <= j <= K:
        raise ValueError(f"class index j must lie in 1..{K}; got {j}")
    return K, av, S, soft


@_per_language
def softmax_ce_delta_case_k_eq_j(K=10, j=1) -> Derivation:
    """The MNIST-lab lecture, 求导 δ⁽³⁾-1: one-hot t with t_j = 1, the derivative by a_j: δ_j = y_j − 1.

    E_n = −ln y_j; ∂E/∂y_j = −1/y_j; ∂y_j/∂a_j by the quotient rule is
    (e^{a_j} Σ_k e^{a_k} − e^{a_j} e^{a_j}) / (Σ_k e^{a_k})² = y_j − y_j²;
    so δ_j = (−1/y_j)(y_j − y_j²) = y_j − 1.

    Parameters
    ----------
    K : int
        Number of classes (10 in the lecture).
    j : int
        The class of the sample, 1 ≤ j ≤ K.
    """
    K, av, S, soft = _case_setup(K, j)
    yj = sp.Symbol("y_j", positive=True)
    aj = av[j - 1]
    E = -sp.log(soft[j - 1])
    derived = sp.diff(E, aj)
    quotient = sp.diff(soft[j - 1], aj)
    verified = (_is_zero_rational_in_exp(quotient - (soft[j - 1] - soft[j - 1] ** 2), av)
                and _is_zero_rational_in_exp(derived - (soft[j - 1] - 1), av))
    E_sym, y_sym = sp.Symbol("E_n"), sp.Symbol(f"y_{j}")
    steps = (
        Step(E_sym, -sp.log(y_sym), _("one-hot target, {t}").format(t=f"$t_{{{j}}} = 1$")),
        Step(sp.Derivative(E_sym, y_sym), sp.diff(-sp.log(yj), yj).subs(yj, y_sym), r"$(\ln x)' = 1/x$"),
        Step(sp.Derivative(y_sym, aj), quotient, _("quotient rule (SymPy)")),
        Step(sp.Derivative(y_sym, aj), y_sym - y_sym ** 2, _("proven equal")),
        Step(sp.Symbol(f"delta_{j}"), sp.Mul(-1 / y_sym, y_sym - y_sym ** 2, evaluate=False),
             _("chain rule")),
        Step(sp.Symbol(f"delta_{j}"), y_sym - 1, ""),
    )
    return Derivation(_("The MNIST-lab lecture, case k = j (K = {K})").format(K=K), steps, derived, y_sym - 1, bool(verified))


@_per_language
def softmax_ce_delta_case_k_ne_j(K=10, j=1, i=2) -> Derivation:
    """The MNIST-lab lecture, 求导 δ⁽³⁾-2: one-hot t with t_j = 1, the derivative by a_i, i ≠ j: δ_i = y_i.

    E_n = −ln y_j; ∂y_j/∂a_i = (0 · Σ_k e^{a_k} − e^{a_j} e^{a_i}) / (Σ_k e^{a_k})² = −y_j y_i;
    so δ_i = (−1/y_j)(−y_j y_i) = y_i.

    Parameters
    ----------
    K : int
    j : int
        The class of the sample.
    i : int
        Another class, i ≠ j.
    """
    K, av, S, soft = _case_setup(K, j)
    if not 1 <= i <= K or i == j:
        raise ValueError(f"i must lie in 1..{K} and differ from j = {j}; got {i}")
    ai = av[i - 1]
    derived = sp.diff(-sp.log(soft[j - 1]), ai)
    quotient = sp.diff(soft[j - 1], ai)
    verified = (_is_zero_rational_in_exp(quotient + soft[j - 1] * soft[i - 1], av)
                and _is_zero_rational_in_exp(derived - soft[i - 1], av))
    E_sym, yj, yi = sp.Symbol("E_n"), sp.Symbol(f"y_{j}"), sp.Symbol(f"y_{i}")
    steps = (
        Step(E_sym, -sp.log(yj), _("one-hot target, {t}").format(t=f"$t_{{{j}}} = 1$")),
        Step(sp.Derivative(E_sym, yj), -1 / yj, r"$(\ln x)' = 1/x$"),
        Step(sp.Derivative(yj, ai), quotient, _("quotient rule (SymPy)")),
        Step(sp.Derivative(yj, ai), -yj * yi, _("proven equal")),
        Step(sp.Symbol(f"delta_{i}"), sp.Mul(-1 / yj, -yj * yi, evaluate=False), _("chain rule")),
        Step(sp.Symbol(f"delta_{i}"), yi, ""),
    )
    return Derivation(_("The MNIST-lab lecture, case k ≠ j (K = {K})").format(K=K), steps, derived, yi, bool(verified))


@_per_language
def sigmoid_bce_delta() -> Derivation:
    """δ = ∂E/∂a = y − t for a logistic sigmoid output y = σ(a) and binary cross-entropy.

    E = −[t ln y + (1 − t) ln(1 − y)]; ∂E/∂y = (y − t)/(y(1 − y)); ∂y/∂a = y(1 − y).
    """
    t, y = sp.Symbol("t", real=True), sp.Symbol("y", positive=True)
    E_a = -(t * sp.log(1 / (1 + sp.exp(-a))) + (1 - t) * sp.log(1 - 1 / (1 + sp.exp(-a))))
    derived = sp.diff(E_a, a)
    verified = is_zero(derived - (Logistic(a) - t))
    E_y = -(t * sp.log(y) + (1 - t) * sp.log(1 - y))
    dE_dy = sp.factor(sp.together(sp.diff(E_y, y)))
    E_sym, a_sym = sp.Symbol("E"), a
    steps = (
        Step(E_sym, E_y, _("binary cross-entropy")),
        Step(sp.Derivative(E_sym, a_sym), derived, r"SymPy, $y = \sigma(a)$"),
        Step(sp.Derivative(E_sym, y), dE_dy, ""),
        Step(sp.Derivative(y, a_sym), y * (1 - y), r"$\sigma' = \sigma(1 - \sigma)$"),
        Step(sp.Symbol("delta"), sp.Mul(dE_dy, y * (1 - y), evaluate=False), _("chain rule")),
        Step(sp.Symbol("delta"), y - t, ""),
    )
    verified = verified and sp.simplify(dE_dy * y * (1 - y) - (y - t)) == 0
    return Derivation(_("δ = y − t for sigmoid and binary cross-entropy"), steps, derived, y - t,
                      bool(verified))


@_per_language
def identity_sse_delta(K=1) -> Derivation:
    """δ_k = ∂E/∂a_k = y_k − t_k for identity outputs y = a and E = ½ Σ_k (y_k − t_k)².

    Parameters
    ----------
    K : int
        Number of outputs (1: the scalar case E = ½(y − t)²).
    """
    K = int(K)
    if K < 1:
        raise ValueError(f"K must be at least 1; got {K}")
    if K == 1:
        av, tv, yv = (a,), (sp.Symbol("t", real=True),), (sp.Symbol("y", real=True),)
    else:
        av = _dot_symbols("a", K, real=True)
        tv, yv = _dot_symbols("t", K, real=True), _dot_symbols("y", K, real=True)
    E_a = sp.Rational(1, 2) * sp.Add(*[(ak - tk) ** 2 for ak, tk in zip(av, tv)])
    derived = sp.diff(E_a, av[0])
    verified = sp.expand(derived - (av[0] - tv[0])) == 0
    E_sym = sp.Symbol("E")
    E_y = sp.Rational(1, 2) * sp.Add(*[(yk - tk) ** 2 for yk, tk in zip(yv, tv)])
    steps = (
        Step(E_sym, E_y, _("sum of squares")),
        Step(sp.Derivative(E_sym, av[0]), derived, "SymPy, $y = a$"),
        Step(sp.Symbol("delta" if K == 1 else "delta_1"), yv[0] - tv[0], ""),
    )
    return Derivation(_("δ = y − t for identity outputs and the sum of squares"), steps, derived,
                      yv[0] - tv[0], bool(verified))
