"""Tests of nnbook.symmetry: sign flips and permutations leave the network function unchanged (chapter 5)."""

import itertools
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
