"""The diagonal of the Hessian by the backward recursion for ∂²E_n/∂a_j² (the Nankai lecture).

Where the dropped terms ∂²E_n/∂a_k∂a_k' (k ≠ k') vanish, the lecture's approximation is
exact; where they do not, it is not; keeping them (drop_off_diagonal=False) is always exact.

Which terms vanish: ∂²E_n/∂w_ji² = z_i² ∂²E_n/∂a_j², so a layer's entries are exact iff
its ∂²E_n/∂a_j² is. At the outputs it always is. One layer down it needs the output
matrix M_kk' to be diagonal: true for identity + SSE (M = I) and sigmoid + BCE
(M = diag y(1−y)), false for softmax + CE (M = diag y − y yᵀ). Further down, the hidden
matrices M^(l)_jj' = h'(a_j)h'(a_j') Σ_kk' w_kj M_kk' w_k'j' are full unless the layer
above has a single unit.
"""

import numpy as np
import pytest

from nnbook.activations import get
from nnbook.hessian import diagonal_backward_layer, hessian_diagonal, hessian_r_operator
from nnbook.hessian.layout import parameter_blocks

OUTPUTS = ["identity", "sigmoid", "softmax"]


def _blocks(net, vector):
    return {b.name: vector[b.slice] for b in parameter_blocks(net)}


def _rel_diff(a, b):
    return np.max(np.abs(a - b)) / max(1.0, np.max(np.abs(b)))


@pytest.mark.parametrize("skip", [False, True], ids=["no_skip", "skip"])
@pytest.mark.parametrize("output", OUTPUTS)
@pytest.mark.parametrize("depth", [1, 2, 3, 4])
def test_full_recursion_gives_the_true_diagonal(problem, close, depth, output, skip):
    sizes = [3, 4, 3, 3][:depth] + [3]
    hidden = ["tanh", "softplus", "swish"][:depth - 1]
    net, X, T = problem(sizes, hidden=hidden, output=output, skip=skip, N=5, seed=depth)
    close(hessian_diagonal(net, X, T, drop_off_diagonal=False),
          np.diag(hessian_r_operator(net, X, T)), 1e-12)


@pytest.mark.parametrize("skip", [False, True], ids=["no_skip", "skip"])
@pytest.mark.parametrize("output", ["identity", "sigmoid"])
def test_approximation_is_exact_for_one_hidden_layer_with_diagonal_output_curvature(problem, close, output, skip):
    net, X, T = problem([3, 5, 4], hidden="tanh", output=output, skip=skip, N=6)
    close(hessian_diagonal(net, X, T), np.diag(hessian_r_operator(net, X, T)), 1e-12)


def test_approximation_errs_below_softmax_outputs_and_is_exact_at_them(problem, close):
    net, X, T = problem([3, 5, 4], hidden="tanh", output="softmax", N=6, scale=1.0)
    approx = _blocks(net, hessian_diagonal(net, X, T))
    true = _blocks(net, np.diag(hessian_r_operator(net, X, T)))
    for name in ("W2", "b2"):
        close(approx[name], true[name], 1e-12, name)
    for name in ("W1", "b1"):
        assert _rel_diff(approx[name], true[name]) > 1e-2, f"{name}: the dropped softmax terms should matter"


@pytest.mark.parametrize("output", ["identity", "sigmoid"])
def test_approximation_is_exact_in_top_two_layers_and_errs_below(problem, close, output):
    net, X, T = problem([3, 4, 5, 2], hidden=["tanh", "softplus"], output=output, N=6, scale=1.0)
    approx = _blocks(net, hessian_diagonal(net, X, T))
    true = _blocks(net, np.diag(hessian_r_operator(net, X, T)))
    for name in ("W3", "b3", "W2", "b2"):
        close(approx[name], true[name], 1e-12, name)
    for name in ("W1", "b1"):
        assert _rel_diff(approx[name], true[name]) > 1e-2, f"{name}: off-diagonal M^(2) should matter"


def test_approximation_is_exact_for_a_chain_of_single_units(problem, close):
    """With one unit per layer every ∂²E/∂a∂a' is 1 × 1: nothing is dropped."""
    net, X, T = problem([2, 1, 1, 1, 1], hidden=["tanh", "sigmoid", "swish"], output="identity",
                        skip=True, N=5, scale=1.0)
    close(hessian_diagonal(net, X, T), np.diag(hessian_r_operator(net, X, T)), 1e-12)


def test_diagonal_backward_layer_is_the_lecture_equation():
    """Both forms, written with explicit sums over k and k'."""
    rng = np.random.default_rng(0)
    N, K, J = 2, 3, 4
    M_full = rng.normal(size=(N, K, K))
    M_full = M_full + np.swapaxes(M_full, 1, 2)
    delta, W, A = rng.normal(size=(N, K)), rng.normal(size=(K, J)), rng.normal(size=(N, J))
    h = get("tanh")
    hp, hpp = h.dh(A), h.d2h(A)
    full = diagonal_backward_layer(M_full, delta, W, A, h, drop_off_diagonal=False)
    approx = diagonal_backward_layer(np.diagonal(M_full, axis1=1, axis2=2).copy(), delta, W, A, h)
    for n in range(N):
        for j in range(J):
            back = hpp[n, j] * sum(W[k, j] * delta[n, k] for k in range(K))
            exact = hp[n, j] ** 2 * sum(W[k, j] * W[kk, j] * M_full[n, k, kk]
                                        for k in range(K) for kk in range(K)) + back
            dropped = hp[n, j] ** 2 * sum(W[k, j] ** 2 * M_full[n, k, k] for k in range(K)) + back
            assert abs(full[n, j, j] - exact) < 1e-12
            assert abs(approx[n, j] - dropped) < 1e-12


def test_diagonal_has_one_entry_per_parameter_in_get_w_order(problem):
    net, X, T = problem([2, 3, 2], output="softmax", skip=True, N=3)
    d = hessian_diagonal(net, X, T)
    assert d.shape == (net.n_params,) and d.dtype == np.float64
