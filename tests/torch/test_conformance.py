"""Conformance of the core package with PyTorch autograd (the trusted peer, as in micrograd).

Every activation (h, h', h''), every error function and reduction, the L2 term, and whole
MLPs (E and every parameter gradient, and every δ^(l) = ∂E/∂A^(l)) are computed in numpy
by nnbook and in torch by autograd from the same numbers, in float64, and must agree to
round-off (rtol 1e-10). torch comes from the ``torch`` fixture of conftest.py (skipped
without torch unless NNBOOK_REQUIRE_TORCH is set).
"""

import numpy as np
import pytest

from nnbook import activations, losses
from nnbook.networks import MLP

pytestmark = [pytest.mark.torch, pytest.mark.filterwarnings("error")]

RTOL, ATOL = 1e-10, 1e-13
GRID = np.concatenate([[-1000.0, -20.0, -1.0, -1e-8, 0.0, 1e-8, 1.0, 20.0, 1000.0],
                       np.linspace(-6, 6, 41)])


def close(ours, theirs, rtol=RTOL, atol=ATOL, what=""):
    theirs = theirs.detach().numpy() if hasattr(theirs, "detach") else np.asarray(theirs)
    np.testing.assert_allclose(np.asarray(ours, dtype=np.float64), theirs, rtol=rtol, atol=atol,
                               err_msg=what)


def tensor(torch, x, grad=False):
    return torch.tensor(np.asarray(x, dtype=np.float64), dtype=torch.float64, requires_grad=grad)


def torch_activation(torch, name, params):
    """The torch equivalent of an nnbook activation (PReLU takes its slope tensor)."""
    F = torch.nn.functional
    if name == "sigmoid":
        return torch.sigmoid
    if name == "tanh":
        return torch.tanh
    if name == "relu":
        return torch.relu
    if name == "leaky_relu":
        return lambda x: F.leaky_relu(x, negative_slope=params.get("gamma", 0.01))
    if name == "elu":
        return lambda x: F.elu(x, alpha=params.get("gamma", 1.0))
    if name == "softplus":
        # torch returns x above its threshold (default 20), and its h'' is 0 from there on;
        # at threshold 50 that linearisation is exact in float64 (e^{-50} < eps)
        return lambda x: F.softplus(x, beta=1.0, threshold=50.0)
    if name == "swish":
        beta = params.get("beta", 1.0)
        return F.silu if beta == 1.0 else (lambda x: x * torch.sigmoid(beta * x))
    if name == "identity":
        return lambda x: x
    raise KeyError(name)


def derivatives(torch, f, x):
    """h, h', h'' of an elementwise torch function by autograd (double backward)."""
    x = x.detach().requires_grad_(True)
    y = f(x)
    (dy,) = torch.autograd.grad(y.sum(), x, create_graph=True)
    if dy.requires_grad:
        (d2y,) = torch.autograd.grad(dy.sum(), x, allow_unused=True)
        d2y = torch.zeros_like(x) if d2y is None else d2y
    else:                                   # h' does not depend on x (identity, ReLU-like)
        d2y = torch.zeros_like(x)
    return y, dy, d2y


CASES = [("sigmoid", {}), ("tanh", {}), ("relu", {}), ("leaky_relu", {}), ("leaky_relu", {"gamma": 0.2}),
         ("elu", {}), ("elu", {"gamma": 0.5}), ("softplus", {}), ("swish", {}), ("swish", {"beta": 2.0}),
         ("identity", {})]


# --- activations ----------------------------------------------------------------------------

@pytest.mark.parametrize("name, params", CASES,
                         ids=[n + "".join(f"-{k}={v}" for k, v in p.items()) for n, p in CASES])
