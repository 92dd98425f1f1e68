"""The sequential inverse of the outer-product Hessian by the Woodbury identity (the Nankai lecture)."""

import numpy as np
import pytest

from nnbook.hessian import (
    hessian_outer_product,
    outer_product_factors,
    outer_product_inverse,
    output_gradients,
    weight_mask,
    woodbury_update,
)


def test_woodbury_update_equals_direct_inverse_of_rank_one_update():
    rng = np.random.default_rng(0)
    A = rng.normal(size=(6, 6))
    M = A @ A.T + np.eye(6)
    v = rng.normal(size=6)
    np.testing.assert_allclose(woodbury_update(np.linalg.inv(M), v), np.linalg.inv(M + np.outer(v, v)),
                               rtol=1e-10, atol=1e-12)


def test_woodbury_update_holds_for_a_nonsymmetric_matrix_too():
    rng = np.random.default_rng(1)
    M = rng.normal(size=(5, 5)) + 5 * np.eye(5)
    v = rng.normal(size=5)
    np.testing.assert_allclose(woodbury_update(np.linalg.inv(M), v), np.linalg.inv(M + np.outer(v, v)),
                               rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("output,loss", [("identity", "sse"), ("sigmoid", "bce"), ("softmax", "ce"),
                                         ("sigmoid", "sse")])
def test_sequential_inverse_equals_inverse_of_outer_product_plus_alpha(problem, output, loss):
    net, X, _ = problem([3, 4, 3], hidden="tanh", output=output, loss=loss, N=8)
    alpha = 0.05
    expected = np.linalg.inv(hessian_outer_product(net, X) + alpha * np.eye(net.n_params))
    np.testing.assert_allclose(outer_product_inverse(net, X, alpha=alpha), expected, rtol=1e-8, atol=1e-10)


def test_single_output_absorbs_one_data_point_per_step(problem):
    """H_L⁻¹ after L points is (Σ_{n≤L} b_n b_nᵀ + αI)⁻¹ at every L, as the lecture says."""
    net, X, _ = problem([2, 3, 1], output="identity", N=6)
    alpha = 0.1
    b = output_gradients(net, X)[:, 0, :]                  # b_n = ∇a_n, (N, W)
    Hinv = np.eye(net.n_params) / alpha                     # H_0 = αI
    for L in range(6):
        Hinv = woodbury_update(Hinv, b[L])
        H = b[:L + 1].T @ b[:L + 1] + alpha * np.eye(net.n_params)
        np.testing.assert_allclose(Hinv, np.linalg.inv(H), rtol=1e-9, atol=1e-11)


def test_result_is_insensitive_to_small_alpha_when_the_data_determine_H(problem):
    """A linear unit (b_n = (x_n, 1)) on 60 points: H is well conditioned and α ≪ λ_min hardly matters.

    (A hidden layer usually makes H ill-conditioned, with eigenvalues far below any α one
    would pick: then α acts as a regulariser and the result does depend on it.)
    """
    net, X, _ = problem([3, 1], output="identity", N=60)
    assert np.min(np.linalg.eigvalsh(hessian_outer_product(net, X))) > 10
    a, b = outer_product_inverse(net, X, alpha=1e-2), outer_product_inverse(net, X, alpha=1e-6)
    assert np.max(np.abs(a - b)) / np.max(np.abs(b)) < 1e-2


def test_mean_and_weight_decay_shift_the_inverted_matrix(problem):
    net, X, _ = problem([2, 3, 2], output="softmax", N=5)
    alpha, lam = 0.05, 0.2
    H = hessian_outer_product(net, X, reduction="mean") + lam * np.diag(weight_mask(net)) + alpha * np.eye(net.n_params)
    np.testing.assert_allclose(outer_product_inverse(net, X, alpha=alpha, reduction="mean", l2=lam),
                               np.linalg.inv(H), rtol=1e-8, atol=1e-10)


def test_softmax_factors_include_one_null_direction_per_sample(problem):
    """diag(y) − y yᵀ has rank K − 1: adding a constant to every a_k changes nothing."""
    net, X, _ = problem([3, 4, 3], output="softmax", N=4)
    norms = np.linalg.norm(outer_product_factors(net, X).reshape(4, 3, -1), axis=2)
    assert np.all(np.sort(norms, axis=1)[:, 0] < 1e-7)


def test_non_positive_alpha_is_rejected(problem):
    net, X, _ = problem([2, 2, 1], N=2)
    with pytest.raises(ValueError, match="alpha must be positive"):
        outer_product_inverse(net, X, alpha=0)
