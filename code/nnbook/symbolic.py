"""Symbolic derivations with SymPy (chapters 2, 12 and 14).

The book derives every formula it then uses numerically. This module does the
derivations with SymPy, so that a chapter can *show* them (every result is a SymPy
expression, rendered as LaTeX in a notebook) and a test can *check* the numpy code of
:mod:`nnbook.activations` and :mod:`nnbook.losses` against them.

What is here
------------
* :func:`activation_expr`, :func:`derivative`, :func:`parameter_derivative` -- the nine
  activation functions of lecture 002 (常见激活函数) in the variable ``a`` and their
  derivatives of any order;
* :func:`derivative_table` and its renderers :func:`derivative_table_latex`,
  :func:`derivative_table_markdown`, :func:`derivative_table_html` -- lecture 002's
  table 常见激活函数及其导数, derived: SymPy's raw derivative, its simplification, the
  lecture's form (σ(a)(1 − σ(a)), 1 − tanh²(a), I(a > 0), ...) and the proof that
  ``simplify(raw − nice) == 0``;
* :func:`softmax_ce_delta`, :func:`softmax_ce_delta_general`,
  :func:`softmax_ce_delta_case_k_eq_j`, :func:`softmax_ce_delta_case_k_ne_j`,
  :func:`sigmoid_bce_delta`, :func:`identity_sse_delta` -- the output delta
  δ = ∂E/∂a = y − t of the three canonical output/error pairs (lecture 004, 求导 δ⁽³⁾);
* :func:`sigmoid_derivative_bound`, :func:`tanh_derivative_bound` -- σ' ≤ 1/4 and
  tanh' ≤ 1 (lecture 002, 梯度消失问题);
* :func:`to_numpy` and :func:`exact_values` -- turn an expression into a numpy function,
  or evaluate it at high precision with mpmath (the reference of the tests).

Conventions
-----------
The variable is the net input ``a`` (lecture 000; lecture 002 writes x). ReLU-like
functions are :class:`sympy.Piecewise` with the condition ``a > 0`` first, so the
derivative at the kink a = 0 is the one of the ``a ≤ 0`` branch: ReLU'(0) = 0,
LeakyReLU'(0) = PReLU'(0) = γ, ELU'(0) = γ. This is lecture 002's I(x > 0) and the
convention of :mod:`nnbook.activations` (and of PyTorch). Lecture 002 defines ReLU with
the case x ≥ 0; the *value* is the same at 0, only the derivative needs a choice.

The hyper-parameters are the symbols ``gamma`` (γ of LeakyReLU and ELU), ``gamma_i``
(γ_i, the per-unit slope of PReLU) and ``beta`` (β of swish), all positive; pass a
number instead (``activation_expr("elu", gamma=0.5)``) to get a concrete function.
A float is turned into the exact decimal fraction it was written as (0.01 -> 1/100).

Every public function is cached (:func:`functools.lru_cache`) and takes well under a
second; SymPy expressions are immutable, so sharing them is safe.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from numbers import Number
from typing import Callable, List, NamedTuple, Tuple

import numpy as np
import sympy as sp

__all__ = [
    "a", "gamma", "gamma_i", "beta",
    "Logistic", "Indicator",
    "NAMES", "activation_expr", "derivative", "parameter_derivative", "nice_derivative",
    "DerivativeRow", "TITLES", "derivative_table",
    "derivative_table_latex", "derivative_table_markdown", "derivative_table_html",
    "to_numpy", "exact_values", "is_zero",
    "Step", "Derivation", "SoftmaxCEDelta",
    "softmax_ce_delta", "softmax_ce_delta_general",
    "softmax_ce_delta_case_k_eq_j", "softmax_ce_delta_case_k_ne_j",
    "sigmoid_bce_delta", "identity_sse_delta",
    "DerivativeBound", "sigmoid_derivative_bound", "tanh_derivative_bound",
]

#: The net input of a unit (lecture 000's a_j; lecture 002's x).
a = sp.Symbol("a", real=True)
#: γ of LeakyReLU and ELU (lecture 002).
gamma = sp.Symbol("gamma", positive=True)
#: γ_i, the learnable slope of unit i of a PReLU layer (lecture 002).
gamma_i = sp.Symbol("gamma_i", positive=True)
#: β of swish(a) = a σ(βa) (lecture 002).
beta = sp.Symbol("beta", positive=True)


# --- two named functions for the lecture's forms ---------------------------------------

class Logistic(sp.Function):
    """The logistic sigmoid σ(x) = 1/(1 + e^{−x}) as a named SymPy function.

    It prints as σ(x) (so a derivative can be shown as σ(a)(1 − σ(a)), as in lecture
    002's table), differentiates to σ(1 − σ), rewrites to ``1/(1 + exp(-x))`` with
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
    """The indicator I(condition) of lecture 002's table: 1 where it holds, 0 elsewhere.

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


# --- the activation functions of lecture 002 --------------------------------------------

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
    """The activation h(a) as written in lecture 002 (常见激活函数), in the symbol ``a``.

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
    """The derivative in the lecture's form (lecture 002's table; orders 1 and 2).

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


# --- proving equalities ---------------------------------------------------------------

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


# --- the derivative table of lecture 002 ------------------------------------------------

class DerivativeRow(NamedTuple):
    """One row of :func:`derivative_table` (lecture 002: 常见激活函数及其导数).

    Attributes
    ----------
    name : str
    h : sympy.Expr
        h(a) as in lecture 002.
    dh : sympy.Expr
        h'(a) as ``sympy.diff`` returns it.
    simplified : sympy.Expr
        ``sympy.simplify(dh)``.
    nice : sympy.Expr
        The lecture's form of h'(a).
    proven : bool
        ``simplify(dh − nice) == 0``.
    d2h, d2h_nice : sympy.Expr
        h''(a) raw and in the lecture's style.
    d2h_proven : bool
        ``simplify(d2h − d2h_nice) == 0``.
    chinese : str
        The lecture's Chinese name.
    """

    name: str
    h: sp.Expr
    dh: sp.Expr
    simplified: sp.Expr
    nice: sp.Expr
    proven: bool
    d2h: sp.Expr
    d2h_nice: sp.Expr
    d2h_proven: bool
    chinese: str


#: Display names of the rows (lecture 002's spelling).
TITLES = {"sigmoid": "Logistic (sigmoid)", "tanh": "Tanh", "relu": "ReLU",
          "leaky_relu": "LeakyReLU", "prelu": "PReLU", "elu": "ELU", "softplus": "SoftPlus",
          "swish": "Swish", "identity": "Identity"}


@functools.lru_cache(maxsize=None)
def _row(key, params):
    from . import activations
    chinese = activations.get(key).chinese
    dh, nice = _derivative(key, 1, params), _nice(key, 1, params)
    d2h, d2h_nice = _derivative(key, 2, params), _nice(key, 2, params)
    return DerivativeRow(key, _activation(key, params), dh, _simplified(key, 1, params), nice,
                         is_zero(dh - nice), d2h, d2h_nice, is_zero(d2h - d2h_nice), chinese)


def derivative_table(names=NAMES) -> List[DerivativeRow]:
    """Lecture 002's table of activations and derivatives, derived and proven by SymPy.

    Parameters
    ----------
    names : sequence of str
        Which rows (default all nine, with symbolic γ, γ_i, β).

    Returns
    -------
    list of :class:`DerivativeRow`; every ``proven`` and ``d2h_proven`` is True.
    """
    return [_row(k, _params(k, {})) for k in map(_key, names)]


_COLUMNS = {"h": r"h(a)", "dh": r"h'(a)\ \text{(SymPy)}", "simplified": r"h'(a)\ \text{(simplified)}",
            "nice": r"h'(a)", "d2h": r"h''(a)\ \text{(SymPy)}", "d2h_nice": r"h''(a)"}


def _check_columns(columns):
    bad = [c for c in columns if c not in _COLUMNS]
    if bad:
        raise ValueError(f"unknown columns {bad}; choose from {list(_COLUMNS)}")
    return columns


def derivative_table_latex(columns=("h", "nice", "d2h_nice"), names=NAMES) -> str:
    """The derivative table as one LaTeX ``array`` (for ``IPython.display.Math``).

    Parameters
    ----------
    columns : sequence of {"h", "dh", "simplified", "nice", "d2h", "d2h_nice"}
    names : sequence of str

    Returns
    -------
    str, without surrounding ``$$``.
    """
    columns = _check_columns(tuple(columns))
    head = " & ".join([r"\text{activation}"] + [_COLUMNS[c] for c in columns])
    lines = [r"\begin{array}{l" + "l" * len(columns) + "}", head + r" \\ \hline"]
    for row in derivative_table(names):
        cells = [r"\text{%s}" % TITLES[row.name]] + [sp.latex(getattr(row, c)) for c in columns]
        lines.append(" & ".join(cells) + r" \\[4pt]")
    lines.append(r"\end{array}")
    return "\n".join(lines)


def derivative_table_markdown(columns=("h", "nice", "d2h_nice"), names=NAMES, chinese=True) -> str:
    """The derivative table as a Markdown table with ``$...$`` math (MyST dollarmath).

    One column per entry of ``columns`` (see :func:`derivative_table_latex`), plus the
    lecture's Chinese name if ``chinese`` and a ✓ column saying that ``simplify(raw −
    nice) == 0`` was proven for h' and h''.
    """
    columns = _check_columns(tuple(columns))
    head = ["activation"] + (["讲义名称"] if chinese else []) + [f"${_COLUMNS[c]}$" for c in columns]
    head.append("proven")
    lines = ["| " + " | ".join(head) + " |", "|" + "---|" * len(head)]
    for row in derivative_table(names):
        cells = [TITLES[row.name]] + ([row.chinese] if chinese else [])
        cells += [f"${sp.latex(getattr(row, c))}$" for c in columns]
        cells.append("✓" if row.proven and row.d2h_proven else "✗")
        lines.append("| " + " | ".join(cells) + " |")
    return "\n".join(lines)


def derivative_table_html(columns=("h", "nice", "d2h_nice"), names=NAMES, chinese=True) -> str:
    r"""The derivative table as an HTML ``<table>`` with ``\(...\)`` math (for MathJax)."""
    import html
    columns = _check_columns(tuple(columns))
    head = ["activation"] + (["讲义名称"] if chinese else []) + [rf"\({_COLUMNS[c]}\)" for c in columns]
    head.append("proven")
    out = ["<table class='nnbook-derivative-table'>",
           "<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    for row in derivative_table(names):
        cells = [TITLES[row.name]] + ([row.chinese] if chinese else [])
        cells += [rf"\({html.escape(sp.latex(getattr(row, c)))}\)" for c in columns]
        cells.append("✓" if row.proven and row.d2h_proven else "✗")
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)


# --- numbers from expressions ---------------------------------------------------------

def _np_indicator(cond):
    return np.asarray(cond, dtype=np.float64)


def _np_logistic(x):
    from .activations import sigmoid
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


# --- derivations shown step by step ---------------------------------------------------

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
    """δ_j = ∂E/∂a_j of softmax + cross-entropy for K classes (lecture 004; chapter 12).

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


