"""Tests of nnbook.surface: the local quadratic approximation and the two-parameter model (chapters 6, 7)."""

import numpy as np
import pytest
import sympy as sp

from nnbook import surface as S
from nnbook.page.plotting import loglog_slope


@pytest.fixture(scope="module")
def model():
    return S.two_parameter_model()


def quadratic_function(H, w_star, E_star):
    H = np.asarray(H, float)
    return (lambda w: E_star + 0.5 * (w - w_star) @ H @ (w - w_star),
            lambda w: H @ (w - w_star))


def test_quadratic_approximation_is_exact_for_a_quadratic_error():
    H = np.array([[3.0, 1.0], [1.0, 2.0]])
    E, g = quadratic_function(H, np.array([1.0, -2.0]), 0.5)
    q = S.quadratic_approximation(E, g, [0.3, 0.7])
    w = np.array([-1.2, 4.0])
    assert q(w) == pytest.approx(E(w), rel=1e-9)
    assert np.allclose(q.gradient(w), g(w), atol=1e-7)
    assert np.allclose(q.H, H, atol=1e-7)
    assert np.allclose(q.stationary_point(), [1.0, -2.0])


def test_hessian_from_gradient_matches_sympy_for_the_two_parameter_model(model):
    w1, w2 = sp.symbols("w1 w2", real=True)
    y = [model.v[0] * sp.tanh(w1 * xn + model.c[0]) + model.v[1] * sp.tanh(w2 * xn + model.c[1])
         for xn in model.x[::8]]
    E = sum((yn - tn) ** 2 for yn, tn in zip(y, model.t[::8])) / 2
    H = sp.lambdify((w1, w2), sp.hessian(E, (w1, w2)))
    sub = S.TwoParameterModel(model.x[::8], model.t[::8], model.c, model.v)
    w = np.array([0.7, -1.3])
    assert np.allclose(sub.hessian(w), np.array(H(*w), float), rtol=1e-7, atol=1e-7)


def test_gradient_is_the_packages_backprop_and_matches_central_differences(model):
    from nnbook.gradcheck import central_difference
    w = np.array([1.1, -0.4])
    assert np.allclose(model.gradient(w), central_difference(model.error, w), rtol=1e-6)


def test_error_grid_equals_pointwise_error_and_gradient(model):
    W1, W2 = np.meshgrid(np.linspace(-3, 3, 4), np.linspace(-3, 3, 5))
    E, G = model.error_and_gradient_grid(W1, W2)
    for i in range(5):
        for j in range(4):
            w = (W1[i, j], W2[i, j])
            assert E[i, j] == pytest.approx(model.error(w), rel=1e-12)
            assert np.allclose(G[i, j], model.gradient(w), rtol=1e-10, atol=1e-10)


def test_quadratic_model_error_is_third_order_in_the_step(model):
    q = model.quadratic([0.8, -1.5])
    d = np.array([0.6, 0.8])
    h = np.logspace(-3, -1, 6)
    rem = [abs(model.error(q.w_hat + s * d) - q(q.w_hat + s * d)) for s in h]
    assert loglog_slope(h, rem) == pytest.approx(3.0, abs=0.25)


def test_model_has_global_minimum_local_minimum_and_saddle(model):
    glob = S.newton_stationary_point(model.gradient, [1.5, -2.5], model.hessian)
    loc = S.newton_stationary_point(model.gradient, [-1.5, 3.0], model.hessian)
    sad = S.newton_stationary_point(model.gradient, [0.0, 0.2], model.hessian)
    assert S.classify_stationary_point(model.hessian(glob)) == "minimum"
    assert S.classify_stationary_point(model.hessian(loc)) == "minimum"
    assert S.classify_stationary_point(model.hessian(sad)) == "saddle"
    assert model.error(glob) < model.error(loc) < model.error(sad)


def test_error_at_minimum_equals_half_sum_lambda_alpha_squared_to_second_order(model):
    w_star = S.newton_stationary_point(model.gradient, [1.5, -2.5], model.hessian)
    H = model.hessian(w_star)
    rng = np.random.default_rng(0)
    w = w_star + 1e-3 * rng.standard_normal((5, 2))
    lam, U, alpha = S.eigen_coordinates(H, w, w_star)
    assert np.allclose(U.T @ U, np.eye(2))
    assert np.allclose(H @ U, U * lam)
    quad = model.error(w_star) + 0.5 * (alpha ** 2 @ lam)
    true = np.array([model.error(wi) for wi in w])
    assert np.allclose(quad, true, rtol=0, atol=1e-8)


def test_positive_definite_iff_all_eigenvalues_positive():
    assert S.is_positive_definite([[2.0, 0.5], [0.5, 1.0]])
    assert not S.is_positive_definite([[1.0, 2.0], [2.0, 1.0]])
    assert S.classify_stationary_point([[1.0, 2.0], [2.0, 1.0]]) == "saddle"
    assert S.classify_stationary_point(-np.eye(3)) == "maximum"
    assert S.classify_stationary_point(np.diag([1.0, 0.0])) == "degenerate"


def test_ellipse_half_axes_reach_the_contour_level():
    H = np.array([[4.0, 1.0], [1.0, 1.0]])
    E, g = quadratic_function(H, np.zeros(2), 0.0)
    lengths, U = S.ellipse_axes(H, 0.5)
    for i in range(2):
        assert E(lengths[i] * U[:, i]) == pytest.approx(0.5)
    with pytest.raises(ValueError):
        S.ellipse_axes([[1.0, 2.0], [2.0, 1.0]], 1.0)


def test_descend_follows_the_packages_gradient_and_reaches_the_global_minimum(model):
    path = model.descend([1.0, -1.0], eta=0.03, steps=1500)
    w = np.array([1.0, -1.0])
    for _ in range(3):
        w = w - 0.03 * model.gradient(w)
    assert np.allclose(path[3], w, atol=1e-12)
    glob = S.newton_stationary_point(model.gradient, [1.5, -2.5], model.hessian)
    assert np.allclose(path[-1], glob, atol=1e-3)
    many = model.descend(np.array([[1.0, -1.0], [-2.0, 2.0]]), steps=10)
    assert many.shape == (11, 2, 2)
