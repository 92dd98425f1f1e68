"""nnbook.hessian.training, .pruning and .inspection: second-order training, pruning curves and slices (chapter 16)."""

import numpy as np
import pytest

from nnbook import hessian as H_
from nnbook.hessian.inspection import error_slice, offdiagonal_ratio
from nnbook.hessian.pruning import obd_saliency, obs_saliency, pruning_curve
from nnbook.hessian.training import levenberg_marquardt
from nnbook.networks import MLP


def _regression(N=30, seed=0):
    rng = np.random.default_rng(seed)
    x = np.linspace(-1, 1, N)[:, None]
    t = np.sin(np.pi * x) + 0.1 * rng.standard_normal((N, 1))
    return x, t


@pytest.fixture(scope="module")
def trained():
    """A 1-4-1 tanh network at a minimum of E + ½λ‖W‖² (λ = 1e-3)."""
    x, t = _regression()
    net = MLP([1, 4, 1], hidden="tanh", seed=0)
    levenberg_marquardt(net, x, t, iterations=300, l2=1e-3, tol=1e-6)
    levenberg_marquardt(net, x, t, iterations=30, hessian="r", l2=1e-3, tol=1e-10)
    return net, x, t


def test_levenberg_marquardt_reaches_a_minimum_with_zero_gradient_and_positive_definite_hessian(trained):
    net, x, t = trained
    _, g = net.gradient(x, t, l2=1e-3)
    assert np.max(np.abs(g.vector())) < 1e-8
    assert np.all(np.linalg.eigvalsh(H_.hessian_r_operator(net, x, t, l2=1e-3)) > 0)


def test_levenberg_marquardt_never_increases_the_error_and_records_every_step():
    x, t = _regression(seed=1)
    net = MLP([1, 3, 1], hidden="tanh", seed=1)
    hist = levenberg_marquardt(net, x, t, iterations=25)
    assert len(hist.error) == len(hist.grad_norm) == len(hist.mu)
    assert np.all(np.diff(hist.error) < 0)
    assert hist.error[-1] == pytest.approx(net.error(x, t))


def test_levenberg_marquardt_stops_at_tolerance():
    x, t = _regression(seed=2)
    net = MLP([1, 2, 1], seed=2)
    hist = levenberg_marquardt(net, x, t, iterations=500, tol=1.0)
    assert hist.grad_norm[-1] < 1.0 and all(g >= 1.0 for g in hist.grad_norm[:-1])


def test_magnitude_pruning_deletes_smallest_weights_first_and_never_biases(trained):
    net, x, t = trained
    w = net.get_w()
    curve = pruning_curve(net, x, t, "magnitude", n_remove=5, l2=1e-3)
    mask = H_.weight_mask(net)
    assert mask[curve.removed].all()
    assert list(curve.removed) == list(np.flatnonzero(mask)[np.argsort(np.abs(w[mask]))][:5])
    assert np.all(curve.w[curve.removed] == 0)
    others = np.setdiff1d(np.arange(w.size), curve.removed)
    assert np.array_equal(curve.w[others], w[others])           # nothing else moves
    assert curve.predicted is None and curve.error.shape == (6,)


def test_obd_deletes_in_order_of_saliency_half_hii_wi_squared(trained):
    net, x, t = trained
    H = H_.hessian_r_operator(net, x, t, l2=1e-3)
    curve = pruning_curve(net, x, t, "obd", H=np.diag(H), l2=1e-3)
    s = obd_saliency(net, np.diag(H))
    assert np.all(np.diff(s[curve.removed]) >= 0)


def test_obs_first_deletion_has_the_smallest_saliency_and_predicted_increase_equals_it(trained):
    net, x, t = trained
    H = H_.hessian_r_operator(net, x, t, l2=1e-3)
    Hinv = np.linalg.inv(H)
    curve = pruning_curve(net, x, t, "obs", H=H, Hinv=Hinv, n_remove=3, l2=1e-3)
    mask = H_.weight_mask(net)
    L = obs_saliency(net, Hinv)
    q = np.flatnonzero(mask)[np.argmin(L[mask])]
    assert curve.removed[0] == q
    assert curve.predicted[1] - curve.predicted[0] == pytest.approx(L[q], rel=1e-6)


def test_obs_keeps_every_deleted_weight_at_exactly_zero(trained):
    net, x, t = trained
    H = H_.hessian_r_operator(net, x, t, l2=1e-3)
    curve = pruning_curve(net, x, t, "obs", Hinv=np.linalg.inv(H), l2=1e-3)
    assert np.all(curve.w[curve.removed] == 0.0)
    assert len(set(curve.removed)) == int(H_.weight_mask(net).sum())


def test_on_an_exactly_quadratic_error_the_prediction_is_exact_and_obs_beats_obd_at_one_deletion():
    # no hidden layer, linear outputs, sum of squares: E(w) is exactly quadratic in w
    rng = np.random.default_rng(3)
    X = rng.standard_normal((40, 4))
    X[:, 1] = X[:, 0] + 0.1 * rng.standard_normal(40)               # correlated inputs
    T = X @ np.array([[1.0, 0.5, 0.0, 2.0]]).T + 0.05 * rng.standard_normal((40, 1))
    net = MLP([4, 1], output="identity", seed=3)
    levenberg_marquardt(net, X, T, iterations=50, hessian="r", tol=1e-12)
    H = H_.hessian_r_operator(net, X, T)
    curves = {m: pruning_curve(net, X, T, m, H=H, Hinv=np.linalg.inv(H))
              for m in ("magnitude", "obd", "obs")}
    for c in curves.values():
        assert np.allclose(c.predicted, c.error, rtol=1e-8, atol=1e-10)
    assert curves["obs"].error[1] <= curves["obd"].error[1] + 1e-12


def test_pruning_curve_rejects_missing_hessian_and_unknown_method(trained):
    net, x, t = trained
    with pytest.raises(ValueError, match="obd"):
        pruning_curve(net, x, t, "obd")
    with pytest.raises(ValueError, match="obs"):
        pruning_curve(net, x, t, "obs")
    with pytest.raises(ValueError, match="method"):
        pruning_curve(net, x, t, "random", H=np.eye(net.n_params))


def test_offdiagonal_ratio_is_zero_for_a_diagonal_matrix_and_counts_both_triangles():
    assert offdiagonal_ratio(np.diag([1.0, -2.0, 3.0])) == 0.0
    assert offdiagonal_ratio(np.array([[1.0, -2.0], [-2.0, 3.0]])) == pytest.approx(4.0 / 4.0)


def test_error_slice_is_the_error_at_the_shifted_weights_and_leaves_the_network_alone(trained):
    net, x, t = trained
    w = net.get_w()
    s, tt = np.array([-0.1, 0.0, 0.2]), np.array([0.0, 0.3])
    E = error_slice(net, x, t, 0, 5, s, tt)
    assert E.shape == (2, 3)
    assert E[0, 1] == pytest.approx(net.error(x, t))
    w2 = w.copy()
    w2[0] += 0.2
    w2[5] += 0.3
    assert E[1, 2] == pytest.approx(net.copy().set_w(w2).error(x, t))
    assert np.array_equal(net.get_w(), w)
