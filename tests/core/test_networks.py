"""nnbook.networks.MLP: shapes, parameters as one vector, dtypes, skip layers, PReLU (ch. 3, 10, 11)."""

import numpy as np
import pytest

from nnbook import activations, losses
from nnbook.gradcheck import central_difference
from nnbook.networks import MLP

pytestmark = pytest.mark.filterwarnings("error")

RNG = np.random.default_rng(7)
X = RNG.normal(size=(6, 3))
LABELS = np.array([0, 1, 1, 0, 1, 0])


def numerical(net, X, T, reduction="sum", l2=0.0):
    return central_difference(lambda w: net.error_of_w(w, X, T, reduction, l2), net.get_w(), 1e-6)


# --- the network function ---------------------------------------------------------------

def test_forward_is_the_batch_formula_of_the_lectures():
    net = MLP([3, 4, 2], hidden="tanh", output="identity", seed=1)
    net.b[0][:] = RNG.normal(size=4)
    net.b[1][:] = RNG.normal(size=2)
    W1, b1, W2, b2 = net.W[0], net.b[0], net.W[1], net.b[1]
    # element form a_j = Σ_i w_ji x_i + b_j (the Nankai lecture) for the first sample
    a1 = np.array([sum(W1[j, i] * X[0, i] for i in range(3)) + b1[j] for j in range(4)])
    y = np.array([sum(W2[k, j] * np.tanh(a1[j]) for j in range(4)) + b2[k] for k in range(2)])
    np.testing.assert_allclose(net.forward(X)[0], y, rtol=1e-14)
    # batch form A = Z Wᵀ + b
    np.testing.assert_allclose(net.forward(X), np.tanh(X @ W1.T + b1) @ W2.T + b2, rtol=1e-14)
    assert net.W[0].shape == (4, 3) and net.b[0].shape == (4,)


def test_cache_holds_every_a_and_z_with_batch_first_shapes():
    net = MLP([3, 5, 4, 2], hidden=["relu", "sigmoid"], output="softmax")
    c = net.forward(X, keep=True)
    assert [A.shape for A in c.a] == [(6, 5), (6, 4), (6, 2)]
    assert [Z.shape for Z in c.z] == [(6, 3), (6, 5), (6, 4)]
    np.testing.assert_array_equal(c.z[0], X)
    np.testing.assert_allclose(c.y, losses.softmax(c.a[-1]))
    assert c.nbytes == sum(x.nbytes for x in c.a + c.z) + c.y.nbytes


@pytest.mark.parametrize("output, check", [
    ("identity", lambda Y: True),
    ("sigmoid", lambda Y: np.all((Y > 0) & (Y < 1))),
    ("softmax", lambda Y: np.allclose(Y.sum(axis=1), 1)),
])
def test_output_activation_by_task(output, check):
    assert check(MLP([3, 4, 2], output=output).forward(X))


def test_linear_hidden_units_collapse_to_one_linear_map():
    net = MLP([3, 4, 4, 2], hidden="identity", output="identity", seed=3)
    W = net.W[2] @ net.W[1] @ net.W[0]
    b = net.W[2] @ (net.W[1] @ net.b[0] + net.b[1]) + net.b[2]
    np.testing.assert_allclose(net.forward(X), X @ W.T + b, rtol=1e-12)


# --- wrong shapes name the expected shape ---------------------------------------------------

def test_wrong_input_shape_names_the_expected_shape():
    net = MLP([3, 4, 2])
    with pytest.raises(ValueError, match=r"X must have shape \(N, D\) = \(N, 3\); got \(6, 4\)"):
        net.forward(np.zeros((6, 4)))
    with pytest.raises(ValueError, match=r"\(N, 3\); got \(3,\)"):
        net.forward(np.zeros(3))
    with pytest.raises(ValueError, match=r"\(N, 3\)"):
        net.gradient(np.zeros((6, 2, 3)), np.zeros((6, 2)))


