"""Property tests: backpropagation agrees with central differences on random networks (ch. 10, 13).

Hypothesis draws the depth (1-4 weight layers), the widths (1-6), a hidden activation per
layer (all nine), an output/error pair (the three canonical ones and four non-canonical
ones), the batch size (1-5), skip-layer connections, weight decay λ, the reduction and a
seed for the weights, biases, PReLU slopes, inputs and targets. ReLU-like units are
differentiable except at a = 0, so samples with a hidden net input within 1e-4 of 0 are
rejected. The examples are derandomised: every run checks the same networks.
"""

from dataclasses import dataclass
from typing import List, Tuple

import numpy as np
import pytest
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

from nnbook import activations
from nnbook.gradcheck import central_difference
from nnbook.networks import MLP

pytestmark = pytest.mark.filterwarnings("error")

CANONICAL = [("identity", "sse"), ("sigmoid", "bce"), ("softmax", "ce")]
NON_CANONICAL = [("sigmoid", "sse"), ("softmax", "sse"), ("softmax", "bce"), ("sigmoid", "ce")]
KINKED = {"relu", "leaky_relu", "prelu", "elu"}
KINK_MARGIN = 1e-4

SETTINGS = dict(deadline=None, derandomize=True, database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])


@dataclass
class Case:
    sizes: List[int]
    hidden: List[str]
    output: str
    loss: str
    N: int
    skip: bool
    l2: float
    reduction: str
    labels: bool
    seed: int

    def __repr__(self):
        return (f"Case(sizes={self.sizes}, hidden={self.hidden}, {self.output}+{self.loss}, N={self.N}, "
                f"skip={self.skip}, l2={self.l2}, {self.reduction}, labels={self.labels}, seed={self.seed})")


@st.composite
def cases(draw):
    L = draw(st.integers(1, 4))
    sizes = draw(st.lists(st.integers(1, 6), min_size=L + 1, max_size=L + 1))
    hidden = draw(st.lists(st.sampled_from(activations.names()), min_size=L - 1, max_size=L - 1))
    output, loss = draw(st.sampled_from(CANONICAL + NON_CANONICAL))
    return Case(sizes, hidden, output, loss,
                N=draw(st.integers(1, 5)), skip=draw(st.booleans()),
                l2=draw(st.sampled_from([0.0, 0.1])), reduction=draw(st.sampled_from(["sum", "mean"])),
                labels=output == "softmax" and loss == "ce" and draw(st.booleans()),
                seed=draw(st.integers(0, 2 ** 32 - 1)))


def build(case: Case, dtype=np.float64) -> Tuple[MLP, np.ndarray, np.ndarray]:
    """The network (with random biases and PReLU slopes), inputs X (N, D) and targets T."""
    rng = np.random.default_rng(case.seed)
    net = MLP(case.sizes, hidden=case.hidden, output=case.output, loss=case.loss, skip=case.skip,
              seed=rng, dtype=np.float64)
    for b in net.b:
        b[:] = 0.5 * rng.standard_normal(b.shape)
    for h in net.h:
        if isinstance(h, activations.PReLU):
            h.gamma[:] = rng.uniform(0.05, 0.5, h.gamma.shape)
    N, D, K = case.N, case.sizes[0], case.sizes[-1]
    X = rng.standard_normal((N, D))
    if case.loss == "sse":
        T = rng.standard_normal((N, K))
    elif case.loss == "bce":
        T = rng.uniform(0, 1, (N, K))                     # soft targets in [0, 1]
    elif case.labels:
        T = rng.integers(0, K, N)                         # integer class labels
    else:
        T = rng.dirichlet(np.ones(K), N)                  # rows sum to 1
    if dtype != np.float64:                               # the same numbers, rounded to dtype
        w = net.get_w().astype(dtype)
        net32 = MLP(case.sizes, hidden=case.hidden, output=case.output, loss=case.loss,
                    skip=case.skip, dtype=dtype).set_w(w)
        X = X.astype(dtype)
        T = T.astype(dtype) if T.dtype.kind == "f" else T
        return net32, X, T
    return net, X, T


def off_the_kinks(net: MLP, X) -> bool:
    """True if no ReLU-like hidden unit has a net input within KINK_MARGIN of 0."""
    cache = net.forward(np.asarray(X, dtype=np.float64), keep=True)
    return all(np.min(np.abs(A)) > KINK_MARGIN for A, h in zip(cache.a[:-1], net.h) if h.name in KINKED)


@settings(max_examples=100, **SETTINGS)
@given(case=cases())
def test_backprop_gradient_matches_central_differences_float64(case):
    net, X, T = build(case)
    assume(off_the_kinks(net, X))
    E, grads = net.gradient(X, T, case.reduction, case.l2)
    assert E == pytest.approx(net.error(X, T, case.reduction, case.l2), rel=1e-14, abs=1e-300)
    g = grads.vector()
    assert g.shape == (net.n_params,) and g.dtype == np.float64
    num = central_difference(lambda w: net.error_of_w(w, X, T, case.reduction, case.l2), net.get_w(), 1e-6)
    scale = max(1.0, abs(E))
    np.testing.assert_allclose(g, num, rtol=1e-6, atol=1e-8 * scale, err_msg=repr(case))


@settings(max_examples=60, **SETTINGS)
@given(case=cases())
def test_backprop_gradient_in_float32_matches_float64_gradient(case):
    net32, X32, T32 = build(case, np.float32)
    net64 = MLP(case.sizes, hidden=case.hidden, output=case.output, loss=case.loss, skip=case.skip)
    net64.set_w(net32.get_w().astype(np.float64))           # exactly the float32 parameters
    X64 = X32.astype(np.float64)
    T64 = T32.astype(np.float64) if T32.dtype.kind == "f" else T32
    assume(off_the_kinks(net64, X64))
    E32, g32 = net32.gradient(X32, T32, case.reduction, case.l2)
    E64, g64 = net64.gradient(X64, T64, case.reduction, case.l2)
    v32, v64 = g32.vector(), g64.vector()
    assert v32.dtype == np.float32 and all(x.dtype == np.float32 for x in g32.deltas)
    scale = max(1.0, abs(E64), float(np.max(np.abs(v64))))
    assert E32 == pytest.approx(E64, rel=1e-4, abs=1e-5 * scale)
    np.testing.assert_allclose(v32, v64, rtol=1e-4, atol=2e-5 * scale, err_msg=repr(case))


@settings(max_examples=30, **SETTINGS)
@given(case=cases())
def test_mean_reduction_gradient_is_sum_gradient_over_n(case):
    net, X, T = build(case)
    _, gs = net.gradient(X, T, "sum", 0.0)
    _, gm = net.gradient(X, T, "mean", 0.0)
    np.testing.assert_allclose(gm.vector(), gs.vector() / case.N, rtol=1e-12, atol=1e-300)