def test_activation_h_dh_d2h_match_torch_autograd(torch, name, params):
    act = activations.get(name, **params)
    y, dy, d2y = derivatives(torch, torch_activation(torch, name, params), tensor(torch, GRID))
    close(act.h(GRID), y, what=f"{name} h")
    close(act.dh(GRID), dy, what=f"{name} dh")
    if name == "elu":
        # h'' jumps from γ to 0 at a = 0 and has no value there; nnbook takes the a ≤ 0
        # side (the ECNU lecture's I(x ≤ 0)), torch's double backward the a > 0 side
        kink = GRID == 0
        assert np.all(act.d2h(GRID[kink]) == params.get("gamma", 1.0))
        assert np.all(d2y.numpy()[kink] == 0)
        close(act.d2h(GRID[~kink]), d2y[torch.from_numpy(~kink)], what=f"{name} d2h")
    else:
        close(act.d2h(GRID), d2y, what=f"{name} d2h")


def test_prelu_h_dh_and_gamma_gradient_match_torch_autograd(torch):
    gamma = np.array([0.05, 0.25, 1.5])
    act = activations.PReLU(gamma)
    A = np.repeat(GRID[:, None], 3, axis=1)                          # (N, n_l), one γ per column
    C = np.random.default_rng(0).normal(size=A.shape)                # ∂E/∂z for E = Σ C ⊙ h(A)
    a_t, g_t = tensor(torch, A, True), tensor(torch, gamma, True)
    z = torch.nn.functional.prelu(a_t, g_t)
    E = (z * tensor(torch, C)).sum()
    E.backward()
    close(act.h(A), z, what="prelu h")
    close(act.dh(A) * C, a_t.grad, what="prelu dh")
    close(act.grad_gamma(A, C), g_t.grad, what="prelu dE/dγ")
    close(act.d2h(A), np.zeros_like(A))


# --- losses ----------------------------------------------------------------------------------

N, K = 6, 4
RNG = np.random.default_rng(1)
LOGITS = np.concatenate([RNG.normal(size=(N - 2, K)) * 3,
                         [[1000.0, -1000.0, 0.0, 5.0], [-1000.0, -1000.0, -1000.0, -999.0]]])
LABELS = np.array([0, 3, 1, 2, 1, 3])
ONE_HOT = np.eye(K)[LABELS]
SOFT_T = RNG.dirichlet(np.ones(K), N)
REDUCTIONS = ["sum", "mean", "none"]


def reduce(per_sample, reduction):
    return {"sum": per_sample.sum, "mean": per_sample.mean, "none": lambda: per_sample}[reduction]()


def grad_of(torch, value, x):
    """∂(Σ value)/∂x: the gradient of E (for reduction 'none', of Σ_n E_n)."""
    (g,) = torch.autograd.grad(value.sum(), x)
    return g


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_sum_of_squares_and_its_gradient_match_torch(torch, reduction):
    Y, T = RNG.normal(size=(N, K)), RNG.normal(size=(N, K))
    y = tensor(torch, Y, True)
    E = reduce(0.5 * torch.nn.functional.mse_loss(y, tensor(torch, T), reduction="none").sum(1), reduction)
    close(losses.sum_of_squares(Y, T, reduction), E)
    scale = 1 / N if reduction == "mean" else 1
    close(scale * losses.output_delta(Y, T), grad_of(torch, E, y))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_from_probabilities_matches_torch(torch, reduction):
    Y, T = 1 / (1 + np.exp(-RNG.normal(size=(N, K)))), RNG.uniform(size=(N, K))
    E = reduce(torch.nn.functional.binary_cross_entropy(tensor(torch, Y), tensor(torch, T),
                                                              reduction="none").sum(1), reduction)
    close(losses.binary_cross_entropy(Y, T, reduction), E)


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_binary_cross_entropy_with_logits_and_delta_match_torch(torch, reduction):
    T = RNG.uniform(size=(N, K))
    a = tensor(torch, LOGITS, True)
    E = reduce(torch.nn.functional.binary_cross_entropy_with_logits(a, tensor(torch, T),
                                                                          reduction="none").sum(1), reduction)
    close(losses.binary_cross_entropy_with_logits(LOGITS, T, reduction), E)
    scale = 1 / N if reduction == "mean" else 1
    Y = activations.sigmoid().h(LOGITS)
    close(scale * losses.output_delta(Y, T), grad_of(torch, E, a))       # δ = y − t


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("targets", ["labels", "one_hot", "soft"])
def test_softmax_cross_entropy_and_delta_match_torch(torch, reduction, targets):
    T = {"labels": LABELS, "one_hot": ONE_HOT, "soft": SOFT_T}[targets]
    t = torch.tensor(LABELS) if targets == "labels" else tensor(torch, T)
    a = tensor(torch, LOGITS, True)
    E = torch.nn.functional.cross_entropy(a, t, reduction=reduction)
    close(losses.softmax_cross_entropy(LOGITS, T, reduction), E, rtol=1e-12)
    scale = 1 / N if reduction == "mean" else 1
    close(scale * losses.output_delta(losses.softmax(LOGITS), T), grad_of(torch, E, a))


