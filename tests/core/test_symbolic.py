"""nnbook.symbolic: the SymPy derivations the chapters show (chapters 2, 12, 14)."""

import time

import numpy as np
import pytest
import sympy as sp

from nnbook import activations, losses, symbolic
from nnbook.symbolic import a

pytestmark = pytest.mark.filterwarnings("error")


# --- activation expressions and the derivative table -----------------------------------

@pytest.mark.parametrize("name", symbolic.NAMES)
@pytest.mark.parametrize("order", [1, 2])
def test_sympy_raw_derivative_simplifies_to_the_lecture_form(name, order):
    raw = symbolic.derivative(name, order)
    nice = symbolic.derivative(name, order, form="nice")
    assert symbolic.is_zero(raw - nice)
    assert symbolic.is_zero(symbolic.derivative(name, order, form="simplified") - nice)


def test_derivative_table_has_nine_proven_rows_in_lecture_order():
    rows = symbolic.derivative_table()
    assert [r.name for r in rows] == activations.names()
    assert all(r.proven and r.d2h_proven for r in rows)
    assert all(r.chinese for r in rows)
    sig = rows[0]
    s = symbolic.Logistic(a)
    assert sig.nice == s * (1 - s)                                         # σ(a)(1 − σ(a))
    assert rows[1].nice == 1 - sp.tanh(a) ** 2                              # 1 − tanh²(a)
    assert rows[2].nice == symbolic.Indicator(a > 0)                        # I(a > 0)


def test_sigmoid_raw_derivative_is_not_already_the_lecture_form():
    # the table is worth showing: SymPy's raw answer looks different from the lecture's
    raw = symbolic.derivative("sigmoid")
    assert raw == sp.exp(-a) / (1 + sp.exp(-a)) ** 2
    assert raw != symbolic.nice_derivative("sigmoid")


def test_is_zero_rejects_wrong_lecture_forms():
    assert not symbolic.is_zero(symbolic.derivative("sigmoid") - symbolic.Logistic(a))
    assert not symbolic.is_zero(symbolic.derivative("tanh") - (1 - sp.tanh(a)))
    assert not symbolic.is_zero(symbolic.derivative("relu") - symbolic.Indicator(a >= 0))
    assert not symbolic.is_zero(symbolic.derivative("elu") - symbolic.Indicator(a > 0))


def test_table_renderers_contain_every_activation():
    latex = symbolic.derivative_table_latex()
    assert latex.startswith(r"\begin{array}") and latex.rstrip().endswith(r"\end{array}")
    assert latex.count(r"\\[4pt]") == 9
    md = symbolic.derivative_table_markdown()
    lines = md.splitlines()
    assert len(lines) == 11 and all(line.startswith("|") for line in lines)
    assert "✗" not in md and md.count("✓") == 9
    html = symbolic.derivative_table_html(columns=("h", "dh", "simplified", "nice", "d2h", "d2h_nice"))
    assert html.count("<tr>") == 10
    for title in symbolic.TITLES.values():
        assert title in latex and title in md and title in html
    assert r"\sigma\left(a\right)" in latex and r"\mathbb{I}\left(a > 0\right)" in latex
    with pytest.raises(ValueError, match="unknown columns"):
        symbolic.derivative_table_latex(columns=("h", "h_prime"))


def test_activation_expr_takes_numbers_or_symbols_for_gamma_and_beta():
    assert symbolic.activation_expr("leaky_relu").has(symbolic.gamma)
    assert symbolic.activation_expr("prelu").has(symbolic.gamma_i)
    assert symbolic.activation_expr("swish").has(symbolic.beta)
    e = symbolic.activation_expr("leaky_relu", gamma=0.01)
    assert e.has(sp.Rational(1, 100)) and not e.has(symbolic.gamma)        # 0.01 -> 1/100 exactly
    k = sp.Symbol("k", positive=True)
    assert symbolic.activation_expr("elu", gamma=k).has(k)
    assert isinstance(symbolic.activation_expr("relu"), sp.Piecewise)
    assert symbolic.activation_expr("identity") == a


def test_activation_expr_rejects_bad_names_and_parameters():
    with pytest.raises(ValueError, match="unknown activation"):
        symbolic.activation_expr("softsign")
    with pytest.raises(TypeError, match="relu takes the parameters none"):
        symbolic.activation_expr("relu", gamma=0.1)
    with pytest.raises(TypeError, match="one γ_j at a time"):
        symbolic.activation_expr("prelu", gamma=np.array([0.1, 0.2]))
    with pytest.raises(ValueError, match="order"):
        symbolic.derivative("tanh", 0)
    with pytest.raises(ValueError, match="form"):
        symbolic.derivative("tanh", form="pretty")
    with pytest.raises(ValueError, match="orders 1 and 2"):
        symbolic.derivative("tanh", 3, form="nice")


