"""Tests of nnbook.diagnostics: per-layer norms, gradient checks per layer, timing (chapters 13, 14)."""

import numpy as np
import pytest

from nnbook import diagnostics as dg
from nnbook.networks import MLP
from nnbook.page.plotting import loglog_slope


def _problem(hidden="sigmoid", depth=6, width=8, N=20, seed=0):
    rng = np.random.default_rng(seed)
    net = MLP([4] + [width] * depth + [2], hidden=hidden, output="identity", seed=seed)
    return net, rng.standard_normal((N, 4)), rng.standard_normal((N, 2))


def test_delta_norms_are_the_frobenius_norms_of_the_package_deltas():
    net, X, T = _problem()
    _, grads = net.gradient(X, T, reduction="mean")
    expected = [np.linalg.norm(d) for d in grads.deltas]
    assert np.allclose(dg.delta_norms(net, X, T), expected)
    assert dg.delta_norms(net, X, T).shape == (net.L,)


def test_delta_norms_per_unit_divide_by_root_width():
    net, X, T = _problem(depth=2)
    a, b = dg.delta_norms(net, X, T), dg.delta_norms(net, X, T, per_unit=True)
    assert np.allclose(b, a / np.sqrt(net.sizes[1:]))


def test_deep_sigmoid_deltas_shrink_towards_the_inputs_and_relu_much_less():
    sig, X, T = _problem("sigmoid", depth=12)
    relu, _, _ = _problem("relu", depth=12)
    d_sig, d_relu = dg.delta_norms(sig, X, T), dg.delta_norms(relu, X, T)
    assert d_sig[0] < 1e-4 * d_sig[-2]                     # first hidden layer ≪ last hidden layer
    assert d_relu[0] / d_relu[-2] > 100 * d_sig[0] / d_sig[-2]


def test_gradient_norms_match_the_package_gradients():
    net, X, T = _problem(depth=3)
    _, grads = net.gradient(X, T, reduction="mean", l2=0.1)
    assert np.allclose(dg.gradient_norms(net, X, T, l2=0.1), [np.linalg.norm(g) for g in grads.W])


def test_weight_changes_are_zero_for_a_copy_and_relative_by_default():
    net, _, _ = _problem(depth=2)
    assert np.allclose(dg.weight_changes(net, net.copy()), 0)
    moved = net.copy()
    moved.W[0] *= 1.5
    assert np.isclose(dg.weight_changes(net, moved)[0], 0.5)
    assert np.isclose(dg.weight_changes(net, moved, relative=False)[0], 0.5 * np.linalg.norm(net.W[0]))


def test_weight_changes_refuse_different_architectures():
    with pytest.raises(ValueError):
        dg.weight_changes(MLP([2, 3, 1]), MLP([2, 4, 1]))


def test_layer_gradient_check_passes_a_correct_network():
    net, X, T = _problem(hidden="tanh", depth=2, width=4, N=5)
    rows = dg.layer_gradient_check(net, X, T)
    assert [r.name for r in rows] == ["W1", "b1", "W2", "b2", "W3", "b3"]
    assert all(r.ok for r in rows)


class _ForgetsDerivativeInLayer2(MLP):
    """A broken backward: δ^(2) without the factor h'(a^(2))."""

    def backward(self, cache, T, reduction="sum", l2=0.0):
        grads = super().backward(cache, T, reduction, l2)
        delta3 = grads.deltas[2]
        wrong2 = delta3 @ self.W[2]                               # h'(A^(2)) forgotten
        grads.W[1] = wrong2.T @ cache.z[1]
        grads.b[1] = wrong2.sum(axis=0)
        wrong1 = self.h[0].dh(cache.a[0]) * (wrong2 @ self.W[1])
        grads.W[0] = wrong1.T @ cache.z[0]
        grads.b[0] = wrong1.sum(axis=0)
        return grads


