"""The toy data sets: the Nankai lecture's four functions and the non-linear classification problems."""

import numpy as np
import pytest

from nnbook.data import toy


@pytest.mark.parametrize("name", ["square", "sin", "abs", "heaviside"])
def test_toy_regression_gives_50_points_of_the_function_on_minus_one_one(name):
    x, t = toy.toy_regression(name)
    assert x.shape == (50, 1) and t.shape == (50, 1)
    assert x[0, 0] == -1.0 and x[-1, 0] == 1.0 and np.all(np.diff(x[:, 0]) > 0)
    np.testing.assert_array_equal(t, toy.target_function(name)(x))


def test_the_four_functions_are_square_sin_pi_x_abs_and_heaviside():
    x = np.array([-1.0, -0.5, -0.25, 0.25, 0.5, 1.0])
    np.testing.assert_allclose(toy.target_function("square")(x), x ** 2)
    np.testing.assert_allclose(toy.target_function("sin")(x), np.sin(np.pi * x))
    np.testing.assert_allclose(toy.target_function("abs")(x), np.abs(x))
    np.testing.assert_array_equal(toy.target_function("heaviside")(x), (x > 0).astype(float))
    assert toy.target_function("heaviside")(np.array(0.0)) == 0.5


def test_sin_target_spans_one_full_period_with_extremes_at_half():
    x, t = toy.toy_regression("sin", N=201)
    assert t.max() == pytest.approx(1.0) and x[t.argmax(), 0] == pytest.approx(0.5)
    assert t.min() == pytest.approx(-1.0) and x[t.argmin(), 0] == pytest.approx(-0.5)


def test_noise_and_uniform_sampling_are_seeded():
    a = toy.toy_regression("square", noise=0.1, sampling="uniform", seed=3)
    b = toy.toy_regression("square", noise=0.1, sampling="uniform", seed=3)
    c = toy.toy_regression("square", noise=0.1, sampling="uniform", seed=4)
    np.testing.assert_array_equal(a[0], b[0])
    np.testing.assert_array_equal(a[1], b[1])
    assert not np.array_equal(a[1], c[1])
    assert np.all((a[0] >= -1) & (a[0] <= 1))


def test_unknown_function_name_is_rejected():
    with pytest.raises(ValueError, match="square"):
        toy.toy_regression("cube")


def _linear_accuracy(X, t):
    """Training accuracy of the least-squares linear classifier on one-hot targets (bias included)."""
    k = t.max() + 1
    Xb = np.column_stack([X, np.ones(len(X))])
    W, *_ = np.linalg.lstsq(Xb, np.eye(k)[t], rcond=None)
    return np.mean((Xb @ W).argmax(1) == t)


def test_classification_sets_have_batch_first_shapes_and_int_labels():
    for X, t, k in [(*toy.two_moons(200), 2), (*toy.concentric_circles(300, k=3), 3),
                    (*toy.xor(200), 2), (*toy.spirals(k=3, N_per_class=100), 3)]:
        assert X.ndim == 2 and X.shape[1] == 2 and t.shape == (X.shape[0],)
        assert t.dtype == np.int64 and set(np.unique(t)) == set(range(k))


def test_spirals_and_xor_and_circles_are_not_linearly_separable():
    assert _linear_accuracy(*toy.spirals(k=3, N_per_class=100, noise=0.1)) < 0.7
    assert _linear_accuracy(*toy.xor(400)) < 0.75
    assert _linear_accuracy(*toy.concentric_circles(400, noise=0.0)) < 0.75
    assert _linear_accuracy(*toy.two_moons(400, noise=0.05)) < 0.95


def test_concentric_circles_put_class_c_on_radius_c_plus_one_over_k():
    X, t = toy.concentric_circles(300, k=3, noise=0.0)
    np.testing.assert_allclose(np.hypot(X[:, 0], X[:, 1]), (t + 1) / 3)


def test_generators_are_deterministic_and_shuffle_keeps_pairs():
    a, b = toy.spirals(seed=1), toy.spirals(seed=1)
    np.testing.assert_array_equal(a[0], b[0])
    Xs, ts = toy.two_moons(100, seed=2, shuffle=True)
    X, t = toy.two_moons(100, seed=2)
    assert not np.array_equal(ts, t)
    rows = lambda X, t: sorted(map(tuple, np.column_stack([X, t])))
    assert rows(Xs, ts) == rows(X, t)
