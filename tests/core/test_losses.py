"""nnbook.losses: values, stability at extreme logits, reductions, targets and shapes (ch. 6, 12)."""

import numpy as np
import pytest

from nnbook import losses

pytestmark = pytest.mark.filterwarnings("error")

RNG = np.random.default_rng(2024)
A = RNG.normal(size=(5, 4))                           # net inputs, N = 5 samples, K = 4 classes
LABELS = np.array([0, 3, 1, 1, 2])
T_ONEHOT = np.eye(4)[LABELS]
EXTREME = np.array([[1000.0, -1000.0, 0.0], [-1000.0, -1000.0, -1000.0], [0.0, 1000.0, 999.0]])


def naive_softmax(A):
    E = np.exp(A)
    return E / E.sum(axis=1, keepdims=True)


# --- values against the direct formulas ------------------------------------------------

def test_softmax_log_softmax_logsumexp_match_direct_formulas():
    np.testing.assert_allclose(losses.softmax(A), naive_softmax(A), rtol=1e-14)
    np.testing.assert_allclose(losses.log_softmax(A), np.log(naive_softmax(A)), rtol=1e-13)
    np.testing.assert_allclose(losses.logsumexp(A), np.log(np.exp(A).sum(axis=1)), rtol=1e-14)
    np.testing.assert_allclose(losses.softmax(A).sum(axis=1), 1.0, rtol=1e-15)


def test_sum_of_squares_is_half_the_squared_distance():
    Y, T = RNG.normal(size=(5, 3)), RNG.normal(size=(5, 3))
    assert losses.sum_of_squares(Y, T) == pytest.approx(0.5 * np.sum((Y - T) ** 2), rel=1e-14)


def test_binary_cross_entropy_from_probabilities_and_from_logits_match_formula():
    Z = RNG.normal(size=(5, 2))
    Y = 1 / (1 + np.exp(-Z))
    T = RNG.uniform(size=(5, 2))                     # soft targets in [0, 1] are allowed
    direct = -np.sum(T * np.log(Y) + (1 - T) * np.log(1 - Y))
    assert losses.binary_cross_entropy(Y, T) == pytest.approx(direct, rel=1e-12)
    assert losses.binary_cross_entropy_with_logits(Z, T) == pytest.approx(direct, rel=1e-12)


def test_cross_entropy_and_softmax_cross_entropy_match_formula():
    direct = -np.sum(T_ONEHOT * np.log(naive_softmax(A)))
    assert losses.cross_entropy(naive_softmax(A), T_ONEHOT) == pytest.approx(direct, rel=1e-13)
    assert losses.softmax_cross_entropy(A, T_ONEHOT) == pytest.approx(direct, rel=1e-13)


def test_l2_penalty_is_half_lambda_times_squared_frobenius_norms():
    Ws = [RNG.normal(size=(3, 2)), RNG.normal(size=(1, 3))]
    lam = 0.3
    assert losses.l2_penalty(Ws, lam) == pytest.approx(0.5 * lam * sum(np.sum(W ** 2) for W in Ws))
    assert losses.l2_penalty(Ws, 0.0) == 0.0


def test_output_delta_is_y_minus_t_with_labels_or_one_hot():
    Y = losses.softmax(A)
    np.testing.assert_array_equal(losses.output_delta(Y, LABELS), Y - T_ONEHOT)
    np.testing.assert_array_equal(losses.output_delta(Y, T_ONEHOT), Y - T_ONEHOT)


def test_pairings_are_the_three_canonical_ones():
    assert losses.PAIRINGS == {"identity": losses.sum_of_squares, "sigmoid": losses.binary_cross_entropy,
                               "softmax": losses.cross_entropy}


# --- stability at extreme logits -------------------------------------------------------

