"""Tests of nnbook.symmetry: sign flips and permutations leave the network function unchanged (chapter 5)."""

import math

import numpy as np
import pytest

from nnbook import symmetry as S
from nnbook.networks import MLP


def random_net(sizes, hidden="tanh", seed=0):
    net = MLP(sizes, hidden=hidden, seed=seed)
    rng = np.random.default_rng(seed + 100)
    for b in net.b:
        b[:] = rng.standard_normal(b.shape)
    return net


X = np.random.default_rng(7).standard_normal((6, 3))


@pytest.mark.parametrize("M", [1, 2, 3, 4, 5])
def test_symmetry_factor_is_M_factorial_times_2_to_the_M(M):
    assert S.symmetry_factor(M) == math.factorial(M) * 2 ** M
    assert len(list(S.all_transforms(M))) == S.symmetry_factor(M)


def test_symmetry_factor_of_several_layers_is_the_product():
    assert S.symmetry_factor([3, 4]) == S.symmetry_factor(3) * S.symmetry_factor(4)


@pytest.mark.parametrize("M", [1, 2, 3, 4])
def test_every_equivalent_network_gives_the_same_outputs_and_a_distinct_weight_vector(M):
    net = random_net([3, M, 2], seed=M)
    Y = net.forward(X)
    ws = []
    for perm, signs, other in S.equivalent_networks(net):
        assert np.allclose(other.forward(X), Y, rtol=0, atol=1e-14)
        ws.append(other.get_w())
    assert len(ws) == S.symmetry_factor(M)
    assert len({tuple(np.round(w, 12)) for w in ws}) == S.symmetry_factor(M)


def test_sign_flip_negates_incoming_weights_bias_and_outgoing_weights():
    net = random_net([3, 3, 2])
    f = S.flip_sign(net, 1, 1)
    assert np.array_equal(f.W[0][1], -net.W[0][1]) and f.b[0][1] == -net.b[0][1]
    assert np.array_equal(f.W[1][:, 1], -net.W[1][:, 1])
    assert np.array_equal(f.W[0][[0, 2]], net.W[0][[0, 2]])
    assert np.array_equal(f.b[1], net.b[1])


def test_sign_flip_changes_the_hidden_unit_output_sign():
    net = random_net([3, 3, 1])
    z = net.forward(X, keep=True).z[1]
    zf = S.flip_sign(net, 1, [0]).forward(X, keep=True).z[1]
    assert np.allclose(zf[:, 0], -z[:, 0]) and np.allclose(zf[:, 1:], z[:, 1:])


def test_flip_alone_without_the_outgoing_weights_changes_the_function():
    net = random_net([3, 3, 1])
    wrong = net.copy()
    wrong.W[0][0] *= -1
    wrong.b[0][0] *= -1
    assert not np.allclose(wrong.forward(X), net.forward(X))


def test_permutation_moves_rows_of_W1_b1_and_columns_of_W2_together():
    net = random_net([3, 3, 2])
    p = S.permute(net, 1, [2, 0, 1])
    assert np.array_equal(p.W[0], net.W[0][[2, 0, 1]])
    assert np.array_equal(p.W[1], net.W[1][:, [2, 0, 1]])
    assert np.allclose(p.forward(X), net.forward(X), atol=1e-15)


def test_array_versions_agree_with_the_mlp_versions():
    net = random_net([3, 4, 2], seed=3)
    perm, signs = (1, 3, 0, 2), (1, -1, -1, 1)
    W1, b1, W2 = S.transform_units(net.W[0], net.b[0], net.W[1], perm, signs)
    t = S.transform(net, 1, perm, signs)
    assert np.array_equal(W1, t.W[0]) and np.array_equal(b1, t.b[0]) and np.array_equal(W2, t.W[1])


def test_symmetries_of_each_layer_of_a_deep_network_preserve_the_function():
    net = random_net([3, 3, 4, 2], seed=5)
    rng = np.random.default_rng(0)
    for _ in range(20):
        other = net
        for layer, M in ((1, 3), (2, 4)):
            other = S.transform(other, layer, rng.permutation(M), rng.choice([-1, 1], M))
        assert np.allclose(other.forward(X), net.forward(X), atol=1e-14)


def test_sigmoid_units_flip_when_the_output_bias_absorbs_w_kj():
    net = random_net([3, 3, 2], hidden="sigmoid", seed=2)
    f = S.flip_sign(net, 1, [0, 2])
    assert np.allclose(f.forward(X), net.forward(X), atol=1e-14)
    assert np.allclose(f.b[1], net.b[1] + net.W[1][:, [0, 2]].sum(axis=1))


def test_relu_units_have_no_sign_flip_symmetry():
    with pytest.raises(ValueError, match="no sign-flip"):
        S.flip_sign(random_net([3, 2, 1], hidden="relu"), 1, 0)


