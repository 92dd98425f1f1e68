"""Exercises of chapter 12, "Softmax and cross-entropy: δ = y − t" (slug ``softmax``)."""

from __future__ import annotations

import numpy as np

from nnbook import losses
from nnbook.activations import sigmoid
from nnbook.exercises import choice_exercise, function_exercise, value_exercise
from nnbook.i18n import N_

CHAPTER = 12


def _naive_softmax(A, axis=1):
    with np.errstate(over="ignore", invalid="ignore"):
        E = np.exp(A)
        return E / E.sum(axis=axis, keepdims=True)


# --- softmax.delta --------------------------------------------------------------------------------

def _delta_reference(A, labels):
    """δ = softmax(A) − T (the MNIST-lab lecture: δ⁽³⁾ = y − t), the package's output_delta."""
    return losses.output_delta(losses.softmax(A), labels)


def _delta_cases(rng):
    return [
        (np.array([[2.0, 1.0, 0.1]]), np.array([0])),
        (rng.normal(0, 2, (4, 3)), rng.integers(0, 3, 4)),
        (rng.normal(0, 2, (5, 10)), rng.integers(0, 10, 5)),
        (np.array([[1000.0, 0.0, -1000.0], [0.0, 800.0, 1.0]]), np.array([2, 1])),   # large logits
    ]


def _delta_grading(rng):
    return [(rng.normal(0, 3, (8, 4)), rng.integers(0, 4, 8)),
            (rng.normal(0, 1, (1, 2)), np.array([1])),
            (rng.normal(0, 1, (6, 6)) * 500, rng.integers(0, 6, 6))]


def _onehot_like(A, labels):
    return np.eye(A.shape[1])[labels]


function_exercise(
    id="softmax.delta",
    chapter=CHAPTER,
    title=N_("The output delta of softmax and cross-entropy"),
    points=2,
    name="softmax_delta",
    reference=_delta_reference,
    public_cases=_delta_cases,
    grading_cases=_delta_grading,
    mistakes=[
        (lambda A, labels: _onehot_like(A, labels) - losses.softmax(A),
         N_("Sign error: δ = ∂E/∂a = y − t, not t − y (E decreases when the true class's y grows).")),
        (lambda A, labels: losses.softmax(A),
         N_("You returned y: the one-hot target t must be subtracted (the case k = j gives y_j − 1).")),
        (lambda A, labels: _naive_softmax(A) - _onehot_like(A, labels),
         N_("Your softmax overflows for large logits (e^1000 = inf, inf/inf = nan): subtract the row maximum first.")),
        (lambda A, labels: losses.softmax(A, axis=0) - _onehot_like(A, labels),
         N_("You normalised over the samples (axis 0); softmax normalises each row, over the K classes (axis=1).")),
        (lambda A, labels: (losses.softmax(A) - _onehot_like(A, labels)) * losses.softmax(A) * (1 - losses.softmax(A)),
         N_("You multiplied by y(1 − y), as if each output were an independent sigmoid: with softmax and "
            "cross-entropy that factor cancels, δ = y − t.")),
    ],
    hints=[N_("Y = softmax of every row (subtract the row maximum before np.exp), T = np.eye(K)[labels]."),
           N_("The answer is Y − T: the MNIST-lab lecture's two cases k = j (y_j − 1) and k ≠ j (y_i) together.")],
)


# --- softmax.log-softmax --------------------------------------------------------------------------

def _ls_cases(rng):
    return [(np.array([[1.0, 2.0, 3.0]]),), (rng.normal(0, 2, (4, 5)),),
            (np.array([[1000.0, 0.0, -1000.0], [-500.0, -501.0, -502.0]]),)]


def _ls_grading(rng):
    return [(rng.normal(0, 5, (6, 3)),), (rng.normal(0, 1, (2, 2)) * 900,), (np.zeros((3, 4)),)]


def _log_naive(A):
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return np.log(_naive_softmax(A))


def _log_of_stable(A):
    with np.errstate(divide="ignore"):
        return np.log(losses.softmax(A))


def _unshifted_lse(A):
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        return A - np.log(np.exp(A).sum(axis=1, keepdims=True))


function_exercise(
    id="softmax.log-softmax",
    chapter=CHAPTER,
    title=N_("A stable log-softmax"),
    points=2,
    name="log_softmax",
    reference=losses.log_softmax,
    public_cases=_ls_cases,
    grading_cases=_ls_grading,
    mistakes=[
        (_log_of_stable, N_("ln of a (stable) softmax underflows: e^{-2000} is exactly 0 and ln 0 = −inf. "
                            "Use a_k − m − ln Σ_l e^{a_l − m} instead of taking the logarithm of y.")),
        (_log_naive, N_("The naive softmax overflows for large logits (inf/inf = nan): subtract the row maximum.")),
        (_unshifted_lse, N_("ln Σ_l e^{a_l} overflows for large logits: write it as m + ln Σ_l e^{a_l − m} with m = max_l a_l.")),
        (lambda A: A - A.max(axis=1, keepdims=True),
         N_("You subtracted only the maximum; the log-sum-exp ln Σ_l e^{a_l − m} must be subtracted as well.")),
    ],
    hints=[N_("ln y_k = a_k − ln Σ_l e^{a_l}."), N_("Shift by m = max_l a_l (keepdims=True) inside the log-sum-exp.")],
)


