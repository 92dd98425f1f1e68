"""Tests of nnbook.features: fixed basis functions and the curse of dimensionality (chapter 1)."""

import math

import numpy as np
import pytest

from nnbook import features as F
from nnbook.networks import MLP


@pytest.mark.parametrize("D,M", [(1, 0), (1, 5), (2, 2), (3, 3), (5, 2), (4, 4)])
def test_polynomial_feature_count_is_binomial_D_plus_M_choose_M(D, M):
    X = np.random.default_rng(0).standard_normal((4, D))
    Phi = F.polynomial_features(X, M)
    assert Phi.shape == (4, math.comb(D + M, M)) == (4, F.n_polynomial_terms(D, M))


def test_monomial_exponents_are_distinct_and_of_degree_at_most_M():
    E = F.monomial_exponents(3, 4)
    assert len({tuple(r) for r in E}) == len(E)
    assert E.sum(axis=1).max() == 4 and (E >= 0).all()
    assert np.all(np.diff(E.sum(axis=1)) >= 0)          # ordered by total degree
    assert tuple(E[0]) == (0, 0, 0)                      # the constant φ_0 = 1 first


def test_polynomial_features_of_two_inputs_match_the_written_out_monomials():
    x1, x2 = 2.0, -3.0
    Phi = F.polynomial_features([[x1, x2]], 2)
    assert np.allclose(Phi, [[1, x1, x2, x1 ** 2, x1 * x2, x2 ** 2]])


def test_polynomial_count_grows_like_D_to_the_M_over_M_factorial():
    D = np.array([100, 1000, 10000])
    ratio = np.array([F.n_polynomial_terms(d, 3) / (d ** 3 / 6) for d in D])
    assert np.all(np.diff(ratio) < 0) and abs(ratio[-1] - 1) < 0.01


def test_polynomial_features_refuse_an_exploding_basis():
    with pytest.raises(ValueError, match="terms"):
        F.polynomial_features(np.zeros((1, 50)), 6, max_terms=10_000)


def test_grid_has_g_to_the_D_centres_covering_the_cube():
    C = F.grid_centres(3, 4, low=-2, high=2)
    assert C.shape == (64, 3) == (F.n_grid_centres(3, 4), 3)
    assert C.min() == -2 and C.max() == 2
    assert len({tuple(r) for r in C}) == 64


def test_grid_count_is_exact_for_large_D():
    assert F.n_grid_centres(100, 10) == 10 ** 100


def test_gaussian_features_match_the_formula_elementwise():
    rng = np.random.default_rng(1)
    X, C, s = rng.standard_normal((5, 3)), rng.standard_normal((4, 3)), 0.7
    loops = np.array([[np.exp(-np.sum((x - mu) ** 2) / (2 * s ** 2)) for mu in C] for x in X])
    assert np.allclose(F.gaussian_features(X, C, s), loops)


def test_gaussian_feature_is_one_at_its_centre_and_accepts_1d_inputs():
    Phi = F.gaussian_features(np.array([0.0, 0.5]), np.array([0.0, 0.5]), 0.3)
    assert Phi.shape == (2, 2) and np.allclose(np.diag(Phi), 1.0)


def test_least_squares_recovers_an_exact_polynomial():
    x = np.linspace(-1, 1, 30)
    t = 1 - 2 * x + 0.5 * x ** 3
    w = F.fit_least_squares(F.polynomial_features(x, 3), t)
    assert np.allclose(w, [1, -2, 0, 0.5])


def test_ridge_solution_satisfies_the_normal_equations():
    rng = np.random.default_rng(2)
    Phi, T, lam = rng.standard_normal((20, 6)), rng.standard_normal((20, 2)), 0.3
    w = F.fit_least_squares(Phi, T, lam)
    assert np.allclose((Phi.T @ Phi + lam * np.eye(6)) @ w, Phi.T @ T)


def test_float32_design_matrix_stays_float32():
    Phi = F.polynomial_features(np.linspace(-1, 1, 10, dtype=np.float32), 2)
    assert Phi.dtype == np.float32
    assert F.fit_least_squares(Phi, np.ones(10, dtype=np.float32)).dtype == np.float32


def test_linear_model_applies_the_output_activation():
    Phi = np.array([[1.0, 2.0], [0.0, -1.0]])
    w = np.array([0.5, 1.0])
    assert np.allclose(F.linear_model(Phi, w), [2.5, -1.0])
    assert np.allclose(F.linear_model(Phi, w, np.tanh), np.tanh([2.5, -1.0]))


def test_hidden_features_are_the_cached_hidden_outputs_and_the_output_is_linear_in_them():
    net = MLP([2, 5, 4, 3], hidden="tanh", output="identity", seed=3)
    X = np.random.default_rng(4).standard_normal((7, 2))
    Z = F.hidden_features(net, X)
    assert Z.shape == (7, 4)
    assert np.allclose(Z, np.tanh(np.tanh(X @ net.W[0].T + net.b[0]) @ net.W[1].T + net.b[1]))
    assert np.allclose(net.forward(X), Z @ net.W[2].T + net.b[2])
    assert np.allclose(F.hidden_features(net, X, layer=1), np.tanh(X @ net.W[0].T + net.b[0]))


def test_hidden_features_need_a_hidden_layer():
    with pytest.raises(ValueError):
        F.hidden_features(MLP([2, 3]), np.zeros((1, 2)))


def test_as_many_gaussians_as_data_points_interpolate_the_noisy_data():
    """Chapter 1's slider: with M = N the least-squares fit passes through every sample."""
    rng = np.random.default_rng(5)
    x = np.sort(rng.uniform(-1, 1, 12))[:, None]
    t = np.sin(np.pi * x) + 0.1 * rng.standard_normal(x.shape)
    Phi = F.gaussian_features(x, np.linspace(-1, 1, 12), 2 / 11)
    w = F.fit_least_squares(Phi, t)
    assert np.allclose(Phi @ w, t, atol=1e-8)


def test_grid_count_overflows_float64_only_beyond_D_308():
    assert np.isfinite(float(F.n_grid_centres(308, 10)))
    with pytest.raises(OverflowError):
        float(F.n_grid_centres(309, 10))
