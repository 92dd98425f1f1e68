"""Conformance of nnbook.autodiff with PyTorch autograd on the same networks (chapter 11).

The network is rebuilt in torch from the same parameter arrays, the error is computed the
same way, and every gradient of our small reverse-mode engine is compared with
``torch.autograd``'s.
"""

import numpy as np
import pytest

from nnbook.autodiff import Tensor, mlp_gradients, softmax_cross_entropy
from nnbook.networks import MLP

pytestmark = pytest.mark.torch

CASES = [  # (sizes, hidden, output, skip)
    ([3, 4, 2], "tanh", "identity", False),
    ([3, 5, 4, 3], ["relu", "sigmoid"], "softmax", False),
    ([2, 6, 5, 4, 2], ["softplus", "elu", "tanh"], "sigmoid", False),
    ([4, 3, 2], "swish", "identity", True),
]


def _act(torch, name):
    F = torch.nn.functional
    return {"tanh": torch.tanh, "sigmoid": torch.sigmoid, "relu": torch.relu, "softplus": F.softplus,
            "elu": F.elu, "swish": lambda a: a * torch.sigmoid(a)}[name]


def _problem(sizes, hidden, output, skip, N=6, seed=0):
    rng = np.random.default_rng(seed)
    net = MLP(sizes, hidden=hidden, output=output, skip=skip, seed=seed)
    net.set_w(rng.normal(0, 0.7, net.n_params))
    X = rng.standard_normal((N, sizes[0]))
    K = sizes[-1]
    T = {"identity": rng.standard_normal((N, K)), "sigmoid": (rng.random((N, K)) > 0.5) * 1.0,
         "softmax": rng.integers(0, K, N)}[output]
    return net, X, T


def _torch_gradients(torch, net, X, T, reduction, l2):
    params = [torch.tensor(p, dtype=torch.float64, requires_grad=True) for p in net.parameters()]
    Xt = torch.as_tensor(X, dtype=torch.float64)
    Z = Xt
    for l in range(1, net.L + 1):
        A = Z @ params[2 * l - 2].T + params[2 * l - 1]
        if l == net.L and net.skip:
            A = A + Xt @ params[2 * net.L].T
        if l < net.L:
            Z = _act(torch, net.h[l - 1].name)(A)
    F = torch.nn.functional
    if net.output == "softmax":
        E = F.cross_entropy(A, torch.as_tensor(T), reduction=reduction)
    elif net.output == "sigmoid":
        E = F.binary_cross_entropy_with_logits(A, torch.as_tensor(T), reduction="sum")
        E = E / X.shape[0] if reduction == "mean" else E
    else:
        E = 0.5 * ((A - torch.as_tensor(T)) ** 2).sum()
        E = E / X.shape[0] if reduction == "mean" else E
    weights = params[0:2 * net.L:2] + ([params[2 * net.L]] if net.skip else [])
    E = E + 0.5 * l2 * sum((W ** 2).sum() for W in weights)
    E.backward()
    return [p.grad.numpy() for p in params]


@pytest.mark.parametrize("sizes, hidden, output, skip", CASES)
@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_autodiff_gradients_agree_with_torch_autograd(torch, sizes, hidden, output, skip, reduction):
    net, X, T = _problem(sizes, hidden, output, skip)
    ours = mlp_gradients(net, X, T, reduction=reduction, l2=0.05)
    theirs = _torch_gradients(torch, net, X, T, reduction, 0.05)
    assert len(ours) == len(theirs)
    for a, b in zip(ours, theirs):
        assert a.shape == b.shape
        assert np.allclose(a, b, rtol=1e-10, atol=1e-12)


def test_log_softmax_and_softmax_cross_entropy_vjps_agree_with_torch(torch):
    rng = np.random.default_rng(1)
    A = rng.standard_normal((5, 4)) * 3
    G = rng.standard_normal((5, 4))
    labels = rng.integers(0, 4, 5)

    ours = Tensor(A)
    (ours.log_softmax() * G).sum().backward()
    At = torch.tensor(A, requires_grad=True)
    (torch.log_softmax(At, dim=1) * torch.as_tensor(G)).sum().backward()
    assert np.allclose(ours.grad, At.grad.numpy(), rtol=1e-12, atol=1e-14)

    ours = Tensor(A)
    softmax_cross_entropy(ours, labels, "mean").backward()
    At = torch.tensor(A, requires_grad=True)
    torch.nn.functional.cross_entropy(At, torch.as_tensor(labels)).backward()
    assert np.allclose(ours.grad, At.grad.numpy(), rtol=1e-12, atol=1e-14)
