"""The cost table of chapter 16 (operation counts) and the single steps the exercises ask for."""

import numpy as np
import pytest

from nnbook import hessian as Hm
from nnbook.hessian import costs, finite_differences, roperator, woodbury
from nnbook.jacobian import output_unit_jacobian
from nnbook.networks import MLP
from nnbook.page.plotting import loglog_slope

# --- operation counts -----------------------------------------------------------------------

def test_operation_counts_of_the_gradient_are_chapter_13s_times_N():
    from nnbook.diagnostics import operation_counts as per_sample

    for sizes in ([2, 3, 1], [4, 6, 5, 3], [784, 500, 300, 10]):
        c = costs.operation_counts(sizes, N=7)
        assert c["W"] == MLP(sizes).n_params == per_sample(sizes)["W"]
        assert c["gradient"] == 7 * per_sample(sizes)["backprop"]


def test_counted_orders_are_the_lectures_three_two_and_one():
    widths = [256, 512, 1024, 2048]
    counts = [costs.operation_counts([2, M, 1], N=50) for M in widths]
    W = [c["W"] for c in counts]
    order = {"fd_error": 3, "fd_gradient": 2, "r_whole": 2, "exact": 2, "outer_product": 2, "woodbury": 2,
             "diagonal": 1, "r_product": 1, "gradient": 1}
    assert set(order) == set(costs.COUNTED_METHODS)
    for method, p in order.items():
        slope = loglog_slope(W[-2:], [c[method] for c in counts][-2:])
        assert abs(slope - p) < 0.01, (method, slope)


def test_exact_closed_form_is_counted_for_two_layer_networks_only():
    assert costs.operation_counts([3, 4, 2])["exact"] > 0
    assert costs.operation_counts([3, 4, 4, 2])["exact"] is None
    with pytest.raises(ValueError):
        costs.operation_counts([3])


def test_one_product_costs_a_few_gradients_and_the_whole_matrix_w_products():
    c = costs.operation_counts([2, 64, 1], N=50)
    assert 1.5 < c["r_product"] / c["gradient"] < 4            # "about one forward and one backward pass" more
    once = c["gradient"] - 50 * c["W"]                      # forward and δ passes, N(W + P): done once
    assert c["r_whole"] - once == c["W"] * (c["r_product"] - once)   # then one R-pass per unit vector


class _Counter:
    def __init__(self, fn):
        self.fn, self.calls = fn, 0

    def __call__(self, *a, **k):
        self.calls += 1
        return self.fn(*a, **k)


def test_the_counted_passes_are_what_the_package_runs(monkeypatch):
    """2W² + 1 evaluations of E, 2W gradients, W R-passes and N·K Woodbury updates."""
    net = MLP([2, 3, 2], hidden="tanh", seed=0)
    rng = np.random.default_rng(0)
    X, T = rng.standard_normal((5, 2)), rng.standard_normal((5, 2))
    W = net.n_params

    error = _Counter(MLP.error)
    monkeypatch.setattr(MLP, "error", lambda self, *a, **k: error(self, *a, **k))
    Hm.hessian_fd_error(net, X, T)
    assert error.calls == 2 * W * W + 1

    grad = _Counter(MLP.gradient_of_w)
    monkeypatch.setattr(MLP, "gradient_of_w", lambda self, *a, **k: grad(self, *a, **k))
    Hm.hessian_fd_gradient(net, X, T)
    assert grad.calls == 2 * W

    hvp = _Counter(roperator._hvp)
    monkeypatch.setattr(roperator, "_hvp", hvp)
    Hm.hessian_r_operator(net, X, T)
    assert hvp.calls == W

    update = _Counter(woodbury.woodbury_update)
    monkeypatch.setattr(woodbury, "woodbury_update", update)
    Hm.outer_product_inverse(net, X)
    assert update.calls == 5 * 2


# --- the parts the exercises ask for ----------------------------------------------------------

def test_central_difference_hessian_is_what_hessian_fd_gradient_computes(problem):
    net, X, T = problem([3, 4, 2], N=6)
    grad = lambda w: net.gradient_of_w(w, X, T)                 # noqa: E731
    np.testing.assert_array_equal(finite_differences.central_difference_hessian(grad, net.get_w(), 1e-5),
                                  Hm.hessian_fd_gradient(net, X, T, eps=1e-5))


def test_central_difference_hessian_leaves_w_alone_and_is_exact_on_a_quadratic():
    A = np.array([[3.0, 1.0], [1.0, 2.0]])
    w = np.array([0.3, -0.7])
    H = finite_differences.central_difference_hessian(lambda v: A @ v, w, 1e-3)
    np.testing.assert_allclose(H, A, rtol=1e-10)
    assert np.array_equal(w, [0.3, -0.7])


@pytest.mark.parametrize("output", ["identity", "sigmoid", "softmax"])
def test_mixed_second_derivatives_are_the_mixed_block_of_the_exact_hessian(problem, output, close):
    net, X, T = problem([3, 4, 3], output=output, N=5, seed=2)
    blocks = {b.name: b.slice for b in Hm.parameter_blocks(net)}
    H = Hm.hessian_r_operator(net, X, T)
    cache = net.forward(X, keep=True)
    delta = net.backward(cache, T).deltas[-1]
    hp = net.h[0].dh(cache.a[0])
    Mkk = output_unit_jacobian(net.output, cache.a[-1], cache.y)
    block = Hm.mixed_second_derivatives(X, hp, cache.z[1], delta, net.W[1], Mkk)      # (4, 3, 3, 4)
    close(block.reshape(12, 12), H[blocks["W1"], blocks["W2"]], 1e-12, "W1 x W2 block")


def test_outer_product_sum_gives_each_output_error_pairs_approximation(problem, close):
    for output in ("identity", "sigmoid", "softmax"):
        net, X, T = problem([2, 3, 3], output=output, N=6, seed=4)
        cache = net.forward(X, keep=True)
        B = Hm.output_gradients(net, X, wrt="y" if output == "identity" else "a")
        M = None if output == "identity" else output_unit_jacobian(output, cache.a[-1], cache.y)
        close(Hm.outer_product_sum(B, M), Hm.hessian_outer_product(net, X), 1e-12, output)