def test_third_derivative_of_tanh_at_zero_is_minus_two():
    assert sp.simplify(symbolic.derivative("tanh", 3).subs(a, 0)) == -2


def test_parameter_derivatives_of_prelu_and_swish():
    assert symbolic.parameter_derivative("prelu") == sp.Piecewise((0, a > 0), (a, True))
    d = symbolic.parameter_derivative("swish", beta=1)
    assert symbolic.is_zero(d - a ** 2 * symbolic.Logistic(a) * (1 - symbolic.Logistic(a)))
    with pytest.raises(ValueError, match="no parameter"):
        symbolic.parameter_derivative("tanh")


def test_logistic_function_prints_as_sigma_and_rewrites_to_exp():
    s = symbolic.Logistic(a)
    assert sp.latex(s) == r"\sigma\left(a\right)"
    assert sp.diff(s, a) == s * (1 - s)
    assert s.rewrite(sp.exp) == 1 / (1 + sp.exp(-a))
    assert symbolic.Logistic(0) == sp.Rational(1, 2)
    assert float(symbolic.Logistic(sp.Integer(2)).evalf()) == pytest.approx(1 / (1 + np.exp(-2)))


# --- numbers from expressions ---------------------------------------------------------

def test_to_numpy_broadcasts_constants_to_the_input_shape_and_dtype():
    one = symbolic.to_numpy(symbolic.derivative("identity"))
    x32 = np.zeros((3, 2), dtype=np.float32)
    out = one(x32)
    assert out.shape == (3, 2) and out.dtype == np.float32 and np.all(out == 1)
    zero = symbolic.to_numpy(symbolic.derivative("relu", 2))
    assert zero(np.arange(4)).dtype == np.float64 and zero(np.arange(4)).shape == (4,)
    out[0, 0] = 5                                                    # a fresh, writable array
    assert one(x32)[0, 0] == 1


def test_to_numpy_with_two_symbols_and_a_missing_value():
    f = symbolic.to_numpy(symbolic.derivative("elu"), a, symbolic.gamma)
    np.testing.assert_allclose(f(np.array([-1.0, 2.0]), 0.5), [0.5 * np.exp(-1), 1.0])
    with pytest.raises(ValueError, match="gamma"):
        symbolic.to_numpy(symbolic.derivative("elu"))


def test_to_numpy_keeps_float32_for_sigma_and_indicator_forms():
    for name in ("sigmoid", "relu", "swish"):
        f = symbolic.to_numpy(symbolic.nice_derivative(name, beta=1) if name == "swish"
                              else symbolic.nice_derivative(name))
        assert f(np.linspace(-3, 3, 7, dtype=np.float32)).dtype == np.float32


def test_exact_values_do_not_overflow_at_minus_1000():
    v = symbolic.exact_values(symbolic.derivative("sigmoid"), [-1000.0, 0.0, 1000.0])
    np.testing.assert_array_equal(v, [0.0, 0.25, 0.0])
    assert symbolic.exact_values(symbolic.activation_expr("softplus"), [1000.0])[0] == 1000.0


# --- δ = y − t ---------------------------------------------------------------------------

@pytest.mark.parametrize("K", [2, 3, 4, 10])
def test_softmax_cross_entropy_delta_is_y_minus_t_for_K_classes(K):
    d = symbolic.softmax_ce_delta(K)
    assert d.verified and d.K == K
    assert d.delta == tuple(y - t for y, t in zip(d.y, d.t))
    assert d.jacobian.shape == (K, K)
    assert sp.expand(d.chain[0] - (d.y[0] * sum(d.t) - d.t[0])) == 0
    # numbers: the derived δ equals softmax(a) − t for a random a and a probability vector t
    rng = np.random.default_rng(K)
    av, tv = rng.normal(size=K), rng.dirichlet(np.ones(K))
    f = sp.lambdify([d.a, d.t], list(d.derived), "numpy")
    np.testing.assert_allclose(f(av, tv), losses.softmax(av) - tv, rtol=1e-12, atol=1e-14)


def test_softmax_cross_entropy_delta_for_symbolic_K():
    d = symbolic.softmax_ce_delta_general()
    j = sp.Symbol("j", integer=True, positive=True)
    y, t = sp.IndexedBase("y"), sp.IndexedBase("t")
    assert d.verified and sp.expand(d.result - (y[j] - t[j])) == 0
    assert r"\sum_{k=1}^{K}" in d.latex()