def test_all_equivalent_networks_share_one_canonical_form():
    net = random_net([3, 3, 2], seed=4)
    forms = [S.canonical_form(o).get_w() for _, _, o in S.equivalent_networks(net)]
    assert np.allclose(forms, forms[0], atol=1e-14)
    assert np.allclose(S.canonical_form(net).forward(X), net.forward(X), atol=1e-14)


def test_training_commutes_with_a_symmetry():
    from nnbook.optim import train
    x = np.linspace(-1, 1, 20)[:, None]
    t = np.sin(3 * x)
    net = random_net([1, 3, 1], seed=9)
    other = S.transform(net, 1, (2, 0, 1), (-1, 1, -1))
    train(net, x, t, epochs=50, eta=0.1, progress=False)
    train(other, x, t, epochs=50, eta=0.1, progress=False)
    assert np.allclose(S.transform(net, 1, (2, 0, 1), (-1, 1, -1)).get_w(), other.get_w(), atol=1e-12)


def test_bad_permutation_and_bad_layer_are_refused():
    net = random_net([3, 3, 1])
    with pytest.raises(ValueError):
        S.permute(net, 1, [0, 0, 1])
    with pytest.raises(ValueError):
        S.flip_sign(net, 2, 0)
    with pytest.raises(ValueError):
        S.flip_units(net.W[0], net.b[0], net.W[1], [1, 0, 1])


# --- coinciding units ("twins"): an invariant subspace with saddle curvature across it -------------

def _sin_data(N=50):
    from nnbook.data import toy_regression
    return toy_regression("sin", N=N)


def test_unit_parameters_are_the_positions_that_an_exchange_swaps_and_a_flip_negates():
    net = random_net([3, 4, 2], seed=1)
    P = S.exchange_matrix(net, 1, 0, 2)
    assert np.array_equal(P @ net.get_w(), S.permute(net, 1, [2, 1, 0, 3]).get_w())
    flipped = S.flip_sign(net, 1, [3]).get_w()
    idx = S.unit_parameters(net, 1, 3)
    assert np.array_equal(flipped[idx], -net.get_w()[idx])
    assert np.array_equal(np.delete(flipped, idx), np.delete(net.get_w(), idx))
    assert idx.size == 3 + 1 + 2                                  # n_in weights, a bias, n_out weights


def test_the_antisymmetric_directions_are_the_minus_one_eigenspace_of_the_exchange():
    net = random_net([2, 3, 2], seed=2)
    D, P = S.twin_directions(net, 1, 0, 2), S.exchange_matrix(net, 1, 0, 2)
    assert np.allclose(D.T @ D, np.eye(D.shape[1])) and np.allclose(P @ D, -D)
    assert D.shape[1] == int(np.sum(np.isclose(np.linalg.eigvalsh(P), -1)))


@pytest.mark.parametrize("batch_size", [None, 7])
def test_gradient_descent_keeps_twins_equal_exactly(batch_size):
    from nnbook.optim import train
    x, t = _sin_data()
    net = S.make_twins(MLP([1, 4, 1], hidden="tanh", seed=4), 1, 1, 3)
    assert S.twin_gap(net, 1, 1, 3) == 0.0
    gaps = []
    train(net, x, t, epochs=300, eta=0.3, batch_size=batch_size, progress=False,
          callback=lambda epoch, m, hist: gaps.append(S.twin_gap(m, 1, 1, 3)))
    assert max(gaps) == 0.0 and S.twin_gap(net, 1, 0, 1) > 0.1


def test_at_a_twin_point_the_gradient_is_symmetric_and_the_hessian_is_block_diagonal():
    from nnbook.hessian import hessian
    x, t = _sin_data()
    net = S.make_twins(random_net([1, 3, 1], seed=5), 1, 0, 2)
    P, D = S.exchange_matrix(net, 1, 0, 2), S.twin_directions(net, 1, 0, 2)
    g = net.gradient(x, t)[1].vector()
    H = hessian(net, x, t)
    assert np.allclose(P @ g, g, rtol=0, atol=1e-13) and np.abs(D.T @ g).max() < 1e-12
    assert np.allclose(P @ H @ P.T, H, atol=1e-10)
    sym = np.linalg.svd(D)[0][:, D.shape[1]:]                       # the symmetric directions
    assert np.abs(D.T @ H @ sym).max() < 1e-10 * np.abs(H).max()


def test_the_antisymmetric_block_has_a_zero_corner_and_a_cross_term_made_of_the_gradient():
    """Pulling twins apart changes no output to first order, so DᵀHD = Σ_n r_n ∇²y_n in those
    directions: the (v_i − v_j) entry is 0 and the cross entries are ∂E/∂(w_i, b_i) divided by v."""
    x, t = _sin_data()
    net = S.make_twins(random_net([1, 3, 1], seed=6), 1, 1, 2)
    A = S.antisymmetric_hessian(net, x, t, 1, 1, 2)               # order: w_1, b_1, v_1 of unit 1
    assert abs(A[2, 2]) < 1e-12 * np.abs(A).max()
    grads = net.gradient(x, t)[1]
    v = net.W[1][0, 1]
    assert np.allclose(A[:2, 2], np.r_[grads.W[0][1], grads.b[0][1]] / v, rtol=1e-8)


