"""Tests of nnbook.backprop_steps: the four-step algorithm per sample, unit by unit (chapter 10)."""

import numpy as np
import pytest

from nnbook import activations
from nnbook.backprop_steps import (
    backprop_batch,
    backprop_sample,
    error_from_net_inputs,
    forward_propagate,
    hidden_deltas,
    output_deltas,
    sample_error,
    weight_derivatives,
)
from nnbook.gradcheck import central_difference
from nnbook.networks import MLP

CASES = [  # hidden, output, loss, K
    ("tanh", "identity", None, 2),
    ("sigmoid", "sigmoid", "sse", 2),                 # the ECNU lecture's network: BP-1 with f'
    ("relu", "softmax", None, 3),
    ("softplus", "sigmoid", None, 1),
]


def _data(rng, out, K, N=6, D=3):
    X = rng.standard_normal((N, D))
    T = rng.integers(0, K, N) if out == "softmax" else rng.random((N, K))
    return X, T


@pytest.mark.parametrize("hidden,out,loss,K", CASES)
def test_unit_by_unit_batch_gradient_equals_the_vectorised_mlp_backward(hidden, out, loss, K):
    rng = np.random.default_rng(0)
    net = MLP([3, 4, 3, K], hidden=hidden, output=out, loss=loss, seed=1)
    X, T = _data(rng, out, K)
    mine = backprop_batch(net, X, T)
    _, ref = net.gradient(X, T)
    assert np.allclose(mine.vector(), ref.vector(), rtol=1e-12, atol=1e-14)
    for d_mine, d_ref in zip(mine.deltas, ref.deltas):
        assert d_mine.shape == d_ref.shape
        assert np.allclose(d_mine, d_ref, rtol=1e-12, atol=1e-15)


def test_mean_reduction_divides_the_batch_sum_by_n_like_mlp_backward():
    rng = np.random.default_rng(1)
    net = MLP([2, 5, 2], seed=2)
    X, T = _data(rng, "identity", 2, N=7, D=2)
    s, m = backprop_batch(net, X, T, "sum"), backprop_batch(net, X, T, "mean")
    assert np.allclose(m.vector(), s.vector() / 7)
    assert np.allclose(m.vector(), net.gradient(X, T, reduction="mean")[1].vector())


def test_batch_gradient_is_the_sum_of_the_per_sample_gradients():
    rng = np.random.default_rng(2)
    net = MLP([3, 4, 2], seed=0)
    X, T = _data(rng, "identity", 2, N=5)
    total = sum(backprop_sample(net, X[n], T[n]).vector() for n in range(5))
    assert np.allclose(backprop_batch(net, X, T).vector(), total)


def test_forward_propagate_matches_the_package_forward_pass():
    rng = np.random.default_rng(3)
    net = MLP([3, 4, 5, 2], hidden=["tanh", "relu"], output="softmax", seed=4)
    X = rng.standard_normal((4, 3))
    cache = net.forward(X, keep=True)
    for n in range(4):
        c = forward_propagate(net, X[n])
        for l in range(net.L):
            assert np.allclose(c.a[l], cache.a[l][n])
        for l in range(net.L):
            assert np.allclose(c.z[l], cache.z[l][n])
        assert np.allclose(c.y, cache.y[n])


@pytest.mark.parametrize("hidden,out,loss,K", CASES)
def test_every_delta_is_the_derivative_of_the_sample_error_by_the_net_input(hidden, out, loss, K):
    rng = np.random.default_rng(4)
    net = MLP([3, 4, 3, K], hidden=hidden, output=out, loss=loss, seed=5)
    X, T = _data(rng, out, K, N=1)
    g = backprop_sample(net, X[0], T[0])
    c = forward_propagate(net, X[0])
    for l in range(1, net.L + 1):
        numerical = central_difference(lambda a: error_from_net_inputs(net, l, a, T[0]), c.a[l - 1])
        assert np.allclose(g.deltas[l - 1][0], numerical, rtol=1e-6, atol=1e-9)


def test_weight_derivatives_match_central_differences_of_the_sample_error():
    rng = np.random.default_rng(5)
    net = MLP([3, 3, 2], hidden="sigmoid", output="sigmoid", loss="sse", seed=6)
    x, t = rng.standard_normal(3), rng.random(2)
    g = backprop_sample(net, x, t)

    def E_of_w(w):
        return sample_error(net.copy().set_w(w), x, t)

    assert np.allclose(g.vector(), central_difference(E_of_w, net.get_w()), rtol=1e-6, atol=1e-10)


