"""Every exact Hessian method of the Nankai lecture agrees with every other one.

The closed forms of a two-layer network, the R{·} operator (any depth), central
differences of the backprop gradient (O(W²)) and second differences of the error
(O(W³)) are four independent computations of the same matrix.
"""

import numpy as np
import pytest

from nnbook.activations import Activation, tanh
from nnbook.hessian import (
    METHODS,
    hessian,
    hessian_exact_two_layer,
    hessian_fd_error,
    hessian_fd_gradient,
    hessian_r_operator,
    hessian_vector_product,
    r_backward_layer,
    r_forward_layer,
    r_hidden_output,
    r_output_delta,
    r_weight_gradients,
    unflatten,
    weight_mask,
)

SMOOTH = ["tanh", "sigmoid", "softplus", "swish", "elu"]
OUTPUTS = ["identity", "sigmoid", "softmax"]


@pytest.mark.parametrize("skip", [False, True], ids=["no_skip", "skip"])
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("hidden", SMOOTH)
def test_exact_two_layer_hessian_equals_r_operator_hessian(problem, close, hidden, output, skip):
    net, X, T = problem([3, 4, 2], hidden=hidden, output=output, skip=skip, N=5, seed=7)
    H_exact = hessian_exact_two_layer(net, X, T)
    close(H_exact, hessian_r_operator(net, X, T), 1e-12, "closed forms vs R-operator")


@pytest.mark.parametrize("skip", [False, True], ids=["no_skip", "skip"])
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("depth", [1, 2, 3])
def test_r_operator_hessian_equals_finite_differences_of_gradient(problem, close, depth, output, skip):
    sizes = [2, 3, 3][:depth] + [2]
    hidden = ["softplus", "tanh"][:depth - 1]
    net, X, T = problem(sizes, hidden=hidden, output=output, skip=skip, N=4, seed=depth)
    H = hessian_r_operator(net, X, T)
    close(H, hessian_fd_gradient(net, X, T), 1e-8, "R-operator vs FD of backprop gradient")


@pytest.mark.parametrize("output", OUTPUTS)
def test_r_operator_hessian_equals_second_differences_of_error(problem, close, output):
    net, X, T = problem([2, 3, 2], hidden="swish", output=output, skip=True, N=3, seed=11)
    close(hessian_r_operator(net, X, T), hessian_fd_error(net, X, T), 1e-6,
          "R-operator vs O(W³) second differences of E")


@pytest.mark.parametrize("hidden", ["relu", "leaky_relu"])
def test_r_operator_hessian_of_piecewise_linear_units_matches_fd_away_from_kinks(problem, close, hidden):
    net, X, T = problem([3, 5, 2], hidden=hidden, output="softmax", N=6, seed=3)
    A = net.forward(X, keep=True).a[0]
    assert np.min(np.abs(A)) > 1e-3, "test data too close to the kink"
    close(hessian_r_operator(net, X, T), hessian_fd_gradient(net, X, T, eps=1e-6), 1e-7)


@pytest.mark.parametrize("method", ["r", "exact", "fd_gradient", "fd_error", "outer_product"])
def test_hessian_is_symmetric(problem, method):
    net, X, T = problem([2, 3, 2], hidden="tanh", output="softmax", skip=True, N=3)
    H = hessian(net, X, T, method=method)
    tol = 1e-6 if method.startswith("fd") else 1e-13
    assert np.max(np.abs(H - H.T)) <= tol * max(1, np.max(np.abs(H)))


@pytest.mark.parametrize("output", OUTPUTS)
def test_hessian_vector_product_equals_hessian_times_v(problem, close, output):
    net, X, T = problem([3, 4, 3, 2], hidden=["tanh", "sigmoid"], output=output, skip=True, N=5)
    H = hessian_r_operator(net, X, T)
    v = np.random.default_rng(5).normal(size=net.n_params)
    close(hessian_vector_product(net, X, T, v), v @ H, 1e-12)


@pytest.mark.parametrize("output", OUTPUTS)
def test_hessian_vector_product_is_directional_derivative_of_gradient(problem, close, output):
    """vᵀH = d/dt ∇E(w + t v) at t = 0, on a wider, deeper network (no full Hessian needed)."""
    net, X, T = problem([5, 8, 7, 6, 3], hidden=["swish", "tanh", "softplus"], output=output,
                        skip=True, N=10, scale=0.4)
    w = net.get_w()
    v = np.random.default_rng(6).normal(size=w.size)
    eps = 1e-5
    fd = (net.gradient_of_w(w + eps * v, X, T) - net.gradient_of_w(w - eps * v, X, T)) / (2 * eps)
    close(hessian_vector_product(net, X, T, v), fd, 1e-8)