@pytest.mark.parametrize("reduction", REDUCTIONS)
def test_cross_entropy_from_probabilities_matches_torch_nll(torch, reduction):
    A = LOGITS[:N - 2]                                       # probabilities bounded away from 0
    Y = losses.softmax(A)
    E = torch.nn.functional.nll_loss(torch.log(tensor(torch, Y)), torch.tensor(LABELS[:N - 2]),
                                     reduction=reduction)
    close(losses.cross_entropy(Y, LABELS[:N - 2], reduction), E)
    close(losses.cross_entropy(Y, ONE_HOT[:N - 2], reduction), E)


def test_softmax_log_softmax_logsumexp_match_torch_at_extreme_logits(torch):
    a = tensor(torch, LOGITS)
    close(losses.softmax(LOGITS), torch.softmax(a, dim=1))
    close(losses.log_softmax(LOGITS), torch.log_softmax(a, dim=1))
    close(losses.logsumexp(LOGITS), torch.logsumexp(a, dim=1))


def test_l2_penalty_and_its_gradient_match_torch(torch):
    Ws = [RNG.normal(size=(3, 2)), RNG.normal(size=(2, 3))]
    lam = 0.37
    ws = [tensor(torch, W, True) for W in Ws]
    P = 0.5 * lam * sum((w ** 2).sum() for w in ws)
    P.backward()
    close(losses.l2_penalty(Ws, lam), P)
    for W, w in zip(Ws, ws):
        close(lam * W, w.grad)


# --- whole networks --------------------------------------------------------------------------

def torch_error_and_grads(torch, net, X, T, reduction, l2):
    """Rebuild ``net`` in torch from the same parameters; E, parameter gradients, ∂E/∂A^(l)."""
    F = torch.nn.functional
    params = [tensor(torch, p, True) for p in net.parameters()]
    L = net.L
    W, b = params[0:2 * L:2], params[1:2 * L:2]
    rest = params[2 * L:]
    W_skip = rest.pop(0) if net.skip else None
    gammas = iter(rest)
    x = tensor(torch, X)
    z, A_list = x, []
    for l in range(L):
        A = z @ W[l].T + b[l]                                     # A^(l) = Z^(l-1) W^(l)ᵀ + b^(l)
        if l == L - 1 and W_skip is not None:
            A = A + x @ W_skip.T
        A.retain_grad()
        A_list.append(A)
        if l < L - 1:
            h = net.h[l]
            if isinstance(h, activations.PReLU):
                z = F.prelu(A, next(gammas))
            else:
                z = torch_activation(torch, h.name, h.params)(A)
    A = A_list[-1]
    Y = {"identity": lambda: A, "sigmoid": lambda: torch.sigmoid(A),
         "softmax": lambda: torch.softmax(A, dim=1)}[net.output]()
    labels = np.asarray(T).ndim == 1 and np.issubdtype(np.asarray(T).dtype, np.integer)
    t = torch.tensor(T) if labels else tensor(torch, T)
    if net.loss_name == "sse":
        per = 0.5 * ((Y - t) ** 2).sum(1)
    elif net.loss_name == "bce":
        per = (F.binary_cross_entropy_with_logits(A, t, reduction="none") if net.output == "sigmoid"
               else F.binary_cross_entropy(Y, t, reduction="none")).sum(1)
    elif net.output == "softmax":
        per = F.cross_entropy(A, t, reduction="none")
    else:                                                        # cross-entropy on sigmoid outputs
        per = -(t * torch.log(Y)).sum(1)
    E = per.sum() if reduction == "sum" else per.mean()
    if l2:
        E = E + 0.5 * l2 * sum((w ** 2).sum() for w in W + ([W_skip] if W_skip is not None else []))
    E.backward()
    return E, [p.grad for p in params], [A.grad for A in A_list]


