"""Tests of nnbook.approximation: ReLU splines, depth against width, least-squares fits (chapter 4)."""

import numpy as np
import pytest

from nnbook import approximation as A
from nnbook.networks import MLP
from nnbook.page.plotting import loglog_slope


def sin_pi(x):
    return np.sin(np.pi * x)


def test_relu_spline_passes_through_every_chosen_point():
    xk = np.linspace(-1, 1, 9)
    w, b, s = A.relu_spline_weights(xk, sin_pi(xk))
    assert np.allclose(A.relu_spline(xk, w, b, s), sin_pi(xk), atol=1e-14)


def test_relu_spline_is_linear_between_knots():
    xk = np.array([-1.0, -0.2, 0.5, 1.0])
    yk = np.array([0.3, -1.0, 2.0, 0.0])
    w, b, s = A.relu_spline_weights(xk, yk)
    x = np.linspace(-1, 1, 401)
    assert np.allclose(A.relu_spline(x, w, b, s), np.interp(x, xk, yk), atol=1e-13)


def test_relu_spline_has_the_lecture_form_with_signs_plus_minus_one_and_n_plus_1_units():
    xk = np.linspace(0, 2, 6)
    w, b, s = A.relu_spline_weights(xk, np.cos(3 * xk))
    assert w.shape == b.shape == s.shape == (6,)
    assert set(np.unique(s)) <= {-1.0, 1.0}
    assert np.all(w >= 0)


def test_relu_spline_network_is_an_mlp_equal_to_the_formula():
    xk = np.linspace(-1, 1, 7)
    net = A.relu_spline_network(xk, np.abs(xk) - 0.3)
    assert net.sizes == [1, 7, 1] and net.h[0].name == "relu"
    x = np.linspace(-1, 1, 333)
    w, b, s = A.relu_spline_weights(xk, np.abs(xk) - 0.3)
    assert np.allclose(net.forward(x[:, None])[:, 0], A.relu_spline(x, w, b, s), atol=1e-14)


def test_relu_spline_reproduces_a_piecewise_linear_function_exactly():
    xk = np.linspace(-1, 1, 3)                 # |x| has its kink at the middle knot
    w, b, s = A.relu_spline_weights(xk, np.abs(xk))
    assert A.max_error(np.abs, lambda x: A.relu_spline(x, w, b, s)) < 1e-14


def test_spline_max_error_of_smooth_function_falls_like_units_to_minus_two():
    units = np.array([8, 16, 32, 64, 128])
    err = A.spline_error_curve(sin_pi, units)
    assert np.all(np.diff(err) < 0)
    assert loglog_slope(units, err) == pytest.approx(-2.0, abs=0.1)


def test_spline_max_error_obeys_h_squared_bound():
    d = 21
    h = 2 / (d - 1)
    err = A.spline_error_curve(sin_pi, [d])[0]
    assert err <= h ** 2 * np.pi ** 2 / 8 + 1e-12


def test_relu_spline_rejects_unsorted_knots():
    with pytest.raises(ValueError, match="increase"):
        A.relu_spline_weights([0.0, 1.0, 0.5], [0, 1, 2])


@pytest.mark.parametrize("depth", [1, 2, 3, 4, 5, 6])
def test_sawtooth_network_of_depth_L_has_2_to_the_L_pieces(depth):
    net = A.sawtooth_network(depth)
    assert net.sizes == [1] + [2] * depth + [1]
    x = np.linspace(0, 1, 2 ** depth * 4 + 1)
    assert A.count_linear_pieces(x, net.forward(x[:, None])) == 2 ** depth


def test_sawtooth_equals_tent_map_composed():
    x = np.linspace(0, 1, 257)
    g = lambda u: 2 * np.maximum(u, 0) - 4 * np.maximum(u - 0.5, 0)
    assert np.allclose(A.tent_network().forward(x[:, None])[:, 0], g(x))
    assert np.allclose(A.sawtooth_network(3).forward(x[:, None])[:, 0], g(g(g(x))), atol=1e-14)


def test_shallow_network_with_d_units_has_at_most_d_plus_1_pieces():
    rng = np.random.default_rng(0)
    x = np.linspace(-3, 3, 20001)
    for d in (1, 3, 7):
        net = MLP([1, d, 1], hidden="relu", seed=rng)
        assert A.count_linear_pieces(x, net.forward(x[:, None]), rtol=1e-3) <= d + 1
    assert A.shallow_units_needed(2 ** 5) == 31


def test_least_squares_fit_refuses_a_non_regression_network():
    with pytest.raises(ValueError, match="identity"):
        A.fit_least_squares(MLP([1, 2, 1], output="sigmoid"), np.zeros((3, 1)), np.zeros((3, 1)))


def test_least_squares_fit_reaches_small_error_on_the_square_with_three_tanh_units():
    x = np.linspace(-1, 1, 50)[:, None]
    net = MLP([1, 3, 1], hidden="tanh", seed=0)
    res = A.fit_least_squares(net, x, x ** 2, iterations=150)
    assert res.loss[-1] < 1e-5 < res.loss[0]
    assert np.all(np.diff(res.loss) <= 0)                 # accepted steps never raise E
    assert res.loss[-1] == pytest.approx(net.error(x, x ** 2))


def test_least_squares_fit_with_weight_decay_keeps_weights_smaller():
    x = np.linspace(-1, 1, 50)[:, None]
    t = (x > 0).astype(float)
    free, decayed = MLP([1, 3, 1], seed=1), MLP([1, 3, 1], seed=1)
    A.fit_least_squares(free, x, t, iterations=100)
    A.fit_least_squares(decayed, x, t, iterations=100, l2=1e-2)
    assert np.abs(decayed.W[0]).max() < np.abs(free.W[0]).max()
