"""Tests of nnbook.autodiff: a small reverse-mode automatic differentiation (chapter 11)."""

import numpy as np
import pytest

from nnbook import activations
from nnbook.autodiff import Tensor, mlp_error, mlp_gradients, softmax_cross_entropy, topological_order
from nnbook.gradcheck import central_difference, relative_error
from nnbook.losses import softmax_cross_entropy as sce
from nnbook.networks import MLP

RNG = np.random.default_rng(0)


def _numeric(fn, x):
    """Central-difference gradient of a scalar function of one array."""
    return central_difference(lambda v: float(fn(v)), x, 1e-6)


def _grad_of(build, x):
    """Gradient of build(Tensor(x)) by autodiff."""
    xt = Tensor(x.copy())
    build(xt).backward()
    return xt.grad


OPERATIONS = [  # (name, shape of x, scalar function of the Tensor x)
    ("matmul-left", (5, 3), lambda t, B=RNG.standard_normal((3, 2)): (t @ B).square().sum()),
    ("matmul-right", (3, 2), lambda t, A=RNG.standard_normal((4, 3)): (Tensor(A) @ t).square().sum()),
    ("add-bias-broadcast", (3,), lambda t, A=RNG.standard_normal((5, 3)): (Tensor(A) + t).square().sum()),
    ("mul-scalar", (4, 3), lambda t: (t * 2.5).sum()),
    ("mul-elementwise", (4, 3), lambda t, B=RNG.standard_normal((4, 3)): (t * B).sum()),
    ("sub-and-neg", (4, 3), lambda t: (1.0 - t).square().mean()),
    ("sum-axis0", (4, 3), lambda t: t.sum(axis=0).square().sum()),
    ("sum-axis1", (4, 3), lambda t: t.sum(axis=1).square().sum()),
    ("relu", (4, 3), lambda t: (t.relu() * t).sum()),
    ("log-softmax", (4, 3), lambda t, W=RNG.standard_normal((4, 3)): (t.log_softmax() * W).sum()),
    ("transpose", (4, 3), lambda t, B=RNG.standard_normal((4, 2)): (t.T @ B).square().sum()),
]


@pytest.mark.parametrize("name, shape, build", OPERATIONS, ids=[o[0] for o in OPERATIONS])
def test_every_operation_vjp_matches_central_differences(name, shape, build):
    x = np.random.default_rng(5).standard_normal(shape)
    if name == "relu":
        x = x + np.sign(x) * 0.1                                  # keep away from the kink at 0
    auto = _grad_of(build, x)
    numeric = _numeric(lambda v: build(Tensor(v)).value, x)
    assert auto.shape == x.shape
    assert relative_error(auto, numeric) < 1e-6, name


@pytest.mark.parametrize("h", ["sigmoid", "tanh", "softplus", "elu", "swish", "leaky_relu"])
def test_activation_vjp_uses_the_package_derivative(h):
    x = RNG.standard_normal((4, 3)) + 0.05
    auto = _grad_of(lambda t: t.activation(h).sum(), x)
    assert np.array_equal(auto, activations.get(h).dh(x))


def test_softmax_cross_entropy_vjp_is_y_minus_t():
    A = RNG.standard_normal((6, 4))
    labels = RNG.integers(0, 4, 6)
    T = np.eye(4)[labels]
    At = Tensor(A)
    E = softmax_cross_entropy(At, labels)
    E.backward()
    Y = np.exp(A) / np.exp(A).sum(axis=1, keepdims=True)
    assert np.isclose(E.value, sce(A, T))
    assert np.allclose(At.grad, Y - T, rtol=1e-12, atol=1e-15)


def test_softmax_cross_entropy_mean_divides_the_gradient_by_N():
    A = RNG.standard_normal((5, 3))
    labels = RNG.integers(0, 3, 5)
    g_sum, g_mean = Tensor(A), Tensor(A)
    softmax_cross_entropy(g_sum, labels, "sum").backward()
    softmax_cross_entropy(g_mean, labels, "mean").backward()
    assert np.allclose(g_mean.grad * 5, g_sum.grad)


def test_tensor_used_twice_receives_the_sum_of_both_paths():
    x = Tensor(np.array([1.5, -2.0]))
    y = (x * x + x * 3.0).sum()                  # d/dx (x² + 3x) = 2x + 3
    y.backward()
    assert np.allclose(x.grad, 2 * x.value + 3)


def test_backward_twice_does_not_accumulate_old_gradients():
    x = Tensor(np.array([2.0]))
    y = x.square().sum()
    y.backward()
    y.backward()
    assert np.allclose(x.grad, [4.0])


def test_backward_without_seed_on_a_non_scalar_is_refused():
    with pytest.raises(ValueError, match="scalar"):
        Tensor(np.ones((2, 2))).square().backward()


def test_topological_order_puts_every_parent_before_its_child():
    a = Tensor(np.ones(2))
    b = a * 2.0
    c = (a + b).sum()
    order = topological_order(c)
    pos = {id(n): i for i, n in enumerate(order)}
    for node in order:
        for p in node.parents:
            assert pos[id(p)] < pos[id(node)]
    assert order[-1] is c


def test_topological_order_handles_a_deep_graph_without_recursion_limit():
    x = Tensor(np.array([1.0]))
    y = x
    for _ in range(5000):
        y = y * 1.0
    y.sum().backward()
    assert np.allclose(x.grad, [1.0])


CASES = [
    ([3, 4, 2], "tanh", "identity", False),
    ([3, 5, 4, 2], ["relu", "sigmoid"], "softmax", False),
    ([2, 6, 6, 6, 3], "softplus", "sigmoid", False),
    ([3, 4, 2], "elu", "identity", True),
]


@pytest.mark.parametrize("sizes, hidden, output, skip", CASES)
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_mlp_gradients_reproduce_manual_backprop_to_round_off(sizes, hidden, output, skip, reduction):
    rng = np.random.default_rng(3)
    net = MLP(sizes, hidden=hidden, output=output, skip=skip, seed=1)
    net.set_w(rng.normal(0, 0.7, net.n_params))
    X = rng.standard_normal((7, sizes[0]))
    K = sizes[-1]
    T = {"identity": rng.standard_normal((7, K)), "sigmoid": (rng.random((7, K)) > 0.5) * 1.0,
         "softmax": rng.integers(0, K, 7)}[output]
    E_manual, grads = net.gradient(X, T, reduction=reduction, l2=0.01)
    E_auto, _ = mlp_error(net, X, T, reduction=reduction, l2=0.01)
    auto = mlp_gradients(net, X, T, reduction=reduction, l2=0.01)
    assert np.isclose(float(E_auto.value), E_manual, rtol=1e-12)
    for mine, ref in zip(auto, grads.arrays()):
        assert mine.shape == ref.shape
        assert np.allclose(mine, ref, rtol=1e-10, atol=1e-13)


def test_mlp_error_leaves_the_network_parameters_untouched():
    net = MLP([2, 3, 1], seed=0)
    w = net.get_w()
    mlp_gradients(net, np.ones((2, 2)), np.zeros((2, 1)))
    assert np.array_equal(net.get_w(), w)


def test_mlp_error_refuses_prelu_layers():
    with pytest.raises(ValueError, match="PReLU"):
        mlp_error(MLP([2, 3, 1], hidden="prelu"), np.ones((1, 2)), np.ones((1, 1)))


def test_float32_values_stay_float32():
    x = Tensor(np.ones((2, 2), dtype=np.float32))
    y = (x @ x).activation("tanh").sum()
    y.backward()
    assert y.value.dtype == np.float32 and x.grad.dtype == np.float32
