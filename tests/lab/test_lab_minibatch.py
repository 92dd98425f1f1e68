"""The fast in-place trainer computes exactly the MNIST-lab lecture's gradient: the one of MLP.gradient."""

import numpy as np
import pytest

from nnbook.lab.minibatch import MiniBatchSGD
from nnbook.networks import MLP


def _net_and_batch(sizes=(30, 20, 15, 10), N=16, seed=0, dtype=np.float64):
    rng = np.random.default_rng(seed)
    net = MLP(list(sizes), hidden="relu", output="softmax", seed=seed, dtype=dtype)
    for b in net.b:
        b[:] = 0.1 * rng.standard_normal(b.shape)          # non-zero biases, so ∂E/∂b is tested
    X = rng.uniform(0, 1, (N, sizes[0])).astype(dtype)
    t = rng.integers(0, sizes[-1], N)
    return net, X, t


@pytest.mark.parametrize("sizes", [(30, 20, 15, 10), (784, 50, 30, 10), (12, 9, 4), (10, 8, 7, 6, 5)])
def test_fast_gradient_equals_mlp_gradient_mean_with_l2_in_float64(sizes):
    lam = 0.01
    net, X, t = _net_and_batch(sizes)
    E_ref, ref = net.gradient(X, t, reduction="mean", l2=lam)
    E, dW, db = MiniBatchSGD(net).gradient(X, t, lam=lam)
    assert E == pytest.approx(E_ref, rel=1e-13)
    for l in range(net.L):
        np.testing.assert_allclose(dW[l], ref.W[l], rtol=1e-12, atol=1e-15)
        np.testing.assert_allclose(db[l], ref.b[l], rtol=1e-12, atol=1e-15)


def test_fast_gradient_leaves_the_network_unchanged():
    net, X, t = _net_and_batch()
    w = net.get_w()
    MiniBatchSGD(net).gradient(X, t, lam=0.1)
    np.testing.assert_array_equal(net.get_w(), w)


def test_step_is_w_minus_eta_times_the_gradient_with_weight_decay():
    eta, lam = 0.1, 0.01
    net, X, t = _net_and_batch()
    _, ref = net.gradient(X, t, reduction="mean", l2=lam)
    expected = net.get_w() - eta * ref.vector()            # W ← W − η(δᵀZ/N + λW), b ← b − η Σδ/N
    E, wrong = MiniBatchSGD(net).step(X, t, eta, lam)
    np.testing.assert_allclose(net.get_w(), expected, rtol=1e-12, atol=1e-15)
    assert 0 <= wrong <= len(t) and E > 0


def test_step_on_rows_equals_step_on_the_gathered_batch():
    net, X, t = _net_and_batch(N=40)
    other = net.copy()
    rows = np.array([3, 17, 5, 39, 0, 22])
    MiniBatchSGD(net).step(X, t[rows], 0.1, 1e-3, rows=rows)
    MiniBatchSGD(other).step(X[rows], t[rows], 0.1, 1e-3)
    np.testing.assert_array_equal(net.get_w(), other.get_w())


def test_float32_gradient_matches_float64_to_single_precision():
    net64, X, t = _net_and_batch()
    net32 = MLP(net64.sizes, hidden="relu", output="softmax", dtype=np.float32)
    net32.set_w(net64.get_w().astype(np.float32))
    _, dW64, _ = MiniBatchSGD(net64).gradient(X, t, lam=1e-3)
    _, dW32, _ = MiniBatchSGD(net32).gradient(X.astype(np.float32), t, lam=1e-3)
    assert dW32[0].dtype == np.float32
    for a, b in zip(dW32, dW64):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)


def test_probabilities_are_the_softmax_outputs_of_the_mlp():
    net, X, t = _net_and_batch(N=50)
    k = MiniBatchSGD(net)
    np.testing.assert_allclose(k.probabilities(X, batch_size=16), net.forward(X), rtol=1e-12)
    np.testing.assert_array_equal(k.predict(X), net.predict(X))


def test_networks_other_than_relu_softmax_are_rejected():
    with pytest.raises(ValueError, match="ReLU"):
        MiniBatchSGD(MLP([4, 3, 2], hidden="tanh", output="softmax"))
    with pytest.raises(ValueError, match="softmax"):
        MiniBatchSGD(MLP([4, 3, 2], hidden="relu", output="sigmoid"))
