"""The numpy activations of nnbook.activations against their SymPy derivations (chapter 2).

The reference values are SymPy's derivatives of the ECNU lecture's definitions, evaluated by
mpmath at 50 digits (nnbook.symbolic.exact_values), so they are exact to float64 at
every point of the grid, also at a = ±1000 where the textbook formulas overflow.
"""

import numpy as np
import pytest

from nnbook import activations, symbolic

pytestmark = pytest.mark.filterwarnings("error")          # an overflow warning fails a test

#: The edge points of the brief: the kink, both sides of it, and saturation.
EDGE = np.array([-1000.0, -20.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 20.0, 1000.0])
GRID = np.concatenate([EDGE, np.linspace(-6, 6, 25), [-709.0, -37.0, -3e-4, 3e-4, 37.0, 709.0]])

#: (name, numpy parameters): the numpy defaults and non-default γ / β.
CASES = [
    ("sigmoid", {}), ("tanh", {}), ("relu", {}),
    ("leaky_relu", {}), ("leaky_relu", {"gamma": 0.2}), ("leaky_relu", {"gamma": 1.5}),
    ("prelu", {}), ("prelu", {"gamma": 0.05}),
    ("elu", {}), ("elu", {"gamma": 0.5}), ("elu", {"gamma": 2.0}),
    ("softplus", {}),
    ("swish", {}), ("swish", {"beta": 0.5}), ("swish", {"beta": 2.0}),
    ("identity", {}),
]
IDS = [name + "".join(f"-{k}={v}" for k, v in p.items()) for name, p in CASES]

TOL = {np.float64: dict(rtol=1e-12, atol=4 * np.finfo(np.float64).eps),
       np.float32: dict(rtol=2e-6, atol=8 * np.finfo(np.float32).eps)}


def assert_close_to_exact(got, exact, a, rtol, atol, msg=""):
    """|got − exact| ≤ rtol |exact| + atol max(1, |a|).

    The absolute part grows with |a| because formulas such as swish'' = 2σ' + βaσ'(1 − 2σ)
    multiply the round-off of σ' (about eps, where 1 − σ(a) cancels) by a.
    """
    got, exact, a = (np.asarray(x, dtype=np.float64) for x in (got, exact, a))
    bound = rtol * np.abs(exact) + atol * np.maximum(1, np.abs(a))
    bad = np.abs(got - exact) > bound
    assert not bad.any(), (f"{msg}: at a = {a[bad]} got {got[bad]}, exact {exact[bad]}, "
                           f"error {np.abs(got - exact)[bad]} > {bound[bad]}")


def sympy_params(act):
    """The hyper-parameters of a numpy activation as scalars for nnbook.symbolic."""
    return {k: float(np.ravel(v)[0]) for k, v in act.params.items()}


def numpy_function(act, order):
    return {0: act.h, 1: act.dh, 2: act.d2h}[order]


def sympy_expr(name, order, params):
    if order == 0:
        return symbolic.activation_expr(name, **params)
    return symbolic.derivative(name, order, **params)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
@pytest.mark.parametrize("order", [0, 1, 2], ids=["h", "dh", "d2h"])
@pytest.mark.parametrize("name, params", CASES, ids=IDS)
def test_activation_and_derivatives_match_sympy_on_edge_grid(name, params, order, dtype):
    act = activations.get(name, **params)
    assert act.has_second_derivative
    a = GRID.astype(dtype)
    exact = symbolic.exact_values(sympy_expr(name, order, sympy_params(act)), a.astype(np.float64))
    got = numpy_function(act, order)(a)
    assert got.dtype == dtype and got.shape == a.shape
    assert_close_to_exact(got, exact, a, **TOL[dtype],
                          msg=f"{name} {params} order {order} {np.dtype(dtype).name}")


@pytest.mark.parametrize("name", activations.names())
def test_no_overflow_or_invalid_at_plus_minus_1000(name):
    act = activations.get(name)
    a = np.array([[-1000.0, -745.0, 0.0, 745.0, 1000.0]])
    with np.errstate(over="raise", invalid="raise", divide="raise"):
        for f in (act.h, act.dh, act.d2h):
            for dtype in (np.float64, np.float32):
                out = f(a.astype(dtype))
                assert np.all(np.isfinite(out))


@pytest.mark.parametrize("name", activations.names())
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_float_inputs_keep_their_dtype_and_shape(name, dtype):
    act = activations.get(name)
    a = np.linspace(-3, 3, 12).reshape(4, 3).astype(dtype)
    for f in (act.h, act.dh, act.d2h):
        out = f(a)
        assert out.dtype == dtype and out.shape == (4, 3)


@pytest.mark.parametrize("name", activations.names())
def test_integer_inputs_give_float64(name):
    act = activations.get(name)
    for f in (act.h, act.dh, act.d2h):
        assert f(np.array([-2, 0, 3])).dtype == np.float64


def test_relu_derivative_at_zero_is_zero_in_numpy_and_sympy():
    assert activations.relu().dh(np.array([0.0]))[0] == 0.0
    assert symbolic.derivative("relu").subs(symbolic.a, 0) == 0
    assert symbolic.nice_derivative("relu").subs(symbolic.a, 0) == 0


