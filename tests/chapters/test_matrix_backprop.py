"""Tests of nnbook.matrix_backprop: the DLSys lecture's row-batch formulas (chapter 11)."""

import numpy as np
import pytest

from nnbook import matrix_backprop as mb
from nnbook.gradcheck import central_difference, relative_error
from nnbook.losses import one_hot, softmax_cross_entropy
from nnbook.networks import MLP


def _data(m=6, n=3, k=4, seed=0):
    rng = np.random.default_rng(seed)
    return rng.standard_normal((m, n)), rng.integers(0, k, m), rng


@pytest.mark.parametrize("sigma", ["relu", "tanh", "sigmoid"])
def test_two_layer_gradients_eqs_10_11_match_central_differences(sigma):
    X, y, rng = _data()
    W1, W2 = rng.standard_normal((3, 5)), rng.standard_normal((5, 4))

    def loss(W1_, W2_):
        return softmax_cross_entropy(mb.two_layer_forward(X, W1_, W2_, sigma), y)
    g1, g2 = mb.two_layer_gradients(X, y, W1, W2, sigma)
    n1 = central_difference(lambda v: loss(v, W2), W1)
    n2 = central_difference(lambda v: loss(W1, v), W2)
    assert g1.shape == (3, 5) and g2.shape == (5, 4)
    assert relative_error(g1, n1) < 1e-6 and relative_error(g2, n2) < 1e-6


def test_two_layer_gradients_are_the_transposes_of_the_package_gradients():
    X, y, _ = _data()
    net = MLP([3, 5, 4], hidden="relu", output="softmax", seed=2)
    g1, g2 = mb.two_layer_gradients(X, y, net.W[0].T, net.W[1].T, "relu")
    _, grads = net.gradient(X, y)
    assert np.allclose(g1, grads.W[0].T, rtol=1e-12, atol=1e-14)
    assert np.allclose(g2, grads.W[1].T, rtol=1e-12, atol=1e-14)


def test_two_layer_gradients_accept_one_hot_targets_and_mean_reduction():
    X, y, rng = _data()
    W1, W2 = rng.standard_normal((3, 5)), rng.standard_normal((5, 4))
    a = mb.two_layer_gradients(X, y, W1, W2, reduction="mean")
    b = mb.two_layer_gradients(X, one_hot(y, 4), W1, W2, reduction="sum")
    assert all(np.allclose(p * X.shape[0], q) for p, q in zip(a, b))


def test_G_recursion_eqs_14_15_reproduce_the_package_with_biases():
    X, y, rng = _data(m=7)
    net = MLP([3, 5, 6, 4], hidden=["relu", "tanh"], output="softmax", seed=1)
    for b in net.b:
        b[...] = rng.standard_normal(b.shape)
    Ws, bs, sigmas = mb.from_mlp(net)
    Zs = mb.forward(X, Ws, sigmas, bs)
    passes = mb.backward(Zs, Ws, y, sigmas, bs)
    _, grads = net.gradient(X, y)
    for i in range(net.L):
        assert np.allclose(passes.grads[i], grads.W[i].T, rtol=1e-12, atol=1e-14)
        assert np.allclose(passes.grads_b[i], grads.b[i], rtol=1e-12, atol=1e-14)


def test_G_i_is_the_gradient_with_respect_to_Z_i():
    """G_1 = ∂ℓ/∂X: compare with central differences in the inputs."""
    X, y, rng = _data(m=4)
    Ws = [rng.standard_normal((3, 5)), rng.standard_normal((5, 4))]
    sigmas = ["tanh", "identity"]
    passes = mb.backward(mb.forward(X, Ws, sigmas), Ws, y, sigmas)
    numeric = central_difference(lambda V: softmax_cross_entropy(mb.forward(V, Ws, sigmas)[-1], y), X)
    assert passes.G[0].shape == X.shape
    assert relative_error(passes.G[0], numeric) < 1e-6


def test_forward_cache_has_L_plus_1_matrices_of_the_lecture_shapes():
    X, _, rng = _data(m=5)
    Ws = [rng.standard_normal((3, 7)), rng.standard_normal((7, 2)), rng.standard_normal((2, 4))]
    Zs = mb.forward(X, Ws, ["relu", "relu", "identity"])
    assert [Z.shape for Z in Zs] == [(5, 3), (5, 7), (5, 2), (5, 4)]


def test_sse_loss_starts_the_recursion_with_Z_minus_y():
    X, _, rng = _data(m=5)
    net = MLP([3, 4, 2], hidden="tanh", output="identity", seed=0)
    T = rng.standard_normal((5, 2))
    Ws, bs, sigmas = mb.from_mlp(net)
    passes = mb.backward(mb.forward(X, Ws, sigmas, bs), Ws, T, sigmas, bs, loss="sse", reduction="mean")
    _, grads = net.gradient(X, T, reduction="mean")
    assert all(np.allclose(g, ref.T) for g, ref in zip(passes.grads, grads.W))


def test_to_mlp_and_from_mlp_round_trip_the_network_function():
    X, _, rng = _data(m=5)
    Ws = [rng.standard_normal((3, 6)), rng.standard_normal((6, 4))]
    bs = [rng.standard_normal(6), rng.standard_normal(4)]
    net = mb.to_mlp(Ws, ["sigmoid", "identity"], bs)
    assert np.allclose(net.forward(X), np.exp(mb.forward(X, Ws, ["sigmoid", "identity"], bs)[-1])
                       / np.exp(mb.forward(X, Ws, ["sigmoid", "identity"], bs)[-1]).sum(1, keepdims=True))
    Ws2, bs2, sigmas2 = mb.from_mlp(net)
    assert all(np.array_equal(a, b) for a, b in zip(Ws, Ws2)) and sigmas2 == ["sigmoid", "identity"]


def test_to_mlp_refuses_a_nonlinear_last_sigma():
    with pytest.raises(ValueError, match="identity"):
        mb.to_mlp([np.ones((2, 2))], ["relu"])


def test_backward_refuses_an_unknown_loss():
    X, y, rng = _data()
    Ws = [rng.standard_normal((3, 4))]
    with pytest.raises(ValueError, match="loss"):
        mb.backward(mb.forward(X, Ws, ["identity"]), Ws, y, ["identity"], loss="hinge")


@pytest.mark.parametrize("sizes, N, dtype", [([3, 5, 2], 7, np.float64), ([10, 20, 30, 4], 64, np.float64),
                                              ([784, 128, 64, 10], 32, np.float32)])
def test_cache_nbytes_predicted_equals_the_package_cache(sizes, N, dtype):
    net = MLP(sizes, hidden="relu", output="softmax", seed=0, dtype=dtype)
    X = np.zeros((N, sizes[0]), dtype=dtype)
    assert net.forward(X, keep=True).nbytes == mb.cache_nbytes_predicted(sizes, N, np.dtype(dtype).itemsize)
