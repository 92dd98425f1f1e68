"""Chapter 3: the network function computed in every lecture's convention equals MLP.forward.

These tests pin down the claims of the notation bridge of chapter 3, so that a change of
the package's layout (W of shape (n_l, n_{l-1}), A = Z Wᵀ + b, batch first) is caught.
"""

import math

import numpy as np
import pytest

from nnbook.networks import MLP


def _sigmoid(a):
    return 1 / (1 + np.exp(-a))


@pytest.fixture
def net_and_X():
    net = MLP([3, 5, 4, 2], hidden="tanh", output="sigmoid", seed=11)
    rng = np.random.default_rng(12)
    for b in net.b:
        b[...] = rng.standard_normal(b.shape)
    return net, rng.standard_normal((6, 3))


def test_unit_by_unit_loops_of_lecture_000_match_forward():
    net = MLP([3, 4, 2], hidden="tanh", output="sigmoid", seed=0)
    for b in net.b:
        b[...] = np.random.default_rng(1).standard_normal(b.shape)
    X = np.random.default_rng(2).standard_normal((5, 3))
    (W1, W2), (b1, b2) = net.W, net.b
    Y = []
    for x in X:
        z = [math.tanh(b1[j] + sum(W1[j, i] * x[i] for i in range(3))) for j in range(4)]
        Y.append([1 / (1 + math.exp(-(b2[k] + sum(W2[k, j] * z[j] for j in range(4))))) for k in range(2)])
    assert np.allclose(Y, net.forward(X), rtol=1e-14, atol=1e-15)


def test_bias_absorption_with_x0_equal_one_matches_forward(net_and_X):
    net, X = net_and_X
    Z = X
    for l in range(net.L):
        W_tilde = np.column_stack([net.b[l], net.W[l]])             # column 0 holds w_j0
        A = np.column_stack([np.ones(len(Z)), Z]) @ W_tilde.T
        Z = np.tanh(A) if l < net.L - 1 else _sigmoid(A)
    assert np.allclose(Z, net.forward(X))


def test_lecture_002_net_input_z_and_output_a_are_the_package_a_and_z(net_and_X):
    net, X = net_and_X
    cache = net.forward(X, keep=True)
    for n, x in enumerate(X):
        a = x
        for l in range(1, net.L + 1):
            z = net.W[l - 1] @ a + net.b[l - 1]                       # z^(l) = W^(l) a^(l-1) + b^(l)
            assert np.allclose(z, cache.a[l - 1][n])
            a = np.tanh(z) if l < net.L else _sigmoid(z)              # a^(l) = f_l(z^(l))
            if l < net.L:
                assert np.allclose(a, cache.z[l][n])
        assert np.allclose(a, cache.y[n])


def test_lecture_003_batch_form_uses_the_transposed_weights(net_and_X):
    net, X = net_and_X
    Z = X                                                             # Z_1 = X
    sigmas = [np.tanh] * (net.L - 1) + [_sigmoid]
    for W, b, sigma in zip(net.W, net.b, sigmas):
        W_i = W.T                                                     # W_i ∈ R^{n_i × n_{i+1}}
        assert W_i.shape == (Z.shape[1], W.shape[0])
        Z = sigma(Z @ W_i + b)                                        # Z_{i+1} = σ_i(Z_i W_i)
    assert np.allclose(Z, net.forward(X))


def test_lecture_004_batched_deltas_and_gradients_match_backward(net_and_X):
    net, X = net_and_X
    W = [w.T for w in net.W]                                          # stored (n_{l-1}, n_l)
    Z0 = X
    A1 = Z0 @ W[0] + net.b[0]
    Z1 = np.tanh(A1)
    A2 = Z1 @ W[1] + net.b[1]
    Z2 = np.tanh(A2)
    Y = _sigmoid(Z2 @ W[2] + net.b[2])
    T = np.random.default_rng(3).uniform(size=Y.shape)
    d3 = Y - T
    d2 = (d3 @ W[2].T) * (1 - Z2 ** 2)
    d1 = (d2 @ W[1].T) * (1 - Z1 ** 2)
    g = net.backward(net.forward(X, keep=True), T)
    for mine, ref in [(d3, g.deltas[2]), (d2, g.deltas[1]), (d1, g.deltas[0]),
                      (Z2.T @ d3, g.W[2].T), (Z1.T @ d2, g.W[1].T), (Z0.T @ d1, g.W[0].T)]:
        assert np.allclose(mine, ref)


@pytest.mark.parametrize("M", [1, 2, 3, 4, 6])
def test_linear_hidden_units_collapse_to_one_layer_of_rank_min_M_D_K(M):
    net = MLP([4, M, 5], hidden="identity", seed=M)
    rng = np.random.default_rng(M)
    for b in net.b:
        b[...] = rng.standard_normal(b.shape)
    W, b = net.W[1] @ net.W[0], net.W[1] @ net.b[0] + net.b[1]
    X = rng.standard_normal((20, 4))
    assert np.allclose(X @ W.T + b, net.forward(X))
    assert np.linalg.matrix_rank(W) == min(M, 4, 5)


def test_skip_layer_connections_add_W_skip_x_to_the_output_net_input(net_and_X):
    _, X = net_and_X
    net = MLP([3, 4, 2], hidden="tanh", output="identity", skip=True, seed=9)
    Z = np.tanh(X @ net.W[0].T + net.b[0])
    assert np.allclose(Z @ net.W[1].T + net.b[1] + X @ net.W_skip.T, net.forward(X))


def test_unrolled_feedback_network_equals_a_feedforward_network_with_shared_weights():
    rng = np.random.default_rng(10)
    n, T = 3, 4
    W, b, x = rng.standard_normal((n, n)), rng.standard_normal(n), rng.standard_normal(n)
    z = x
    for _ in range(T):
        z = np.tanh(W @ z + b)
    net = MLP([n] * (T + 1), hidden="tanh", output="identity")
    for l in range(T):
        net.W[l][...], net.b[l][...] = W, b
    assert np.allclose(np.tanh(net.forward(x[None, :]))[0], z)


def test_one_hidden_layer_relu_network_is_straight_between_the_breaks_minus_b_over_w():
    net = MLP([1, 6, 1], hidden="relu", seed=0)
    net.b[0][...] = np.linspace(-2, 2, 6)
    breaks = np.sort(-net.b[0] / net.W[0][:, 0])
    edges = np.concatenate([[-10.0], breaks, [10.0]])
    for lo, hi in zip(edges[:-1], edges[1:]):
        xs = np.linspace(lo, hi, 7)[1:-1, None]               # strictly inside one piece
        assert np.allclose(np.diff(net.forward(xs)[:, 0], 2), 0, atol=1e-12)


def test_identity_hidden_units_give_a_straight_line_however_deep():
    net = MLP([1, 6, 6, 6, 1], hidden="identity", seed=1)
    x = np.linspace(-3, 3, 50)[:, None]
    assert np.allclose(np.diff(net.forward(x)[:, 0], 2), 0, atol=1e-9)