@pytest.mark.parametrize("output, T", [
    ("identity", np.zeros((6, 3))), ("identity", np.zeros((5, 2))), ("identity", np.zeros(6)),
    ("sigmoid", np.zeros((1, 2))), ("softmax", np.zeros((6, 3))),
    ("softmax", np.array([0, 1, 0, 1])),
], ids=["K", "N", "1d", "broadcast", "softmax_K", "labels_N"])
def test_wrong_target_shape_names_the_expected_shape(output, T):
    net = MLP([3, 4, 2], output=output)
    with pytest.raises(ValueError, match=r"T must have shape \(N, K\) = \(6, 2\)"):
        net.error(X, T)
    with pytest.raises(ValueError, match=r"\(N, K\) = \(6, 2\)"):
        net.gradient(X, T)


def test_one_input_and_one_output_accept_one_dimensional_arrays():
    net = MLP([1, 3, 1])
    x, t = np.linspace(-1, 1, 5), np.linspace(0, 1, 5)
    assert net.forward(x).shape == (5, 1)
    assert net.error(x, t) == pytest.approx(net.error(x[:, None], t[:, None]))


def test_bad_constructor_arguments_are_rejected_with_the_choices():
    with pytest.raises(ValueError, match="sizes"):
        MLP([3])
    with pytest.raises(ValueError, match="sizes"):
        MLP([3, 0, 2])
    with pytest.raises(ValueError, match="output must be one of"):
        MLP([3, 2], output="tanh")
    with pytest.raises(ValueError, match="loss must be one of"):
        MLP([3, 2], loss="mse")
    with pytest.raises(ValueError, match="one per hidden layer"):
        MLP([3, 4, 2], hidden=["tanh", "relu"])
    with pytest.raises(ValueError, match="init must be"):
        MLP([3, 2], init="xavier")
    with pytest.raises(ValueError, match="unknown activation"):
        MLP([3, 4, 2], hidden="softsign")


def test_backward_rejects_reduction_none():
    net = MLP([3, 4, 2])
    with pytest.raises(ValueError, match="reduction must be 'sum' or 'mean'"):
        net.backward(net.forward(X, keep=True), np.zeros((6, 2)), reduction="none")


def test_error_rejects_reduction_none_with_a_value_error():
    with pytest.raises(ValueError, match="reduction"):
        MLP([3, 4, 2]).error(X, np.zeros((6, 2)), reduction="none")


# --- the parameters as one vector w ----------------------------------------------------------

def test_get_w_set_w_round_trip_in_parameter_order():
    net = MLP([3, 4, 3, 2], hidden=["prelu", "tanh"], output="softmax", skip=True)
    n = 4 * 3 + 4 + 3 * 4 + 3 + 2 * 3 + 2 + 2 * 3 + 4             # W1 b1 W2 b2 W3 b3 W_skip γ
    assert net.n_params == n
    w = RNG.normal(size=n)
    net.set_w(w)
    np.testing.assert_array_equal(net.get_w(), w)
    np.testing.assert_array_equal(net.W[0].ravel(), w[:12])
    np.testing.assert_array_equal(net.b[0], w[12:16])
    np.testing.assert_array_equal(net.W_skip.ravel(), w[-10:-4])
    np.testing.assert_array_equal(net.h[0].gamma, w[-4:])
    assert [p.shape for p in net.parameters()] == [(4, 3), (4,), (3, 4), (3,), (2, 3), (2,), (2, 3), (4,)]


def test_get_w_is_a_copy_and_set_w_checks_the_length():
    net = MLP([3, 4, 2])
    w = net.get_w()
    w[:] = 0
    assert np.any(net.get_w() != 0)
    with pytest.raises(ValueError, match=r"w must have shape \(26,\); got \(25,\)"):
        net.set_w(np.zeros(25))


def test_copy_is_independent():
    net = MLP([3, 4, 2], hidden="prelu")
    twin = net.copy()
    twin.W[0][:] = 0
    twin.h[0].gamma[:] = 9
    assert np.any(net.W[0] != 0) and np.all(net.h[0].gamma == 0.25)


def test_error_of_w_leaves_the_network_unchanged():
    net = MLP([3, 4, 2])
    w = net.get_w()
    net.error_of_w(np.zeros_like(w), X, np.zeros((6, 2)))
    net.gradient_of_w(np.zeros_like(w), X, np.zeros((6, 2)))
    np.testing.assert_array_equal(net.get_w(), w)