def test_softmax_and_log_softmax_are_stable_at_plus_minus_1000():
    with np.errstate(all="raise", under="ignore"):
        Y = losses.softmax(EXTREME)
        L = losses.log_softmax(EXTREME)
        lse = losses.logsumexp(EXTREME)
    assert np.all(np.isfinite(Y)) and np.all(np.isfinite(L)) and np.all(np.isfinite(lse))
    np.testing.assert_allclose(Y[0], [1, 0, 0], atol=0)
    np.testing.assert_allclose(Y[1], [1 / 3] * 3, rtol=1e-15)
    np.testing.assert_allclose(L[0], [0, -2000, -1000], atol=0)
    np.testing.assert_allclose(lse, [1000, -1000 + np.log(3), 1000 + np.log1p(np.exp(-1))], rtol=1e-15)


def test_softmax_cross_entropy_is_exact_at_extreme_logits():
    E = losses.softmax_cross_entropy(EXTREME, np.array([1, 0, 2]), reduction="none")
    # a_k − logsumexp(a) with logsumexp ≈ 1000 loses the digits below ulp(1000) ≈ 1e-13
    np.testing.assert_allclose(E, [2000, np.log(3), 1 + np.log1p(np.exp(-1))], rtol=0, atol=2.3e-13)


def test_binary_cross_entropy_with_logits_is_exact_at_extreme_logits():
    Z = np.array([[1000.0, -1000.0, 1000.0, -1000.0]])
    T = np.array([[1.0, 0.0, 0.0, 1.0]])
    E = losses.binary_cross_entropy_with_logits(Z, T, reduction="none")
    assert E[0] == 2000.0


def test_saturated_probabilities_give_finite_errors():
    assert np.isfinite(losses.binary_cross_entropy(np.array([[0.0, 1.0]]), np.array([[1.0, 0.0]])))
    assert np.isfinite(losses.cross_entropy(np.array([[0.0, 1.0]]), np.array([0])))


def test_log_softmax_equals_log_of_softmax_where_finite():
    Z = np.concatenate([A, 30 * RNG.normal(size=(20, 4)), EXTREME[:, [0, 1, 2, 2]]])
    with np.errstate(divide="ignore"):
        logY = np.log(losses.softmax(Z))
    finite = np.isfinite(logY) & (logY > -700)          # where softmax has not underflowed
    assert finite.sum() > 50
    np.testing.assert_allclose(losses.log_softmax(Z)[finite], logY[finite], rtol=1e-12, atol=1e-12)


# --- targets, reductions, dtypes ----------------------------------------------------------

@pytest.mark.parametrize("reduction", ["sum", "mean", "none"])
def test_integer_labels_and_one_hot_targets_give_the_same_values(reduction):
    Y = losses.softmax(A)
    np.testing.assert_array_equal(losses.cross_entropy(Y, LABELS, reduction),
                                  losses.cross_entropy(Y, T_ONEHOT, reduction))
    np.testing.assert_array_equal(losses.softmax_cross_entropy(A, LABELS, reduction),
                                  losses.softmax_cross_entropy(A, T_ONEHOT, reduction))


@pytest.mark.parametrize("loss, args", [
    (losses.sum_of_squares, (A, RNG.normal(size=(5, 4)))),
    (losses.binary_cross_entropy, (losses.softmax(A), RNG.uniform(size=(5, 4)))),
    (losses.binary_cross_entropy_with_logits, (A, RNG.uniform(size=(5, 4)))),
    (losses.cross_entropy, (losses.softmax(A), LABELS)),
    (losses.softmax_cross_entropy, (A, LABELS)),
], ids=["sse", "bce", "bce_logits", "ce", "softmax_ce"])
def test_reductions_sum_mean_none_are_consistent(loss, args):
    per_sample = loss(*args, reduction="none")
    assert per_sample.shape == (5,)
    assert loss(*args) == pytest.approx(per_sample.sum(), rel=1e-14)            # default: sum
    assert loss(*args, reduction="mean") == pytest.approx(per_sample.mean(), rel=1e-14)
    with pytest.raises(ValueError, match="reduction must be"):
        loss(*args, reduction="avg")