def test_single_r_steps_rebuild_the_lecture_two_layer_product(problem, close):
    """The lecture's two-layer equations, step by step, give hessian_vector_product."""
    net, X, T = problem([3, 4, 2], hidden="tanh", output="identity", N=5)
    v = np.random.default_rng(8).normal(size=net.n_params)
    V, c, _ = unflatten(net, v)
    cache = net.forward(X, keep=True)
    h = net.h[0]
    # forward R-pass: R{a_j} = Σ_i v_ji x_i, R{z_j} = h'(a_j) R{a_j}, R{y_k} = Σ_j w_kj R{z_j} + Σ_j v_kj z_j
    Ra = r_forward_layer(X, np.zeros_like(X), net.W[0], V[0], c[0])
    Rz = r_hidden_output(cache.a[0], Ra, h)
    Ry = r_forward_layer(cache.z[1], Rz, net.W[1], V[1], c[1])
    # backward R-pass: R{δ_k} = R{y_k}, R{δ_j} = h'' R{a_j} Σ w δ + h' Σ v δ + h' Σ w R{δ_k}
    delta_k = cache.y - T
    Rdelta_k = r_output_delta("identity", cache.a[1], cache.y, Ry)
    assert np.array_equal(Rdelta_k, Ry)
    delta_j = h.dh(cache.a[0]) * (delta_k @ net.W[1])
    Rdelta_j = r_backward_layer(cache.a[0], Ra, delta_k, Rdelta_k, net.W[1], V[1], h)
    # (1) R{∂E/∂w_kj} = R{δ_k} z_j + δ_k R{z_j},  (2) R{∂E/∂w_ji} = x_i R{δ_j}
    RdW2, Rdb2 = r_weight_gradients(delta_k, Rdelta_k, cache.z[1], Rz)
    RdW1, Rdb1 = r_weight_gradients(delta_j, Rdelta_j, X, np.zeros_like(X))
    assembled = np.concatenate([RdW1.ravel(), Rdb1, RdW2.ravel(), Rdb2])
    close(assembled, hessian_vector_product(net, X, T, v), 1e-13)


@pytest.mark.parametrize("method", ["r", "exact", "fd_gradient", "outer_product", "diagonal_exact"])
def test_mean_reduction_divides_the_hessian_by_N(problem, close, method):
    net, X, T = problem([2, 3, 2], output="sigmoid", N=6)
    close(hessian(net, X, T, method, reduction="mean"), hessian(net, X, T, method) / 6, 1e-9)


@pytest.mark.parametrize("method", ["r", "exact", "outer_product", "diagonal", "diagonal_exact"])
def test_weight_decay_adds_lambda_to_weight_diagonal_only(problem, close, method):
    net, X, T = problem([2, 3, 2], output="identity", skip=True, N=4)
    lam = 0.3
    added = hessian(net, X, T, method, l2=lam) - hessian(net, X, T, method)
    close(added, np.diag(lam * weight_mask(net)), 1e-12)


def test_weight_decay_hessian_matches_finite_differences(problem, close):
    net, X, T = problem([2, 3, 2], output="softmax", skip=True, N=4)
    close(hessian_r_operator(net, X, T, l2=0.3), hessian_fd_gradient(net, X, T, l2=0.3), 1e-8)


def test_float32_network_gives_float32_hessian_close_to_float64(problem):
    net64, X, T = problem([3, 4, 2], output="softmax", N=4)
    net32, _, _ = problem([3, 4, 2], output="softmax", N=4, dtype=np.float32)
    H32 = hessian_r_operator(net32, X.astype(np.float32), T)
    assert H32.dtype == np.float32
    assert np.max(np.abs(H32 - hessian_r_operator(net64, X, T))) < 1e-5


def test_dispatcher_knows_every_method_and_rejects_unknown(problem):
    net, X, T = problem([2, 2, 1], N=2)
    for method in METHODS:
        assert hessian(net, X, T, method).shape == (net.n_params, net.n_params)
    with pytest.raises(ValueError, match="unknown method 'newton'"):
        hessian(net, X, T, "newton")


def test_prelu_slopes_are_rejected_with_message_but_finite_differences_include_them(problem):
    net, X, T = problem([2, 3, 1], hidden="prelu", N=3)
    for fn in (hessian_r_operator, hessian_exact_two_layer):
        with pytest.raises(NotImplementedError, match="PReLU"):
            fn(net, X, T)
    H = hessian_fd_gradient(net, X, T)
    assert H.shape == (net.n_params, net.n_params) and net.n_params == 3 * 2 + 3 + 3 + 1 + 3


def test_activation_without_second_derivative_is_rejected_with_message(problem):
    t = tanh()
    no_d2h = Activation("tanh_no_d2h", t.h, t.dh, None)
    net, X, T = problem([2, 3, 1], hidden=no_d2h, N=3)
    with pytest.raises(ValueError, match="no d2h"):
        hessian_r_operator(net, X, T)
    hessian_fd_gradient(net, X, T)          # finite differences need no h''


def test_non_canonical_pair_is_rejected_with_message(problem):
    net, X, T = problem([2, 3, 1], output="sigmoid", loss="sse", N=3)
    with pytest.raises(NotImplementedError, match="canonical"):
        hessian_r_operator(net, X, T)
    H = hessian_fd_error(net, X, T)         # finite differences work for any pair
    close = np.max(np.abs(H - hessian_fd_gradient(net, X, T)))
    assert close < 1e-6


def test_exact_two_layer_rejects_deeper_networks(problem):
    net, X, T = problem([2, 3, 3, 1], N=2)
    with pytest.raises(ValueError, match="two-layer"):
        hessian_exact_two_layer(net, X, T)