def test_layer_gradient_check_finds_the_layer_whose_derivative_was_forgotten():
    rng = np.random.default_rng(1)
    net = _ForgetsDerivativeInLayer2([3, 4, 4, 2], hidden="tanh", seed=0)
    X, T = rng.standard_normal((5, 3)), rng.standard_normal((5, 2))
    rows = {r.name: r for r in dg.layer_gradient_check(net, X, T)}
    assert rows["W3"].ok and rows["b3"].ok
    assert not rows["W2"].ok and not rows["W1"].ok
    assert np.array_equal(net.get_w(), _ForgetsDerivativeInLayer2([3, 4, 4, 2], hidden="tanh", seed=0).get_w())


def test_median_time_ignores_one_slow_run():
    calls = []

    def fn():
        calls.append(1)
    ticks = iter([0.0, 1.0, 1.0, 2.0, 2.0, 100.0])        # durations 1, 1, 98
    t = dg.median_time(fn, repeats=3, warmup=1, clock=lambda: next(ticks))
    assert t == 1.0 and len(calls) == 4


def test_scalar_mlp_agrees_with_the_package_network():
    rng = np.random.default_rng(0)
    net = MLP([3, 5, 4, 2], hidden="tanh", output="identity", seed=0)
    x, t = rng.standard_normal(3), rng.standard_normal(2)
    s = dg.ScalarMLP(net.sizes)
    w = net.get_w()
    assert s.n_params == net.n_params
    assert np.isclose(s.error(w, x, t), net.error(x[None], t[None]))
    assert np.allclose(s.gradient(w, x, t), net.gradient(x[None], t[None])[1].vector(), rtol=1e-12)


def test_operation_counts_grow_like_W_and_W_squared():
    sizes = [[n, n, n] for n in (10, 20, 40, 80)]
    counts = [dg.operation_counts(s) for s in sizes]
    W = [c["W"] for c in counts]
    assert W[0] == MLP(sizes[0]).n_params
    assert abs(loglog_slope(W, [c["backprop"] for c in counts]) - 1) < 0.01
    assert abs(loglog_slope(W, [c["central_difference"] for c in counts]) - 2) < 0.01
    assert counts[0]["central_difference"] == 2 * W[0] ** 2


@pytest.mark.slow
def test_time_gradients_finite_differences_grow_faster_than_backprop():
    # sizes of chapter 13 and five runs per point: the margin of the slopes (about 1) survives a busy machine
    r = dg.time_gradients([[n, n, n] for n in (9, 13, 19, 27)], repeats=5)
    assert r.W.shape == r.backprop.shape == r.central.shape == (4,)
    assert loglog_slope(r.W, r.central) > loglog_slope(r.W, r.backprop) + 0.5


def test_time_gradients_numpy_and_scalar_time_the_same_networks():
    sizes = [[n, n, n] for n in (3, 5)]
    scalar = dg.time_gradients(sizes, repeats=1)
    numpy_ = dg.time_gradients(sizes, repeats=1, implementation="numpy")
    assert np.array_equal(scalar.W, numpy_.W)
    assert list(scalar.W) == [MLP(s).n_params for s in sizes]
    for r in (scalar, numpy_):
        assert np.all(r.backprop > 0) and np.all(r.central > 0)


def test_time_gradients_refuses_an_unknown_implementation():
    with pytest.raises(ValueError, match="implementation"):
        dg.time_gradients([[2, 2, 2]], implementation="torch")


@pytest.mark.slow
def test_numpy_overhead_hides_the_growth_but_central_differences_still_grow_faster():
    r = dg.time_gradients([[n, n, n] for n in (9, 13, 19, 27)], repeats=5, implementation="numpy")
    assert loglog_slope(r.W, r.central) > loglog_slope(r.W, r.backprop) + 0.5
    assert loglog_slope(r.W, r.backprop) < 0.5          # a few numpy calls: a fixed cost, not O(W)