@functools.lru_cache(maxsize=None)
def softmax_ce_delta(K=10) -> SoftmaxCEDelta:
    """Derive δ_j = ∂E/∂a_j = y_j − t_j for E = −Σ_k t_k ln y_k, y = softmax(a), K classes.

    The derivation of lecture 004 (求导 δ⁽³⁾, with K = 10 there) for any concrete K,
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
    K, av, _, soft = _softmax_setup(K)
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
        f, (i, _, _) = s.function, s.limits[0]
        for d in f.atoms(sp.KroneckerDelta):
            if i in d.free_symbols:
                other = d.args[0] if d.args[1] == i else d.args[1]
                return (f / d).subs(i, other)
        return s
    return expr.replace(lambda e: isinstance(e, sp.Sum) and e.function.has(sp.KroneckerDelta), collapse)


@functools.lru_cache(maxsize=None)
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
        Step(sp.Symbol("E"), E, "cross-entropy"),
        Step(delta, chain, "chain rule"),
        Step(delta, factored, r"$\sum_k t_k\delta_{kj} = t_j$"),
        Step(delta, result, r"$\sum_k t_k = 1$"),
    )
    verified = sp.expand(in_y - jac) == 0 and sp.expand(result - (Y[j] - T[j])) == 0
    return Derivation("δ = y − t for softmax and cross-entropy, K classes", steps, chain,
                      result, bool(verified))


def _case_setup(K, j):
    K, av, S, soft = _softmax_setup(K)
    if not 1 <= j <= K:
        raise ValueError(f"class index j must lie in 1..{K}; got {j}")
    return K, av, S, soft


@functools.lru_cache(maxsize=None)
def softmax_ce_delta_case_k_eq_j(K=10, j=1) -> Derivation:
    """Lecture 004, 求导 δ⁽³⁾-1: one-hot t with t_j = 1, the derivative by a_j: δ_j = y_j − 1.

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
        Step(E_sym, -sp.log(y_sym), f"one-hot target, $t_{{{j}}} = 1$"),
        Step(sp.Derivative(E_sym, y_sym), sp.diff(-sp.log(yj), yj).subs(yj, y_sym), r"$(\ln x)' = 1/x$"),
        Step(sp.Derivative(y_sym, aj), quotient, "quotient rule (SymPy)"),
        Step(sp.Derivative(y_sym, aj), y_sym - y_sym ** 2, "proven equal"),
        Step(sp.Symbol(f"delta_{j}"), sp.Mul(-1 / y_sym, y_sym - y_sym ** 2, evaluate=False),
             "chain rule"),
        Step(sp.Symbol(f"delta_{j}"), y_sym - 1, ""),
    )
    return Derivation(f"Lecture 004, case k = j (K = {K})", steps, derived, y_sym - 1, bool(verified))


