"""Conformance with PyTorch autograd: R-operator Hessian-vector products and Jacobians.

The network is rebuilt in torch from the *same* flat vector w (the layout of
``net.get_w()``), so every difference would be a difference of derivatives.
"""

import numpy as np
import pytest

from nnbook.hessian import hessian_exact_two_layer, hessian_r_operator, hessian_vector_product, parameter_blocks
from nnbook.jacobian import jacobian
from nnbook.networks import MLP

pytestmark = pytest.mark.torch

OUTPUTS = ["identity", "sigmoid", "softmax"]
CONFIGS = [  # (sizes, hidden activations)
    ([3, 2], []),
    ([3, 4, 2], ["tanh"]),
    ([3, 4, 3, 2], ["softplus", "swish"]),
    ([2, 5, 4, 3, 2], ["sigmoid", "elu", "tanh"]),
]


def _act(torch, name):
    return {
        "tanh": torch.tanh,
        "sigmoid": torch.sigmoid,
        "softplus": torch.nn.functional.softplus,
        "swish": lambda a: a * torch.sigmoid(a),
        "elu": torch.nn.functional.elu,
    }[name]


def _problem(sizes, hidden, output, skip, seed=0, N=5):
    rng = np.random.default_rng(seed)
    net = MLP(sizes, hidden=hidden, output=output, skip=skip, seed=seed)
    net.set_w(rng.normal(0, 0.6, net.n_params))
    X = rng.normal(size=(N, sizes[0]))
    K = sizes[-1]
    T = rng.integers(0, K, N) if output == "softmax" else (
        rng.uniform(0.05, 0.95, (N, K)) if output == "sigmoid" else rng.normal(size=(N, K)))
    return net, X, T


def _torch_net(torch, net, X):
    """w ↦ net inputs of the outputs a^(L) (N, K), written in torch."""
    blocks = parameter_blocks(net)
    Xt = torch.as_tensor(X, dtype=torch.float64)

    def a_out(w, Xin=Xt):
        p = {b.name: w[b.slice].reshape(b.shape) for b in blocks}
        z = Xin
        for l in range(1, net.L + 1):
            a = z @ p[f"W{l}"].T + p[f"b{l}"]
            if l < net.L:
                z = _act(torch, net.h[l - 1].name)(a)
        if net.skip:
            a = a + Xin @ p["W_skip"].T
        return a
    return a_out


def _torch_error(torch, net, X, T, reduction="sum"):
    a_out = _torch_net(torch, net, X)
    Tt = torch.as_tensor(net._targets(T, X.shape[0]), dtype=torch.float64)

    def E(w):
        a = a_out(w)
        if net.output == "identity":
            per = 0.5 * ((a - Tt) ** 2).sum(dim=1)
        elif net.output == "sigmoid":
            per = (torch.nn.functional.softplus(a) - Tt * a).sum(dim=1)
        else:
            per = -(Tt * torch.log_softmax(a, dim=1)).sum(dim=1)
        return per.sum() if reduction == "sum" else per.mean()
    return E


def _torch_output(torch, net):
    def y(a):
        if net.output == "sigmoid":
            return torch.sigmoid(a)
        if net.output == "softmax":
            return torch.softmax(a, dim=1)
        return a
    return y


@pytest.mark.parametrize("skip", [False, True], ids=["no_skip", "skip"])
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("sizes,hidden", CONFIGS, ids=["L1", "L2", "L3", "L4"])
def test_r_operator_product_matches_torch_hvp(torch, sizes, hidden, output, skip):
    net, X, T = _problem(sizes, hidden, output, skip)
    E = _torch_error(torch, net, X, T)
    w = torch.as_tensor(net.get_w())
    for seed in range(3):
        v = np.random.default_rng(100 + seed).normal(size=net.n_params)
        _, hvp = torch.autograd.functional.hvp(E, w, torch.as_tensor(v))
        np.testing.assert_allclose(hessian_vector_product(net, X, T, v), hvp.numpy(), rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("output", OUTPUTS)
def test_r_operator_product_matches_torch_double_backward_for_mean_error(torch, output):
    net, X, T = _problem([3, 4, 3, 2], ["tanh", "softplus"], output, skip=True, N=7)
    E = _torch_error(torch, net, X, T, reduction="mean")
    w = torch.as_tensor(net.get_w()).requires_grad_(True)
    v = np.random.default_rng(1).normal(size=net.n_params)
    (g,) = torch.autograd.grad(E(w), w, create_graph=True)
    (hv,) = torch.autograd.grad(g @ torch.as_tensor(v), w)
    np.testing.assert_allclose(hessian_vector_product(net, X, T, v, reduction="mean"), hv.numpy(),
                               rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("output", OUTPUTS)
def test_whole_hessian_matches_torch_hessian(torch, output):
    net, X, T = _problem([3, 4, 2], ["swish"], output, skip=True)
    H_torch = torch.autograd.functional.hessian(_torch_error(torch, net, X, T),
                                                torch.as_tensor(net.get_w())).numpy()
    np.testing.assert_allclose(hessian_r_operator(net, X, T), H_torch, rtol=1e-10, atol=1e-12)
    np.testing.assert_allclose(hessian_exact_two_layer(net, X, T), H_torch, rtol=1e-10, atol=1e-12)


@pytest.mark.parametrize("skip", [False, True], ids=["no_skip", "skip"])
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("sizes,hidden", CONFIGS, ids=["L1", "L2", "L3", "L4"])
def test_jacobian_matches_torch_jacobian(torch, sizes, hidden, output, skip):
    net, X, _ = _problem(sizes, hidden, output, skip)
    a_out = _torch_net(torch, net, X)
    y_of = _torch_output(torch, net)
    w = torch.as_tensor(net.get_w())
    # J of the whole batch is (N, K, N, D); samples do not interact, so keep the n = n' blocks.
    J_full = torch.autograd.functional.jacobian(lambda Xin: y_of(a_out(w, Xin)),
                                                torch.as_tensor(X, dtype=torch.float64)).numpy()
    N = X.shape[0]
    J_torch = J_full[np.arange(N), :, np.arange(N), :]
    np.testing.assert_allclose(jacobian(net, X), J_torch, rtol=1e-12, atol=1e-14)
    np.testing.assert_allclose(jacobian(net, X, mode="forward"), J_torch, rtol=1e-12, atol=1e-14)