NETS = [  # sizes, hidden activations, output, loss
    ([3, 2], [], "identity", "sse"),
    ([3, 4, 2], ["tanh"], "identity", "sse"),
    ([3, 4, 3], ["sigmoid"], "softmax", "ce"),
    ([2, 5, 2], ["relu"], "sigmoid", "bce"),
    ([3, 4, 3, 2], ["leaky_relu", "elu"], "softmax", "ce"),
    ([3, 4, 3, 2], ["prelu", "softplus"], "identity", "sse"),
    ([4, 5, 4, 3, 3], ["swish", "tanh", "identity"], "softmax", "ce"),
    ([4, 3, 3, 3, 2], ["prelu", "relu", "sigmoid"], "sigmoid", "bce"),
    ([3, 4, 2], ["tanh"], "sigmoid", "sse"),                     # non-canonical pairs
    ([3, 4, 3], ["softplus"], "softmax", "sse"),
    ([3, 4, 3], ["elu"], "softmax", "bce"),
    ([3, 4, 2], ["swish"], "sigmoid", "ce"),
]


def make_problem(sizes, hidden, output, loss, skip, seed, labels=False, Nn=5):
    rng = np.random.default_rng(seed)
    net = MLP(sizes, hidden=hidden, output=output, loss=loss, skip=skip, seed=seed)
    net.set_w(rng.normal(0, 0.7, net.n_params))
    for h in net.h:
        if isinstance(h, activations.PReLU):
            h.gamma[:] = rng.uniform(0.05, 0.5, h.gamma.shape)
    X = rng.normal(size=(Nn, sizes[0]))
    K = sizes[-1]
    if loss == "sse":
        T = rng.normal(size=(Nn, K))
    elif loss == "bce":
        T = rng.uniform(size=(Nn, K))
    else:
        T = rng.integers(0, K, Nn) if labels else rng.dirichlet(np.ones(K), Nn)
    return net, X, T


@pytest.mark.parametrize("reduction, l2", [("sum", 0.0), ("mean", 0.1)])
@pytest.mark.parametrize("skip", [False, True], ids=["plain", "skip"])
@pytest.mark.parametrize("sizes, hidden, output, loss", NETS,
                         ids=[f"{'-'.join(map(str, s))}-{','.join(h) or 'none'}-{o}+{l}" for s, h, o, l in NETS])
def test_mlp_error_gradients_and_deltas_match_torch_autograd(torch, sizes, hidden, output, loss, skip,
                                                             reduction, l2):
    net, X, T = make_problem(sizes, hidden, output, loss, skip, seed=len(sizes) + 7 * skip)
    E, g = net.gradient(X, T, reduction, l2)
    E_t, grads_t, deltas_t = torch_error_and_grads(torch, net, X, T, reduction, l2)
    close(E, E_t, rtol=1e-12, what="E")
    ours = g.arrays()
    assert len(ours) == len(grads_t)
    for i, (mine, theirs) in enumerate(zip(ours, grads_t)):
        close(mine, theirs, what=f"parameter array {i} of {net!r}")
    for l, (mine, theirs) in enumerate(zip(g.deltas, deltas_t), start=1):
        close(mine, theirs, what=f"delta^({l})")


@pytest.mark.parametrize("reduction", ["sum", "mean"])
def test_mlp_with_integer_labels_matches_torch_cross_entropy(torch, reduction):
    net, X, T = make_problem([3, 5, 4], ["relu"], "softmax", "ce", skip=True, seed=3, labels=True)
    assert T.dtype.kind == "i"
    E, g = net.gradient(X, T, reduction, 0.05)
    E_t, grads_t, _ = torch_error_and_grads(torch, net, X, T, reduction, 0.05)
    close(E, E_t, rtol=1e-12)
    for mine, theirs in zip(g.arrays(), grads_t):
        close(mine, theirs)