@functools.lru_cache(maxsize=None)
def softmax_ce_delta_case_k_ne_j(K=10, j=1, i=2) -> Derivation:
    """Lecture 004, 求导 δ⁽³⁾-2: one-hot t with t_j = 1, the derivative by a_i, i ≠ j: δ_i = y_i.

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
        Step(E_sym, -sp.log(yj), f"one-hot target, $t_{{{j}}} = 1$"),
        Step(sp.Derivative(E_sym, yj), -1 / yj, r"$(\ln x)' = 1/x$"),
        Step(sp.Derivative(yj, ai), quotient, "quotient rule (SymPy)"),
        Step(sp.Derivative(yj, ai), -yj * yi, "proven equal"),
        Step(sp.Symbol(f"delta_{i}"), sp.Mul(-1 / yj, -yj * yi, evaluate=False), "chain rule"),
        Step(sp.Symbol(f"delta_{i}"), yi, ""),
    )
    return Derivation(f"Lecture 004, case k ≠ j (K = {K})", steps, derived, yi, bool(verified))


@functools.lru_cache(maxsize=None)
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
        Step(E_sym, E_y, "binary cross-entropy"),
        Step(sp.Derivative(E_sym, a_sym), derived, r"SymPy, $y = \sigma(a)$"),
        Step(sp.Derivative(E_sym, y), dE_dy, ""),
        Step(sp.Derivative(y, a_sym), y * (1 - y), r"$\sigma' = \sigma(1 - \sigma)$"),
        Step(sp.Symbol("delta"), sp.Mul(dE_dy, y * (1 - y), evaluate=False), "chain rule"),
        Step(sp.Symbol("delta"), y - t, ""),
    )
    verified = verified and sp.simplify(dE_dy * y * (1 - y) - (y - t)) == 0
    return Derivation("δ = y − t for sigmoid and binary cross-entropy", steps, derived, y - t,
                      bool(verified))


@functools.lru_cache(maxsize=None)
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
        Step(E_sym, E_y, "sum of squares"),
        Step(sp.Derivative(E_sym, av[0]), derived, "SymPy, $y = a$"),
        Step(sp.Symbol("delta" if K == 1 else "delta_1"), yv[0] - tv[0], ""),
    )
    return Derivation("δ = y − t for identity outputs and the sum of squares", steps, derived,
                      yv[0] - tv[0], bool(verified))


# --- bounds of the derivative (vanishing gradients) --------------------------------------

@dataclass(frozen=True)
class DerivativeBound:
    """max_a h'(a), derived: solve h''(a) = 0, evaluate h' there and at ±∞ (chapter 14).

    Attributes
    ----------
    name : str
    dh, d2h : sympy.Expr
        h' and h'' (raw SymPy derivatives of lecture 002's definition).
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
    """max σ'(a) = σ'(0) = 1/4, so σ'(a) ∈ (0, 1/4] (lecture 002, 梯度消失问题).

    σ''(a) = 0 has the one real solution a = 0, σ'''(0) = −1/8 < 0, σ'(±∞) = 0.
    """
    return _bound("sigmoid")


@functools.lru_cache(maxsize=None)
def tanh_derivative_bound() -> DerivativeBound:
    """max tanh'(a) = tanh'(0) = 1, so tanh'(a) ∈ (0, 1] (lecture 002, 梯度消失问题).

    tanh''(a) = 0 has the one real solution a = 0, tanh'''(0) = −2 < 0, tanh'(±∞) = 0.
    """
    return _bound("tanh")
