"""nnbook.gradcheck: finite differences and the comparison helper (chapter 13)."""

import numpy as np
import pytest

from nnbook import gradcheck as G

pytestmark = pytest.mark.filterwarnings("error")

X0 = np.array([0.3, -1.2, 0.7, 2.0])


def f(x):
    """A smooth test function with non-zero second and third derivatives."""
    return float(np.sum(np.sin(x) + 0.5 * x ** 3 + np.exp(0.3 * x)))


def grad_f(x):
    return np.cos(x) + 1.5 * x ** 2 + 0.3 * np.exp(0.3 * x)


def slope_of_error(method, eps_values):
    """Slope of log(max error) against log(ε): the order of the difference formula."""
    errors = [np.max(np.abs(method(f, X0, eps) - grad_f(X0))) for eps in eps_values]
    return np.polyfit(np.log(eps_values), np.log(errors), 1)[0]


def test_forward_difference_error_is_first_order_in_eps():
    # 1e-1 .. 1e-4: truncation error ~ε dominates round-off ~1e-16/ε
    assert slope_of_error(G.forward_difference, np.logspace(-1, -4, 7)) == pytest.approx(1, abs=0.1)


def test_central_difference_error_is_second_order_in_eps():
    # 1e-1 .. 1e-3: truncation error ~ε² dominates round-off ~1e-16/ε
    assert slope_of_error(G.central_difference, np.logspace(-1, -3, 5)) == pytest.approx(2, abs=0.1)


def test_central_difference_beats_forward_difference_at_the_same_eps():
    for eps in (1e-2, 1e-3, 1e-4):
        fwd = np.max(np.abs(G.forward_difference(f, X0, eps) - grad_f(X0)))
        cen = np.max(np.abs(G.central_difference(f, X0, eps) - grad_f(X0)))
        assert cen < fwd / 10


def test_round_off_dominates_for_tiny_eps():
    # the error grows again when ε is so small that f(x + ε) − f(x) loses its digits
    err = [np.max(np.abs(G.central_difference(f, X0, eps) - grad_f(X0))) for eps in (1e-5, 1e-11)]
    assert err[1] > 10 * err[0]


def test_default_steps_give_accurate_gradients():
    np.testing.assert_allclose(G.numerical_gradient(f, X0), grad_f(X0), rtol=1e-9)
    np.testing.assert_allclose(G.numerical_gradient(f, X0, method="forward"), grad_f(X0), rtol=1e-5)
    with pytest.raises(ValueError, match="'central' or 'forward'"):
        G.numerical_gradient(f, X0, method="backward")


def test_differences_keep_the_shape_and_do_not_modify_x():
    x = np.arange(6.0).reshape(2, 3) / 10
    x_before = x.copy()
    for method in (G.forward_difference, G.central_difference):
        g = method(lambda z: float(np.sum(z ** 2)), x, 1e-6)
        assert g.shape == (2, 3)
        np.testing.assert_allclose(g, 2 * x, atol=1e-5)
    np.testing.assert_array_equal(x, x_before)


def test_numerical_jacobian_has_shape_outputs_by_inputs():
    A = np.array([[1.0, 2.0, 0.0], [0.0, -1.0, 3.0]])

    def g(x):
        return np.tanh(A @ x)

    x = np.array([0.1, -0.2, 0.3])
    J = G.numerical_jacobian(g, x)
    assert J.shape == (2, 3)
    exact = (1 - np.tanh(A @ x) ** 2)[:, None] * A                 # J_ki = ∂y_k/∂x_i
    np.testing.assert_allclose(J, exact, rtol=1e-8, atol=1e-10)


def test_relative_error_is_scale_free():
    a = np.array([1.0, 2.0, 3.0])
    assert G.relative_error(a, a) == 0.0
    assert G.relative_error(1e6 * a, 1e6 * (a + 1e-9)) == pytest.approx(G.relative_error(a, a + 1e-9))
    assert G.relative_error(np.zeros(0), np.zeros(0)) == 0.0
    assert G.relative_error(np.zeros(2), np.zeros(2)) == 0.0                 # floor avoids 0/0
    with pytest.raises(ValueError, match="cannot compare shapes"):
        G.relative_error(np.zeros(2), np.zeros(3))


def test_compare_prints_exact_close_and_max_diff():
    c = G.compare("dW1", np.ones(3), np.ones(3) + 1e-12)
    line = repr(c)
    assert line.startswith("dW1") and "exact: False" in line and "close: True" in line
    assert "max diff: 1.00e-12" in line
    assert bool(c) is True and c.shape == (3,)
    exact = G.compare("db", np.arange(3.0), np.arange(3.0))
    assert exact.exact and exact.max_diff == 0.0 and "exact: True" in repr(exact)
    far = G.compare("dW2", np.ones(2), np.ones(2) * 1.1)
    assert not far and "close: False" in repr(far) and far.max_diff == pytest.approx(0.1)
    assert "#cf222e" in far._repr_html_() and "#1a7f37" in c._repr_html_()


def test_compare_float32_against_float64_is_close_not_exact():
    x = np.linspace(0, 1, 7)                        # 1/6 etc. are not float32 numbers
    c = G.compare("y", x.astype(np.float32), x, rtol=1e-6)
    assert c.close and not c.exact


def test_compare_rejects_different_shapes_naming_the_quantity():
    with pytest.raises(ValueError, match=r"dW: shape \(2,\) differs from the reference shape \(3,\)"):
        G.compare("dW", np.zeros(2), np.zeros(3))


def test_relative_error_ignores_round_off_in_entries_that_are_zero_at_the_arrays_scale():
    from nnbook.gradcheck import relative_error

    assert relative_error([1.0, 0.0], [1.0, 1e-17]) < 1e-8
    assert relative_error([1.0, 0.0], [1.0, 1e-3]) > 0.99       # a real error is still seen
