"""Optimal Brain Damage and Optimal Brain Surgeon saliencies from the Hessian."""

import numpy as np

from nnbook.hessian import hessian_diagonal, hessian_r_operator
from nnbook.hessian.pruning import obd_saliency, obs_saliency, obs_update, quadratic_increase


def _spd(W, seed=0):
    A = np.random.default_rng(seed).normal(size=(W, W))
    return A @ A.T + 0.5 * np.eye(W)


def test_obs_update_deletes_the_weight_and_costs_its_saliency():
    H = _spd(7)
    Hinv = np.linalg.inv(H)
    w = np.random.default_rng(1).normal(size=7)
    for q in range(7):
        w_new, dw = obs_update(w, Hinv, q)
        assert w_new[q] == 0.0
        assert abs(quadratic_increase(H, dw) - obs_saliency(w, Hinv)[q]) < 1e-12 * max(1, obs_saliency(w, Hinv)[q])


def test_obs_correction_beats_every_other_correction_that_deletes_the_weight():
    H = _spd(6, seed=2)
    w = np.random.default_rng(3).normal(size=6)
    q = 2
    _, dw = obs_update(w, np.linalg.inv(H), q)
    best = quadratic_increase(H, dw)
    rng = np.random.default_rng(4)
    for _ in range(200):
        other = dw + 0.1 * rng.normal(size=6)
        other[q] = -w[q]
        assert quadratic_increase(H, other) >= best - 1e-12


def test_obd_saliency_is_the_cost_of_deleting_one_weight_alone():
    H = _spd(5, seed=5)
    w = np.random.default_rng(6).normal(size=5)
    s = obd_saliency(w, np.diag(H))
    for q in range(5):
        dw = np.zeros(5)
        dw[q] = -w[q]
        assert abs(quadratic_increase(H, dw) - s[q]) < 1e-12 * max(1, s[q])


def test_obs_saliency_never_exceeds_obd_saliency():
    """1/[H⁻¹]_qq ≤ H_qq for positive-definite H: the surgeon's correction can only help."""
    H = _spd(8, seed=7)
    w = np.random.default_rng(8).normal(size=8)
    assert np.all(obs_saliency(w, np.linalg.inv(H)) <= obd_saliency(w, np.diag(H)) + 1e-12)


def test_saliencies_accept_a_network(problem):
    net, X, T = problem([2, 3, 1], N=20)
    H = hessian_r_operator(net, X, T) + 0.1 * np.eye(net.n_params)
    np.testing.assert_allclose(obd_saliency(net, hessian_diagonal(net, X, T, drop_off_diagonal=False)),
                               0.5 * np.diag(H - 0.1 * np.eye(net.n_params)) * net.get_w() ** 2)
    assert obs_saliency(net, np.linalg.inv(H)).shape == (net.n_params,)