def test_one_hot_codes_labels_and_rejects_bad_ones():
    np.testing.assert_array_equal(losses.one_hot(np.array([2, 0]), 3), [[0, 0, 1], [1, 0, 0]])
    assert losses.one_hot(np.array([1, 2])).shape == (2, 3)
    assert losses.one_hot(np.array([1]), 4, dtype=np.float32).dtype == np.float32
    with pytest.raises(ValueError, match="lie in 0..2"):
        losses.one_hot(np.array([0, 3]), 3)
    with pytest.raises(ValueError, match="lie in 0..2"):
        losses.one_hot(np.array([0, -1]), 3)
    with pytest.raises(ValueError, match=r"integers of shape \(N,\)"):
        losses.one_hot(np.array([0.0, 1.0]))


@pytest.mark.parametrize("f, args", [
    (losses.softmax, (A,)), (losses.log_softmax, (A,)), (losses.logsumexp, (A,)),
    (losses.sum_of_squares, (A, A)), (losses.binary_cross_entropy, (losses.softmax(A), T_ONEHOT)),
    (losses.binary_cross_entropy_with_logits, (A, T_ONEHOT)),
    (losses.cross_entropy, (losses.softmax(A), LABELS)), (losses.softmax_cross_entropy, (A, LABELS)),
    (losses.output_delta, (losses.softmax(A), LABELS)),
], ids=["softmax", "log_softmax", "logsumexp", "sse", "bce", "bce_logits", "ce", "softmax_ce", "delta"])
def test_float32_inputs_give_float32_results(f, args):
    args32 = tuple(x.astype(np.float32) if x.dtype == np.float64 else x for x in args)
    assert np.asarray(f(*args32)).dtype == np.float32


def test_one_dimensional_outputs_are_one_column():
    y, t = np.array([0.2, 0.9]), np.array([0.0, 1.0])
    assert losses.sum_of_squares(y, t) == pytest.approx(0.5 * (0.04 + 0.01))
    assert losses.binary_cross_entropy(y, t) == pytest.approx(-np.log(0.8) - np.log(0.9))


# --- bad shapes name the expected shape ---------------------------------------------------

def test_mismatched_outputs_and_targets_name_the_expected_shape():
    with pytest.raises(ValueError, match=r"\(N, K\) = \(5, 4\); got \(5, 3\)"):
        losses.sum_of_squares(A, np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"\(N, K\) = \(5, 4\)"):
        losses.binary_cross_entropy(losses.softmax(A), np.zeros((4, 4)))
    with pytest.raises(ValueError, match=r"\(N, K\) = \(5, 4\)"):
        losses.binary_cross_entropy_with_logits(A, np.zeros((5, 1)))
    with pytest.raises(ValueError, match=r"T must have shape \(N, K\)"):
        losses.binary_cross_entropy_with_logits(A, np.zeros((5, 1, 4)))
    with pytest.raises(ValueError, match=r"one-hot of shape \(N, K\) = \(5, 4\)"):
        losses.softmax_cross_entropy(A, np.zeros((5, 3)))
    with pytest.raises(ValueError, match=r"one-hot of shape \(N, K\) = \(5, 4\)"):
        losses.cross_entropy(losses.softmax(A), LABELS.astype(float))
    with pytest.raises(ValueError, match=r"shape \(N, K\)"):
        losses.sum_of_squares(np.zeros((5, 4, 1)), np.zeros((5, 4, 1)))


@pytest.mark.parametrize("T", [np.eye(4)[[0]], np.eye(4)[[0, 1, 2, 3, 0, 1]], np.array([0, 1, 2])],
                         ids=["one_hot_1xK", "one_hot_6xK", "labels_3"])
@pytest.mark.parametrize("loss", ["cross_entropy", "softmax_cross_entropy"])
def test_cross_entropy_targets_with_the_wrong_number_of_samples_are_rejected(loss, T):
    f = getattr(losses, loss)
    first = losses.softmax(A) if loss == "cross_entropy" else A
    with pytest.raises(ValueError, match=r"\(5, 4\)|N = 5"):
        f(first, T)


def test_output_delta_rejects_labels_of_the_wrong_length():
    with pytest.raises(ValueError, match=r"\(5,\)|N = 5"):
        losses.output_delta(losses.softmax(A), np.array([0, 1, 2]))


def test_softmax_accepts_python_lists():
    np.testing.assert_allclose(losses.softmax([0.0, 0.0]), [0.5, 0.5])
