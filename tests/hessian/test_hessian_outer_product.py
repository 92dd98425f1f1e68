"""The outer-product (Levenberg–Marquardt) approximation H ≈ Σ_n b_n b_nᵀ (the Nankai lecture)."""

import numpy as np
import pytest

from nnbook.hessian import (
    hessian_fd_gradient,
    hessian_outer_product,
    hessian_r_operator,
    outer_product_factors,
    output_gradients,
)

PAIRS = [("identity", "sse"), ("sigmoid", "bce"), ("softmax", "ce"),
         ("sigmoid", "sse"), ("softmax", "sse")]


def true_hessian(net, X, T):
    """The exact Hessian: R-operator for the canonical pairs, finite differences of ∇E otherwise."""
    if (net.output, net.loss_name) in PAIRS[:3]:
        return hessian_r_operator(net, X, T), 1e-12
    return hessian_fd_gradient(net, X, T), 1e-8


def test_linear_output_form_is_sum_of_b_bT_with_b_from_backprop(problem, close):
    """One output, SSE: ∇E_n = (y_n − t_n) b_n, so backprop with t_n = y_n − 1 gives b_n."""
    net, X, _ = problem([3, 4, 3, 1], hidden=["tanh", "sigmoid"], output="identity", skip=True, N=5)
    Y = net.forward(X)
    H = np.zeros((net.n_params, net.n_params))
    for n in range(5):
        b_n = net.gradient(X[n:n + 1], Y[n:n + 1] - 1)[1].vector()
        H += np.outer(b_n, b_n)
    close(hessian_outer_product(net, X), H, 1e-13)


def test_output_gradients_are_per_sample_gradients_of_a_and_y(problem, close):
    net, X, _ = problem([2, 3, 2], output="sigmoid", skip=True, N=3)
    B_a, B_y = output_gradients(net, X, "a"), output_gradients(net, X, "y")
    w = net.get_w()
    eps = 1e-6
    for i in range(net.n_params):
        wp, wm = w.copy(), w.copy()
        wp[i] += eps
        wm[i] -= eps
        cp, cm = net.copy().set_w(wp).forward(X, keep=True), net.copy().set_w(wm).forward(X, keep=True)
        close(B_a[:, :, i], (cp.a[-1] - cm.a[-1]) / (2 * eps), 1e-8, f"∇a, w[{i}]")
        close(B_y[:, :, i], (cp.y - cm.y) / (2 * eps), 1e-8, f"∇y, w[{i}]")


def test_sigmoid_cross_entropy_form_weights_each_b_by_y_one_minus_y(problem, close):
    net, X, _ = problem([3, 4, 2], output="sigmoid", N=4)
    B, Y = output_gradients(net, X), net.forward(X)
    expected = sum(Y[n, k] * (1 - Y[n, k]) * np.outer(B[n, k], B[n, k]) for n in range(4) for k in range(2))
    close(hessian_outer_product(net, X), expected, 1e-13)


def test_softmax_cross_entropy_form_is_BT_diag_y_minus_yyT_B(problem, close):
    net, X, _ = problem([3, 4, 3], output="softmax", N=4)
    B, Y = output_gradients(net, X), net.forward(X)
    expected = sum(B[n].T @ (np.diag(Y[n]) - np.outer(Y[n], Y[n])) @ B[n] for n in range(4))
    close(hessian_outer_product(net, X), expected, 1e-13)


@pytest.mark.parametrize("output,loss", PAIRS)
def test_outer_product_equals_true_hessian_at_zero_residuals(problem, close, output, loss):
    net, X, T = problem([2, 3, 3, 2], hidden=["tanh", "softplus"], output=output, loss=loss,
                        N=5, targets="outputs")
    H_true, tol = true_hessian(net, X, T)
    close(hessian_outer_product(net, X), H_true, tol)


@pytest.mark.parametrize("output,loss", PAIRS[:3])
def test_outer_product_approaches_true_hessian_as_residuals_vanish(problem, output, loss):
    """T = y(X) + s·noise: the neglected term Σ (y − t)∇∇a is O(s), so the gap shrinks ~10× per decade."""
    net, X, Y = problem([2, 4, 3], hidden="tanh", output=output, loss=loss, N=6, targets="outputs")
    noise = np.random.default_rng(3).normal(size=Y.shape)
    if output == "softmax":
        noise -= noise.mean(axis=1, keepdims=True)          # targets still sum to 1
    G = hessian_outer_product(net, X)
    gaps = [np.max(np.abs(hessian_r_operator(net, X, Y + s * noise) - G)) for s in (1e-1, 1e-2, 1e-3)]
    ratios = np.array(gaps[:-1]) / np.array(gaps[1:])
    assert gaps[0] > 1e-3, "the second-derivative term should be visible at s = 0.1"
    assert np.allclose(ratios, 10, rtol=1e-6), f"gap should be linear in the residual; ratios {ratios}"


@pytest.mark.parametrize("output,loss", PAIRS)
def test_outer_product_is_symmetric_positive_semidefinite(problem, output, loss):
    net, X, _ = problem([3, 4, 2], output=output, loss=loss, N=3)
    H = hessian_outer_product(net, X)
    assert np.array_equal(H, H.T)
    assert np.min(np.linalg.eigvalsh(H)) > -1e-12 * np.max(np.abs(H))


@pytest.mark.parametrize("output,loss", PAIRS)
def test_factors_rebuild_the_outer_product(problem, close, output, loss):
    net, X, _ = problem([3, 4, 3], output=output, loss=loss, N=4)
    R = outer_product_factors(net, X)
    assert R.shape == (4 * 3, net.n_params)
    close(R.T @ R, hessian_outer_product(net, X), 1e-12)
    close(outer_product_factors(net, X, "mean").T @ outer_product_factors(net, X, "mean"),
          hessian_outer_product(net, X, reduction="mean"), 1e-12)


@pytest.mark.parametrize("output,loss", [("sigmoid", "ce"), ("softmax", "bce")])  # identity + bce/ce is refused by MLP itself
def test_unsupported_pairing_is_rejected_with_message(problem, output, loss):
    net, X, _ = problem([2, 3, 2], output=output, loss=loss, N=2)
    with pytest.raises(NotImplementedError, match="sum of squares"):
        hessian_outer_product(net, X)