def test_sample_error_equals_the_network_error_of_one_row():
    rng = np.random.default_rng(6)
    net = MLP([2, 3, 3], output="softmax", seed=0)
    x = rng.standard_normal(2)
    assert sample_error(net, x, np.int64(2)) == pytest.approx(net.error(x[None], np.array([2])), rel=1e-12)


def test_output_delta_is_y_minus_t_for_canonical_pairs_and_keeps_f_prime_for_sigmoid_sse():
    net = MLP([2, 2, 2], output="identity", seed=0)
    x, t = np.array([0.3, -0.2]), np.array([1.0, 0.0])
    c = forward_propagate(net, x)
    assert np.allclose(output_deltas(net, c, t), c.y - t)
    net2 = MLP([2, 2, 2], hidden="sigmoid", output="sigmoid", loss="sse", seed=0)
    c2 = forward_propagate(net2, x)
    assert np.allclose(output_deltas(net2, c2, t), (c2.y - t) * c2.y * (1 - c2.y))


def test_hidden_delta_is_h_prime_times_the_weighted_sum_of_the_next_deltas():
    rng = np.random.default_rng(7)
    a, W, d = rng.standard_normal(4), rng.standard_normal((3, 4)), rng.standard_normal(3)
    h = activations.get("tanh")
    assert np.allclose(hidden_deltas(h, a, W, d), (1 - np.tanh(a) ** 2) * (W.T @ d))


def test_weight_derivative_is_the_outer_product_of_delta_and_input():
    delta, z = np.array([1.0, -2.0]), np.array([0.5, 3.0, -1.0])
    dW, db = weight_derivatives(delta, z)
    assert np.array_equal(dW, np.outer(delta, z)) and np.array_equal(db, delta)


def test_float32_network_gets_float32_gradients_close_to_the_package():
    rng = np.random.default_rng(8)
    net = MLP([3, 4, 2], seed=0, dtype=np.float32)
    X, T = _data(rng, "identity", 2, N=4)
    g = backprop_batch(net, X.astype(np.float32), T.astype(np.float32))
    assert all(w.dtype == np.float32 for w in g.W)
    assert np.allclose(g.vector(), net.gradient(X.astype(np.float32), T.astype(np.float32))[1].vector(),
                       rtol=1e-4, atol=1e-5)


def test_skip_layers_and_unsupported_pairs_are_refused_with_a_message():
    with pytest.raises(NotImplementedError, match="skip"):
        forward_propagate(MLP([2, 2, 1], skip=True), np.zeros(2))
    net = MLP([2, 2, 2], output="softmax", loss="sse")
    c = forward_propagate(net, np.zeros(2))
    with pytest.raises(NotImplementedError, match="MLP.backward"):
        output_deltas(net, c, np.array([1.0, 0.0]))


def test_lecture002_drawing_labels_every_unit_and_the_bp2_sum_of_the_focus_unit():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    from nnbook.backprop_steps import draw_lecture002_network

    ax_f, ax_b = draw_lecture002_network(deltas=([0.01, -0.02, 0.003], [-0.1, 0.05]), focus=2)
    forward = [t.get_text() for t in ax_f.texts]
    backward = [t.get_text() for t in ax_b.texts]
    for i in (1, 2, 3):                                             # the ECNU lecture's names of the units
        assert f"$x_{i} = a_{i}^{{(1)}}$" in forward
        assert f"$z_{i}^{{(2)}} \\to a_{i}^{{(2)}}$" in forward
    assert all(f"$w_{{1{j}}}^{{(3)}}$" in forward for j in (1, 2, 3))  # the weights into output unit 1
    assert "$\\delta_2^{(2)} = -0.0200$" in backward and "$\\delta_1^{(3)} = -0.1000$" in backward
    assert "$w_{12}^{(3)}$" in backward and "$w_{22}^{(3)}$" in backward   # BP-2 of unit 2: w_j2^(3)
    assert "$w_{11}^{(3)}$" not in backward
    assert "w_{12}^{(3)}" in ax_b.get_title() and "f'(z_2^{(2)})" in ax_b.get_title()
    symbols_only = draw_lecture002_network()[1]
    assert "$\\delta_1^{(2)}$" in [t.get_text() for t in symbols_only.texts]
    plt.close("all")


@pytest.mark.parametrize("kwargs", [{"focus": 4}, {"deltas": ([1.0, 2.0], [1.0, 2.0])}])
def test_lecture002_drawing_rejects_a_unit_or_deltas_that_the_network_does_not_have(kwargs):
    from nnbook.backprop_steps import draw_lecture002_network

    with pytest.raises(ValueError):
        draw_lecture002_network(**kwargs)