@pytest.mark.parametrize("name, gamma", [("leaky_relu", 0.2), ("prelu", 0.3), ("elu", 0.5)])
def test_kink_derivative_at_zero_is_the_left_branch_gamma(name, gamma):
    # the ECNU lecture: I(x > 0) + I(x ≤ 0)·(...), so at a = 0 the a ≤ 0 branch holds
    assert activations.get(name, gamma=gamma).dh(np.array([0.0]))[0] == pytest.approx(gamma)
    assert symbolic.derivative(name, gamma=gamma).subs(symbolic.a, 0) == symbolic.expressions._sympify_param(gamma)


def test_lecture_relu_with_x_ge_0_case_is_the_same_function():
    import sympy as sp
    a = symbolic.a
    lecture = sp.Piecewise((a, a >= 0), (0, True))         # the ECNU lecture writes x ≥ 0
    assert symbolic.is_zero(lecture - symbolic.activation_expr("relu"))


@pytest.mark.parametrize("name", activations.names())
def test_sympy_to_numpy_derivatives_match_numpy_activations(name):
    act = activations.get(name)
    a = np.linspace(-30, 30, 301)
    p = sympy_params(act)
    for order, f in ((1, act.dh), (2, act.d2h)):
        for form in ("raw", "nice"):
            g = symbolic.to_numpy(symbolic.derivative(name, order, form=form, **p))
            np.testing.assert_allclose(g(a), f(a), rtol=1e-10, atol=1e-13,
                                       err_msg=f"{name} order {order} {form}")


def test_names_are_the_nine_of_the_lecture_in_table_order():
    assert activations.names() == list(symbolic.NAMES)
    assert len(activations.names()) == 9


def test_get_rejects_unknown_names_and_passes_activations_through():
    with pytest.raises(ValueError, match="unknown activation"):
        activations.get("softsign")
    with pytest.raises(TypeError):
        activations.get(3)
    act = activations.tanh()
    assert activations.get(act) is act
    assert activations.get("Leaky-ReLU", gamma=0.3).params == {"gamma": 0.3}


def test_activation_call_is_h():
    act = activations.sigmoid()
    a = np.array([-1.0, 0.0, 2.0])
    np.testing.assert_array_equal(act(a), act.h(a))


def test_sigmoid_and_tanh_are_odd_symmetric_as_the_lecture_uses():
    a = np.linspace(-50, 50, 101)
    s, t = activations.sigmoid(), activations.tanh()
    np.testing.assert_allclose(s.h(-a), 1 - s.h(a), atol=1e-16)
    np.testing.assert_allclose(t.h(-a), -t.h(a), atol=0)
    np.testing.assert_allclose(2 * s.h(2 * a) - 1, t.h(a), atol=1e-15)     # tanh = 2σ(2a) − 1


# --- PReLU: one γ_j per unit ---------------------------------------------------------

PRELU_GAMMA = np.array([0.05, 0.25, 1.5])


@pytest.mark.parametrize("order", [0, 1, 2], ids=["h", "dh", "d2h"])
def test_prelu_with_one_gamma_per_unit_matches_sympy_column_by_column(order):
    act = activations.PReLU(PRELU_GAMMA)
    A = np.repeat(GRID[:, None], 3, axis=1)                       # (N, n_l) with n_l = 3
    got = numpy_function(act, order)(A)
    assert got.shape == A.shape
    for j, g in enumerate(PRELU_GAMMA):
        exact = symbolic.exact_values(sympy_expr("prelu", order, {"gamma": float(g)}), GRID)
        assert_close_to_exact(got[:, j], exact, GRID, **TOL[np.float64], msg=f"prelu γ = {g}")


def test_prelu_dh_dgamma_matches_sympy_parameter_derivative():
    act = activations.PReLU(PRELU_GAMMA)
    A = np.repeat(GRID[:, None], 3, axis=1)
    exact = symbolic.exact_values(symbolic.parameter_derivative("prelu"), GRID)
    np.testing.assert_allclose(act.dh_dgamma(A), np.repeat(exact[:, None], 3, axis=1), rtol=1e-15)


def test_prelu_grad_gamma_matches_central_differences():
    from nnbook.gradcheck import central_difference
    rng = np.random.default_rng(3)
    A = rng.normal(size=(7, 3))
    A[np.abs(A) < 1e-3] = 0.5                         # away from the kink
    C = rng.normal(size=(7, 3))                       # E = Σ c_nj h(a_nj; γ_j), so ∂E/∂z = C

    def E(g):
        return float(np.sum(C * activations.PReLU(g).h(A)))

    got = activations.PReLU(PRELU_GAMMA).grad_gamma(A, C)
    assert got.shape == (3,)
    np.testing.assert_allclose(got, central_difference(E, PRELU_GAMMA), rtol=1e-8, atol=1e-10)


def test_prelu_float32_keeps_float32():
    act = activations.PReLU(PRELU_GAMMA)
    A = np.ones((2, 3), dtype=np.float32) * np.array([-1, 0, 1], dtype=np.float32)
    for f in (act.h, act.dh, act.d2h, act.dh_dgamma):
        assert f(A).dtype == np.float32