def test_same_seed_same_network_different_seed_different_network():
    assert np.array_equal(MLP([3, 4, 2], seed=5).get_w(), MLP([3, 4, 2], seed=5).get_w())
    assert not np.array_equal(MLP([3, 4, 2], seed=5).get_w(), MLP([3, 4, 2], seed=6).get_w())


@pytest.mark.parametrize("init", ["glorot", "he", "normal", 0.1])
def test_biases_start_at_zero_for_every_init(init):
    net = MLP([3, 4, 2], init=init)
    assert all(np.all(b == 0) for b in net.b)


# --- dtypes -------------------------------------------------------------------------------

@pytest.mark.parametrize("output", ["identity", "sigmoid", "softmax"])
@pytest.mark.parametrize("hidden", ["tanh", "prelu", "swish"])
def test_float32_network_stays_float32(output, hidden):
    net = MLP([3, 4, 2], hidden=hidden, output=output, skip=True, dtype=np.float32)
    assert all(p.dtype == np.float32 for p in net.parameters() if p is not getattr(net.h[0], "gamma", None))
    c = net.forward(X, keep=True)                                      # float64 X is cast
    assert c.y.dtype == np.float32
    assert all(A.dtype == np.float32 for A in c.a + c.z)
    T = np.eye(2)[LABELS]
    E, g = net.gradient(X, T, l2=0.1)
    assert np.isfinite(E)
    assert all(x.dtype == np.float32 for x in g.arrays() + g.deltas)
    assert net.get_w().dtype == np.float32


def test_float32_network_keeps_prelu_gamma_in_float32():
    net = MLP([3, 4, 2], hidden="prelu", dtype=np.float32)
    assert all(p.dtype == np.float32 for p in net.parameters())


def test_float32_and_float64_networks_with_the_same_seed_agree_to_float32_precision():
    n64 = MLP([3, 5, 2], hidden="tanh", output="softmax", seed=4)
    n32 = MLP([3, 5, 2], hidden="tanh", output="softmax", seed=4, dtype=np.float32)
    np.testing.assert_allclose(n32.forward(X), n64.forward(X), rtol=1e-5, atol=1e-6)


# --- backpropagation facts ----------------------------------------------------------------

@pytest.mark.parametrize("output", ["identity", "sigmoid", "softmax"])
def test_output_delta_is_y_minus_t_for_canonical_pairs(output):
    net = MLP([3, 4, 2], output=output)
    T = np.eye(2)[LABELS]
    c = net.forward(X, keep=True)
    g = net.backward(c, T)
    np.testing.assert_allclose(g.deltas[-1], c.y - T, rtol=1e-15)


def test_integer_labels_equal_one_hot_targets_for_softmax():
    net = MLP([3, 4, 2], output="softmax")
    E1, g1 = net.gradient(X, LABELS)
    E2, g2 = net.gradient(X, np.eye(2)[LABELS])
    assert E1 == E2
    np.testing.assert_array_equal(g1.vector(), g2.vector())


def test_mean_reduction_is_sum_over_n_and_l2_adds_lambda_w():
    net = MLP([3, 4, 2], hidden="tanh")
    T = RNG.normal(size=(6, 2))
    Es, gs = net.gradient(X, T)
    Em, gm = net.gradient(X, T, reduction="mean")
    assert Em == pytest.approx(Es / 6)
    np.testing.assert_allclose(gm.vector(), gs.vector() / 6, rtol=1e-14)
    El, gl = net.gradient(X, T, l2=0.5)
    assert El == pytest.approx(Es + 0.25 * sum(np.sum(W ** 2) for W in net.W))
    for l in range(2):
        np.testing.assert_allclose(gl.W[l], gs.W[l] + 0.5 * net.W[l], rtol=1e-14)
        np.testing.assert_array_equal(gl.b[l], gs.b[l])                 # biases are not decayed