@pytest.mark.parametrize("K, j", [(10, 1), (10, 7), (3, 3)])
def test_lecture_004_case_k_equals_j_gives_y_j_minus_1(K, j):
    d = symbolic.softmax_ce_delta_case_k_eq_j(K, j)
    assert d.verified
    assert d.result == sp.Symbol(f"y_{j}") - 1
    assert len(d.steps) >= 5 and d._repr_latex_().startswith("$$\\begin{aligned}")
    av = np.linspace(-1, 2, K)
    f = sp.lambdify([sp.symbols(f"a_1:{K + 1}", real=True)], d.derived, "numpy")
    assert f(av) == pytest.approx(losses.softmax(av)[j - 1] - 1, rel=1e-12)


@pytest.mark.parametrize("K, j, i", [(10, 1, 2), (10, 4, 9), (3, 3, 1)])
def test_lecture_004_case_k_not_j_gives_y_i(K, j, i):
    d = symbolic.softmax_ce_delta_case_k_ne_j(K, j, i)
    assert d.verified
    assert d.result == sp.Symbol(f"y_{i}")
    av = np.linspace(-1, 2, K)
    f = sp.lambdify([sp.symbols(f"a_1:{K + 1}", real=True)], d.derived, "numpy")
    assert f(av) == pytest.approx(losses.softmax(av)[i - 1], rel=1e-12)
    with pytest.raises(ValueError):
        symbolic.softmax_ce_delta_case_k_ne_j(K, j, j)


def test_sigmoid_with_binary_cross_entropy_gives_y_minus_t():
    d = symbolic.sigmoid_bce_delta()
    assert d.verified
    assert d.result == sp.Symbol("y", positive=True) - sp.Symbol("t", real=True)
    assert "binary cross-entropy" in d.markdown()


@pytest.mark.parametrize("K", [1, 3])
def test_identity_with_sum_of_squares_gives_y_minus_t(K):
    d = symbolic.identity_sse_delta(K)
    assert d.verified
    assert str(d.result) in ("-t + y", "-t_1 + y_1")


# --- bounds for vanishing gradients ---------------------------------------------------

def test_sigmoid_derivative_is_at_most_one_quarter_at_zero():
    b = symbolic.sigmoid_derivative_bound()
    assert b.critical_points == (0,) and b.argmax == 0
    assert b.max_value == sp.Rational(1, 4)
    assert b.d3h_at_argmax == sp.Rational(-1, 8)
    assert b.limits == (0, 0)
    assert b.range == sp.Interval.Lopen(0, sp.Rational(1, 4))
    dh = activations.sigmoid().dh(np.linspace(-50, 50, 10001))
    assert dh.max() == 0.25 and np.all(dh <= 0.25)


def test_tanh_derivative_is_at_most_one_at_zero():
    b = symbolic.tanh_derivative_bound()
    assert b.critical_points == (0,) and b.max_value == 1 and b.d3h_at_argmax == -2
    assert b.range == sp.Interval.Lopen(0, 1)
    dh = activations.tanh().dh(np.linspace(-50, 50, 10001))
    assert dh.max() == 1.0 and np.all(dh <= 1.0)


# --- speed: every call under a second of CPU time, with the caches cleared -----------------

def _clear_caches():
    for name in dir(symbolic):
        f = getattr(symbolic, name)
        if hasattr(f, "cache_clear"):
            f.cache_clear()


@pytest.mark.parametrize("call", [
    lambda: symbolic.derivative_table(),
    lambda: symbolic.derivative_table_markdown(),
    lambda: symbolic.softmax_ce_delta(10),
    lambda: symbolic.softmax_ce_delta_general(),
    lambda: symbolic.softmax_ce_delta_case_k_eq_j(10),
    lambda: symbolic.softmax_ce_delta_case_k_ne_j(10),
    lambda: symbolic.sigmoid_bce_delta(),
    lambda: symbolic.identity_sse_delta(3),
    lambda: symbolic.sigmoid_derivative_bound(),
    lambda: symbolic.tanh_derivative_bound(),
], ids=["table", "markdown", "softmax_K10", "softmax_general", "case_k_eq_j", "case_k_ne_j",
        "sigmoid_bce", "identity_sse", "sigmoid_bound", "tanh_bound"])
def test_each_symbolic_call_takes_under_a_second_of_cpu(call):
    _clear_caches()
    t0 = time.process_time()
    call()
    assert time.process_time() - t0 < 1.0