# --- softmax.sigmoid-sse --------------------------------------------------------------------------

def _sigmoid_sse_reference(a, t):
    """δ = (y − t) σ'(a) for y = σ(a) and E = ½ Σ (y − t)² (a non-canonical pair)."""
    s = sigmoid()
    return (s.h(a) - t) * s.dh(a)


def _ss_cases(rng):
    return [(np.array([0.0, 2.0, -3.0]), np.array([1.0, 0.0, 1.0])),
            (rng.normal(0, 2, (4, 2)), (rng.random((4, 2)) > 0.5).astype(float))]


def _ss_grading(rng):
    return [(rng.normal(0, 3, (5, 3)), rng.random((5, 3))), (np.linspace(-8, 8, 9), np.ones(9))]


function_exercise(
    id="softmax.sigmoid-sse",
    chapter=CHAPTER,
    title=N_("The delta of a sigmoid output with the sum of squares"),
    points=2,
    name="sigmoid_sse_delta",
    reference=_sigmoid_sse_reference,
    public_cases=_ss_cases,
    grading_cases=_ss_grading,
    mistakes=[
        (lambda a, t: sigmoid().h(a) - t,
         N_("That is y − t, the delta of the *matching* pair (sigmoid + cross-entropy). With the sum of squares "
            "the factor σ'(a) = y(1 − y) stays.")),
        (lambda a, t: (sigmoid().h(a) - t) * sigmoid().h(a),
         N_("You multiplied by σ(a) = y; the chain rule needs σ'(a) = y(1 − y).")),
        (lambda a, t: (t - sigmoid().h(a)) * sigmoid().dh(a),
         N_("Sign error: ∂E/∂y = y − t for E = ½(y − t)².")),
    ],
    hints=[N_("δ = ∂E/∂y · ∂y/∂a."), N_("∂E/∂y = y − t and ∂y/∂a = σ'(a) = y(1 − y).")],
)


# --- softmax.delta-value --------------------------------------------------------------------------

_A3 = np.array([2.0, 1.0, 0.1])


def _y1():
    return float(losses.softmax(_A3)[0])


value_exercise(
    id="softmax.delta-value",
    chapter=CHAPTER,
    title=N_("One delta of the lab"),
    points=1,
    name="delta_1",
    answer=lambda: _y1() - 1.0,
    rtol=2e-3,
    mistakes=[
        (lambda: _y1(), N_("That is y₁ itself; for the true class (k = j) the delta is y_j − 1.")),
        (lambda: 1.0 - _y1(), N_("Sign error: δ_j = y_j − 1 is negative for the true class.")),
        (lambda: -1.0 / _y1(), N_("That is only ∂E/∂y₁ = −1/y₁; multiply by ∂y₁/∂a₁ = y₁(1 − y₁).")),
        (lambda: _y1() * (1 - _y1()), N_("That is ∂y₁/∂a₁ alone; the chain rule multiplies it by ∂E/∂y₁ = −1/y₁.")),
    ],
    hints=[N_("Compute y = softmax(a) first (y₁ ≈ 0.66)."), N_("For the true class, δ_j = y_j − 1.")],
)


# --- softmax.which-pair ---------------------------------------------------------------------------

choice_exercise(
    id="softmax.which-pair",
    chapter=CHAPTER,
    title=N_("Which pair does not give y − t?"),
    points=1,
    name="answer_which_pair",
    options=[
        N_("identity outputs with the sum-of-squares error"),
        N_("a logistic sigmoid output with the binary cross-entropy"),
        N_("softmax outputs with the cross-entropy"),
        N_("a logistic sigmoid output with the sum-of-squares error"),
    ],
    answer="nnb2:09nYRzeN0IKGHd8vWQ",
    explanations={
        0: N_("y = a and E = ½(y − t)² give δ = y − t directly."),
        1: N_("∂E/∂y = (y − t)/(y(1 − y)) and σ' = y(1 − y) cancel: δ = y − t."),
        2: N_("The MNIST-lab lecture's derivation: the two cases combine to δ = y − t."),
        3: N_("Right: δ = (y − t) y (1 − y); the factor σ' does not cancel, and it is tiny for confident mistakes."),
    },
    hints=[N_("In which pair does the derivative of the output unit not cancel against ∂E/∂y?")],
)
