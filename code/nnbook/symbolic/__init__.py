"""Symbolic derivations with SymPy (chapters 2, 12 and 14): every formula the book uses, derived.

The book derives every formula it then uses numerically. This subpackage does the
derivations with SymPy, so that a chapter can *show* them (every result is a SymPy
expression, rendered as LaTeX in a notebook) and a test can *check* the numpy code of
:mod:`nnbook.activations` and :mod:`nnbook.losses` against them. One module per job;
pages import the names from here (``from nnbook import symbolic``):

============  ========  ===================================================================
module        chapter   question it answers
============  ========  ===================================================================
functions     2         how are σ and the indicator I written so that SymPy's results read
                        like the ECNU lecture's? (the symbols ``a``, γ, γ_i, β;
                        :class:`Logistic`, :class:`Indicator`)
expressions   2         what are the nine activations and their derivatives of any order?
                        (:func:`activation_expr`, :func:`derivative`,
                        :func:`nice_derivative`, :func:`parameter_derivative`)
proofs        2         does a derived expression equal the lecture's form? (:func:`is_zero`)
table         2         the ECNU lecture's table 常见激活函数及其导数, derived and proven
                        (:func:`derivative_table` and its LaTeX, Markdown, HTML renderers)
numeric       2         how does a formula become numbers? (:func:`to_numpy`; the
                        high-precision reference :func:`exact_values`)
deltas        12        why is δ = ∂E/∂a = y − t for the canonical output/error pairs?
                        (the MNIST-lab lecture, 求导 δ⁽³⁾: :func:`softmax_ce_delta` and the others)
bounds        14        how large can σ' and tanh' be? (σ' ≤ 1/4, tanh' ≤ 1; the ECNU lecture,
                        梯度消失问题)
============  ========  ===================================================================

Every public function is cached (:func:`functools.lru_cache`) and takes well under a
second; SymPy expressions are immutable, so sharing them is safe.
"""

from __future__ import annotations

from .bounds import DerivativeBound, sigmoid_derivative_bound, tanh_derivative_bound
from .deltas import (
                     Derivation,
                     SoftmaxCEDelta,
                     Step,
                     identity_sse_delta,
                     sigmoid_bce_delta,
                     softmax_ce_delta,
                     softmax_ce_delta_case_k_eq_j,
                     softmax_ce_delta_case_k_ne_j,
                     softmax_ce_delta_general,
)
from .expressions import NAMES, activation_expr, derivative, nice_derivative, parameter_derivative
from .functions import Indicator, Logistic, a, beta, gamma, gamma_i
from .numeric import exact_values, to_numpy
from .proofs import is_zero
from .table import (
                     TITLES,
                     DerivativeRow,
                     derivative_table,
                     derivative_table_html,
                     derivative_table_latex,
                     derivative_table_markdown,
)

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