def test_at_generic_twin_points_pulling_the_twins_apart_lowers_the_error_to_second_order():
    x, t = _sin_data()
    rng = np.random.default_rng(0)
    for seed in range(40):
        net = S.make_twins(random_net([1, 3, 1], seed=seed), 1, 0, 1)
        net.W[1][0, :2] = rng.standard_normal()                    # any outgoing weight of the twins
        lam, U = np.linalg.eigh(S.antisymmetric_hessian(net, x, t, 1, 0, 1))
        assert lam[0] < 0
        d = S.twin_directions(net, 1, 0, 1) @ U[:, 0]               # the direction of λ_min
        E0, w = net.error(x, t), net.get_w()
        g = net.gradient(x, t)[1].vector()
        assert abs(d @ g) < 1e-10                                    # no first-order change
        e = 1e-3
        assert np.isclose(net.error_of_w(w + e * d, x, t) - E0, 0.5 * lam[0] * e ** 2, rtol=1e-2)


def _twin_stationary_point(x, t, q0):
    """Minimise E over the twin subspace of a 1-2-1 network, q = (w, b, v, c): a stationary point of
    the full network (its antisymmetric gradient vanishes by symmetry)."""
    from nnbook import surface
    from nnbook.hessian import hessian
    net = MLP([1, 2, 1], hidden="tanh")
    Sym = np.zeros((7, 4))
    for k, idx in enumerate([(0, 1), (2, 3), (4, 5)]):
        Sym[list(idx), k] = 1.0
    Sym[6, 3] = 1.0
    q = surface.newton_stationary_point(lambda q: Sym.T @ net.gradient_of_w(Sym @ q, x, t), q0,
                                        lambda q: Sym.T @ hessian(net.copy().set_w(Sym @ q), x, t) @ Sym,
                                        tol=1e-12)
    twin = net.copy().set_w(Sym @ q)
    assert S.twin_gap(twin, 1, 0, 1) == 0.0 and np.linalg.norm(twin.gradient(x, t)[1].vector()) < 1e-9
    return twin


def test_at_a_twin_stationary_point_the_sign_depends_on_the_point():
    # sin(πx): the best one-unit fit, duplicated, is a saddle of the two-unit network
    x, t = _sin_data()
    saddle = _twin_stationary_point(x, t, np.array([-6.4, 0.0, -0.35, 0.0]))
    lam = np.linalg.eigvalsh(S.antisymmetric_hessian(saddle, x, t, 1, 0, 1))
    assert lam[0] < -1e-3
    # nine other points: the duplicated fit has no direction of negative curvature at all
    x9 = np.array([-1.88, -1.54, -1.38, -0.31, 0.27, 0.59, 1.01, 1.09, 1.85])[:, None]
    t9 = np.array([-1.06, 0.57, -0.33, -1.21, 0.14, -0.17, -0.17, 0.63, 1.81])[:, None]
    flat = _twin_stationary_point(x9, t9, np.array([1.305, -2.004, 0.802, 1.18]))
    lam9 = np.linalg.eigvalsh(S.antisymmetric_hessian(flat, x9, t9, 1, 0, 1))
    assert abs(lam9[0]) < 1e-12 and lam9[1] > 1e-5
    from nnbook.hessian import hessian
    assert np.linalg.eigvalsh(hessian(flat, x9, t9))[0] > -1e-12   # positive semi-definite


def test_splitting_a_unit_keeps_the_function_and_makes_a_stationary_point_of_the_wider_network():
    from nnbook import surface
    from nnbook.hessian import hessian
    x, t = _sin_data()
    one = MLP([1, 1, 1], hidden="tanh", seed=0)
    one.set_w(surface.newton_stationary_point(lambda w: one.gradient_of_w(w, x, t),
                                              [-6.4, 0.0, -0.7, 0.0],
                                              lambda w: hessian(one.copy().set_w(w), x, t), tol=1e-12))
    two = S.split_unit(one, 1, 0)
    assert two.sizes == [1, 2, 1] and S.twin_gap(two, 1, 0, 1) == 0.0
    assert np.allclose(two.forward(x), one.forward(x), rtol=0, atol=1e-15)
    assert np.linalg.norm(two.gradient(x, t)[1].vector()) < 1e-12
    wide = S.split_unit(random_net([2, 3, 2], seed=3), 1, 2)
    assert wide.sizes == [2, 4, 2] and S.twin_gap(wide, 1, 2, 3) == 0.0
    assert np.allclose(wide.forward(X[:, :2]), random_net([2, 3, 2], seed=3).forward(X[:, :2]), atol=1e-15)
