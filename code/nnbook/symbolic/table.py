"""Chapter 2: does the ECNU lecture's table of activations and their derivatives (常见激活函数及其导数) hold, row by row?

:func:`derivative_table` gives one :class:`DerivativeRow` per activation: h, SymPy's raw
h', its simplification, the lecture's form and the proof that they are equal, and the
same for h''. :func:`derivative_table_latex`, :func:`derivative_table_markdown` and
:func:`derivative_table_html` render it.
"""

from __future__ import annotations

import functools
from typing import List, NamedTuple

import sympy as sp

from ..i18n import _
from .expressions import NAMES, _activation, _derivative, _key, _nice, _params, _simplified
from .proofs import is_zero

__all__ = ["DerivativeRow", "TITLES", "derivative_table", "derivative_table_latex",
           "derivative_table_markdown", "derivative_table_html"]

class DerivativeRow(NamedTuple):
    """One row of :func:`derivative_table` (the ECNU lecture: 常见激活函数及其导数).

    Attributes
    ----------
    name : str
    h : sympy.Expr
        h(a) as in the ECNU lecture.
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


#: Display names of the rows (the ECNU lecture's spelling).
TITLES = {"sigmoid": "Logistic (sigmoid)", "tanh": "Tanh", "relu": "ReLU",
          "leaky_relu": "LeakyReLU", "prelu": "PReLU", "elu": "ELU", "softplus": "SoftPlus",
          "swish": "Swish", "identity": "Identity"}


@functools.lru_cache(maxsize=None)
def _row(key, params):
    from .. import activations
    chinese = activations.get(key).chinese
    dh, nice = _derivative(key, 1, params), _nice(key, 1, params)
    d2h, d2h_nice = _derivative(key, 2, params), _nice(key, 2, params)
    return DerivativeRow(key, _activation(key, params), dh, _simplified(key, 1, params), nice,
                         is_zero(dh - nice), d2h, d2h_nice, is_zero(d2h - d2h_nice), chinese)


def derivative_table(names=NAMES) -> List[DerivativeRow]:
    """The ECNU lecture's table of activations and derivatives, derived and proven by SymPy.

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
    head = " & ".join([r"\text{%s}" % _("activation")] + [_COLUMNS[c] for c in columns])
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
    head = [_("activation")] + (["讲义名称"] if chinese else []) + [f"${_COLUMNS[c]}$" for c in columns]
    head.append(_("proven"))
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
    head = [_("activation")] + (["讲义名称"] if chinese else []) + [rf"\({_COLUMNS[c]}\)" for c in columns]
    head.append(_("proven"))
    out = ["<table class='nnbook-derivative-table'>",
           "<tr>" + "".join(f"<th>{h}</th>" for h in head) + "</tr>"]
    for row in derivative_table(names):
        cells = [TITLES[row.name]] + ([row.chinese] if chinese else [])
        cells += [rf"\({html.escape(sp.latex(getattr(row, c)))}\)" for c in columns]
        cells.append("✓" if row.proven and row.d2h_proven else "✗")
        out.append("<tr>" + "".join(f"<td>{c}</td>" for c in cells) + "</tr>")
    out.append("</table>")
    return "\n".join(out)
