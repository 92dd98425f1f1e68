"""The Jacobian J_ki = ∂y_k/∂x_i by backpropagation (the Nankai lecture), checked every way we can."""

import numpy as np
import pytest

from nnbook.activations import sigmoid
from nnbook.jacobian import jacobian, jacobian_backward_layer, jacobian_fd, output_unit_jacobian
from nnbook.losses import softmax

OUTPUTS = ["identity", "sigmoid", "softmax"]
HIDDEN = {1: [], 2: ["tanh"], 3: ["softplus", "sigmoid"]}


@pytest.mark.parametrize("skip", [False, True], ids=["no_skip", "skip"])
@pytest.mark.parametrize("depth", [1, 2, 3])
@pytest.mark.parametrize("output", OUTPUTS)
def test_jacobian_backprop_matches_central_differences(problem, close, output, depth, skip):
    sizes = [3, 4, 5, 2][:depth] + [3]
    net, X, _ = problem(sizes, hidden=HIDDEN[depth], output=output, skip=skip, N=5, seed=depth)
    J = jacobian(net, X)
    assert J.shape == (5, 3, 3)
    close(J, jacobian_fd(net, X), 1e-8, "J backprop vs central differences")


@pytest.mark.parametrize("hidden", ["relu", "leaky_relu", "elu", "swish", "identity"])
def test_jacobian_backprop_matches_central_differences_for_other_hidden_units(problem, close, hidden):
    net, X, _ = problem([2, 6, 2], hidden=hidden, output="softmax", skip=True, N=6, seed=4)
    close(jacobian(net, X), jacobian_fd(net, X, eps=1e-7), 1e-6, hidden)


@pytest.mark.parametrize("skip", [False, True], ids=["no_skip", "skip"])
@pytest.mark.parametrize("output", OUTPUTS)
def test_jacobian_forward_mode_equals_reverse_mode(problem, close, output, skip):
    net, X, _ = problem([4, 3, 5, 2], hidden=["tanh", "swish"], output=output, skip=skip, N=3)
    close(jacobian(net, X, mode="forward"), jacobian(net, X, mode="reverse"), 1e-13)


def test_jacobian_first_order_error_shrinks_like_dx_squared(problem):
    """Δy ≈ J Δx: the remainder y(x + Δx) − y(x) − J Δx is O(|Δx|²)."""
    net, X, _ = problem([3, 5, 4, 2], hidden=["tanh", "sigmoid"], output="softmax", skip=True, N=4)
    J = jacobian(net, X)
    direction = np.random.default_rng(1).normal(size=X.shape)
    sizes = [1e-1, 5e-2, 2.5e-2, 1.25e-2]
    remainders = []
    for s in sizes:
        dX = s * direction
        dy_linear = np.einsum("nki,ni->nk", J, dX)
        remainders.append(np.max(np.abs(net.forward(X + dX) - net.forward(X) - dy_linear)))
    ratios = np.array(remainders[:-1]) / np.array(remainders[1:])
    assert np.all((ratios > 3.5) & (ratios < 4.5)), f"halving Δx should quarter the remainder; ratios {ratios}"


def test_softmax_jacobian_columns_sum_to_zero(problem):
    """Σ_k y_k = 1 for every x, so Σ_k ∂y_k/∂x_i = 0."""
    net, X, _ = problem([3, 4, 5], output="softmax", N=6)
    assert np.max(np.abs(jacobian(net, X).sum(axis=1))) < 1e-15


def test_output_unit_jacobian_matches_lecture_forms():
    """δ_kl for identity, δ_kl σ'(a_l) for sigmoid, δ_kl y_k − y_k y_l for softmax."""
    A = np.random.default_rng(0).normal(size=(2, 3))
    close_to = lambda a, b: np.testing.assert_allclose(a, b, rtol=1e-14, atol=1e-15)
    close_to(output_unit_jacobian("identity", A), np.broadcast_to(np.eye(3), (2, 3, 3)))
    s = sigmoid()
    for n in range(2):
        close_to(output_unit_jacobian("sigmoid", A)[n], np.diag(s.dh(A[n])))
        y = softmax(A[n])
        expected = [[(k == l) * y[k] - y[k] * y[l] for l in range(3)] for k in range(3)]
        close_to(output_unit_jacobian("softmax", A)[n], expected)
    with pytest.raises(ValueError, match="identity"):
        output_unit_jacobian("tanh", A)


def test_jacobian_backward_layer_is_the_lecture_recursion():
    """∂y_k/∂a_j = h'(a_j) Σ_l w_lj ∂y_k/∂a_l, written out with loops."""
    rng = np.random.default_rng(2)
    G_next, W, hp = rng.normal(size=(2, 3, 4)), rng.normal(size=(4, 5)), rng.normal(size=(2, 5))
    G = jacobian_backward_layer(G_next, W, hp)
    for n in range(2):
        for k in range(3):
            for j in range(5):
                expected = hp[n, j] * sum(W[l, j] * G_next[n, k, l] for l in range(4))
                assert abs(G[n, k, j] - expected) < 1e-13


@pytest.mark.parametrize("skip", [False, True], ids=["no_skip", "skip"])
def test_jacobian_of_linear_network_without_hidden_layer_is_its_weights(problem, skip):
    net, X, _ = problem([3, 2], output="identity", skip=skip, N=2)
    expected = net.W[0] + (net.W_skip if skip else 0)
    assert np.allclose(jacobian(net, X), expected, rtol=0, atol=1e-15)


def test_jacobian_keeps_float32(problem):
    net64, X, _ = problem([3, 4, 2], output="sigmoid", N=3)
    net32, _, _ = problem([3, 4, 2], output="sigmoid", N=3, dtype=np.float32)
    J32 = jacobian(net32, X.astype(np.float32))
    assert J32.dtype == np.float32
    assert np.max(np.abs(J32 - jacobian(net64, X))) < 1e-5
    assert np.max(np.abs(jacobian_fd(net32, X.astype(np.float32)) - J32)) < 1e-3


def test_jacobian_rejects_unknown_mode(problem):
    net, X, _ = problem([2, 3, 1])
    with pytest.raises(ValueError, match="reverse"):
        jacobian(net, X, mode="sideways")
