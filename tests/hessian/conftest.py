"""Small random problems shared by the Jacobian and Hessian tests."""

import numpy as np
import pytest

from nnbook.networks import MLP

#: Hidden activations with a smooth second derivative (finite differences agree everywhere).
SMOOTH = ["tanh", "sigmoid", "softplus", "swish"]
#: The three canonical output/error pairs.
OUTPUTS = ["identity", "sigmoid", "softmax"]


def build(sizes, hidden="tanh", output="identity", skip=False, N=4, seed=0, scale=0.6,
          loss=None, dtype=np.float64, targets="random"):
    """A network with random weights *and biases*, inputs X (N, D) and targets T.

    targets: "random" (real numbers for identity, soft labels in (0, 1) for sigmoid,
    integer classes for softmax) or "outputs" (T = y(X): zero residuals).
    """
    rng = np.random.default_rng(seed)
    net = MLP(sizes, hidden=hidden, output=output, loss=loss, skip=skip, seed=seed, dtype=dtype)
    net.set_w(rng.normal(0.0, scale, net.n_params))
    X = rng.normal(size=(N, sizes[0])).astype(dtype)
    K = sizes[-1]
    if targets == "outputs":
        T = net.forward(X)
    elif output == "softmax" and (loss in (None, "ce")):
        T = rng.integers(0, K, N)
    elif output == "sigmoid" or loss == "bce":
        T = rng.uniform(0.05, 0.95, size=(N, K))
    else:
        T = rng.normal(size=(N, K))
    return net, X, T


def assert_close(actual, expected, rtol, what=""):
    """max |actual − expected| ≤ rtol · max(1, max |expected|), with a readable message."""
    actual, expected = np.asarray(actual, dtype=np.float64), np.asarray(expected, dtype=np.float64)
    assert actual.shape == expected.shape, f"{what}: shape {actual.shape} != {expected.shape}"
    scale = max(1.0, float(np.max(np.abs(expected))) if expected.size else 1.0)
    err = float(np.max(np.abs(actual - expected))) if expected.size else 0.0
    assert err <= rtol * scale, f"{what}: max difference {err:.3e} > {rtol:.1e} × {scale:.3g}"


@pytest.fixture
def problem():
    """The :func:`build` factory."""
    return build


@pytest.fixture
def close():
    """The :func:`assert_close` check."""
    return assert_close