def test_hidden_delta_is_h_prime_times_backpropagated_delta():
    net = MLP([3, 4, 2], hidden="sigmoid")
    c = net.forward(X, keep=True)
    g = net.backward(c, RNG.normal(size=(6, 2)))
    s = activations.sigmoid()
    np.testing.assert_allclose(g.deltas[0], s.dh(c.a[0]) * (g.deltas[1] @ net.W[1]), rtol=1e-15)
    np.testing.assert_allclose(g.W[0], g.deltas[0].T @ X, rtol=1e-15)


# --- skip-layer connections ----------------------------------------------------------------

def test_skip_layer_adds_x_times_w_skip_to_the_output_net_inputs():
    net = MLP([3, 4, 2], hidden="tanh", output="identity", skip=True, seed=2)
    assert net.W_skip.shape == (2, 3)
    plain = MLP([3, 4, 2], hidden="tanh", output="identity", seed=2)
    plain.W, plain.b = [W.copy() for W in net.W], [b.copy() for b in net.b]
    np.testing.assert_allclose(net.forward(X), plain.forward(X) + X @ net.W_skip.T, rtol=1e-14)
    assert net.n_params == plain.n_params + 6


@pytest.mark.parametrize("output", ["identity", "sigmoid", "softmax"])
def test_skip_layer_gradient_matches_central_differences(output):
    net = MLP([3, 4, 3, 2], hidden=["tanh", "softplus"], output=output, skip=True, seed=9)
    T = np.eye(2)[LABELS] if output != "identity" else RNG.normal(size=(6, 2))
    E, g = net.gradient(X, T, l2=0.2)
    np.testing.assert_allclose(g.W_skip, g.deltas[-1].T @ X + 0.2 * net.W_skip, rtol=1e-14)
    np.testing.assert_allclose(g.vector(), numerical(net, X, T, l2=0.2), rtol=1e-6, atol=1e-8)


# --- PReLU --------------------------------------------------------------------------------

def test_prelu_has_one_gamma_per_unit_and_its_gradient_matches_central_differences():
    net = MLP([3, 5, 4, 2], hidden=["prelu", "prelu"], output="softmax", seed=11)
    net.h[0].gamma[:] = [0.1, 0.2, 0.3, 0.4, 0.5]
    assert [h.gamma.shape for h in net.h] == [(5,), (4,)]
    E, g = net.gradient(X, LABELS, reduction="mean")
    assert [x.shape for x in g.gamma] == [(5,), (4,)]
    c = net.forward(X, keep=True)
    assert np.min(np.abs(np.concatenate([A.ravel() for A in c.a[:-1]]))) > 1e-4    # off the kink
    num = numerical(net, X, LABELS, reduction="mean")
    np.testing.assert_allclose(g.vector(), num, rtol=1e-6, atol=1e-9)
    np.testing.assert_allclose(np.concatenate(g.gamma), num[-9:], rtol=1e-6, atol=1e-9)


def test_prelu_gamma_gradient_is_sum_of_dE_dz_times_a_on_the_negative_side():
    net = MLP([3, 4, 2], hidden="prelu", output="identity", seed=12)
    T = RNG.normal(size=(6, 2))
    c = net.forward(X, keep=True)
    g = net.backward(c, T)
    dE_dz = g.deltas[1] @ net.W[1]
    A = c.a[0]
    np.testing.assert_allclose(g.gamma[0], np.sum(dE_dz * np.where(A > 0, 0, A), axis=0), rtol=1e-14)


def test_predict_gives_labels_by_task():
    assert MLP([3, 4, 3], output="softmax").predict(X).shape == (6,)
    p = MLP([3, 4, 2], output="sigmoid").predict(X)
    assert p.shape == (6, 2) and set(np.unique(p)) <= {0, 1}
    np.testing.assert_array_equal(MLP([3, 4, 2]).predict(X), MLP([3, 4, 2]).forward(X))


@pytest.mark.parametrize("loss", ["bce", "ce"])
def test_identity_output_with_a_probability_error_is_refused(loss):
    with pytest.raises(ValueError, match="needs probabilities"):
        MLP([3, 4, 2], output="identity", loss=loss)
