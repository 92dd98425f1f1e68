"""Gradient descent: schedules, the three batch regimes, reproducibility, divergence."""

import warnings

import numpy as np
import pytest

from nnbook.networks import MLP
from nnbook.optim import piecewise_schedule, train

X = np.linspace(-1, 1, 40)[:, None]
T = np.sin(np.pi * X)


def test_piecewise_schedule_is_the_labs_point_one_then_point_zero_one():
    eta = piecewise_schedule([50], [0.1, 0.01])
    assert [eta(0), eta(49), eta(50), eta(99)] == [0.1, 0.1, 0.01, 0.01]


def test_piecewise_schedule_rejects_mismatched_lengths():
    with pytest.raises(ValueError):
        piecewise_schedule([1, 2], [0.1])


@pytest.mark.parametrize("batch_size,updates_per_epoch", [(None, 1), (1, 40), (8, 5)])
def test_batch_sgd_and_minibatch_make_the_expected_number_of_updates(batch_size, updates_per_epoch):
    hist = train(MLP([1, 3, 1], seed=0), X, T, epochs=3, eta=0.05, batch_size=batch_size, progress=False)
    assert hist.updates == [0, updates_per_epoch, 2 * updates_per_epoch, 3 * updates_per_epoch]


def test_training_lowers_the_error_and_is_reproducible():
    h1 = train(MLP([1, 3, 1], seed=0), X, T, epochs=200, eta=0.2, batch_size=8, progress=False, seed=3)
    h2 = train(MLP([1, 3, 1], seed=0), X, T, epochs=200, eta=0.2, batch_size=8, progress=False, seed=3)
    assert h1.loss[-1] < 0.2 * h1.loss[0]
    assert h1.loss == h2.loss


def test_full_batch_step_is_w_minus_eta_times_gradient():
    net = MLP([1, 3, 1], seed=0)
    w0 = net.get_w()
    g = net.gradient(X, T, reduction="mean", l2=0.1)[1].vector()
    train(net, X, T, epochs=1, eta=0.3, l2=0.1, progress=False)
    np.testing.assert_allclose(net.get_w(), w0 - 0.3 * g, rtol=1e-12, atol=1e-15)   # biases start at 0


def test_divergence_stops_training_without_printing_warnings():
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        hist = train(MLP([1, 3, 1], seed=0), X, T, epochs=500, eta=50.0, progress=False)
    assert not np.isfinite(hist.loss[-1]) and len(hist.loss) < 501
