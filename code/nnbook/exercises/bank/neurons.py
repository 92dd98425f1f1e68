"""Exercises of chapter 2, "Neurons and activation functions" (slug ``neurons``)."""

from __future__ import annotations

import numpy as np

from nnbook import activations
from nnbook.exercises import choice_exercise, function_exercise, slider_task, value_exercise
from nnbook.i18n import N_, _
from nnbook.neuron import MPNeuron

CHAPTER = 2


# --- neurons.mp-neuron ---------------------------------------------------------------------

def _mp_reference(X, w, theta):
    return MPNeuron(w, theta)(X)


def _mp_cases(rng):
    X2 = np.array([[0, 0], [0, 1], [1, 0], [1, 1]], dtype=float)
    return [
        (X2, np.array([1.0, 1.0]), 2.0),                   # AND: the sum reaches θ exactly once
        (X2, np.array([1.0, 1.0]), 1.0),                   # OR
        (rng.standard_normal((6, 3)), rng.standard_normal(3), float(rng.normal())),
    ]


def _mp_grading(rng):
    X3 = np.array(np.meshgrid([0, 1], [0, 1], [0, 1], indexing="ij")).reshape(3, -1).T.astype(float)
    return [
        (X3, np.array([1.0, 1.0, 1.0]), 2.0),              # majority of three
        (X3, np.array([1.0, 1.0, -4.0]), 1.0),             # absolute inhibition by x3
        (np.array([[0.0], [1.0]]), np.array([-1.0]), 0.0),  # NOT
        (rng.standard_normal((40, 5)), rng.standard_normal(5), float(rng.normal())),
        (rng.integers(0, 2, (30, 4)).astype(float), rng.integers(-2, 3, 4).astype(float),
         float(rng.integers(-2, 3))),
    ]


function_exercise(
    id="neurons.mp-neuron",
    chapter=CHAPTER,
    title=N_("The M-P neuron"),
    points=2,
    name="mp_neuron",
    reference=_mp_reference,
    public_cases=_mp_cases,
    grading_cases=_mp_grading,
    mistakes=[
        (lambda X, w, theta: (X @ w - theta > 0).astype(int),
         N_("The unit must fire when the weighted sum *reaches* the threshold: use ≥, not >. "
            "(Check the AND gate: x = (1, 1) gives exactly θ = 2.)")),
        (lambda X, w, theta: (X @ w + theta >= 0).astype(int),
         N_("Sign error: the threshold is subtracted, a = Σ w_i x_i − θ (the bias is b = −θ).")),
        (lambda X, w, theta: X @ w - theta,
         N_("You returned the net input a; the M-P unit outputs the step H(a) ∈ {0, 1}.")),
    ],
    hints=[
        N_("The weighted sums of all patterns at once are X @ w, shape (N,)."),
        N_("Compare with the threshold and turn the booleans into integers: (... >= theta).astype(int)."),
    ],
)


# --- neurons.elu-derivative ------------------------------------------------------------------

def _elu_reference(a, gamma):
    return activations.elu(gamma).dh(a)


def _nonzero(rng, shape, scale=3.0):
    a = rng.normal(0.0, scale, shape)
    return np.where(a == 0, 0.5, a)                       # the kink a = 0 is a convention; avoid it


def _elu_cases(rng):
    return [
        (np.array([-2.0, -0.5, 0.5, 2.0]), 1.0),
        (np.array([-1.0, 1.0]), 0.5),
        (_nonzero(rng, (3, 4)), float(rng.uniform(0.1, 2.0))),
    ]


def _elu_grading(rng):
    return [
        (np.array([-2.0, -0.5, 0.0, 0.5, 2.0]), 0.7),     # the kink: ELU'(0) = γ e^0 = γ (a ≤ 0 branch)
        (np.array([30.0, 700.0, 1000.0]), 1.0),           # large positive a: no overflow warning
        (np.array([-1000.0, -700.0, -30.0]), 1.5),        # large negative a: no overflow warning
        (np.array([-1000.0, -30.0, 0.0, 30.0, 1000.0]), float(rng.uniform(0.1, 2.0))),
        (_nonzero(rng, (50,), 5.0), 0.3),
        (_nonzero(rng, (4, 5, 2)), 2.0),
        (np.array([-3.0, -0.1, 0.1, 3.0]), float(rng.uniform(0.1, 2.0))),
    ]


function_exercise(
    id="neurons.elu-derivative",
    chapter=CHAPTER,
    title=N_("The derivative of ELU"),
    points=2,
    name="elu_prime",
    reference=_elu_reference,
    public_cases=_elu_cases,
    grading_cases=_elu_grading,
    mistakes=[
        (lambda a, gamma: np.where(a > 0, 1.0, np.exp(np.minimum(a, 0))),
         N_("The factor γ is missing on the negative side: d/da γ(e^a − 1) = γ e^a.")),
        (lambda a, gamma: np.where(a > 0, 1.0, 0.0),
         N_("That is the derivative of ReLU; ELU keeps a slope γ e^a for a ≤ 0.")),
        (lambda a, gamma: np.where(a > 0, 1.0, gamma * np.expm1(np.minimum(a, 0))),
         N_("γ(e^a − 1) is the function itself on the negative side; its derivative is γ e^a.")),
        (lambda a, gamma: np.where(a > 0, a, gamma * np.exp(np.minimum(a, 0))),
         N_("For a > 0, ELU(a) = a, so the derivative there is 1, not a.")),
        (lambda a, gamma: np.where(a >= 0, 1.0, gamma * np.exp(np.minimum(a, 0))),
         N_("At a = 0 the ECNU lecture's convention I(a > 0) + I(a ≤ 0) γ e^a takes the a ≤ 0 branch: "
            "ELU'(0) = γ e^0 = γ, not 1. Use a > 0, not a >= 0, for the branch with slope 1.")),
        (lambda a, gamma: np.where(a > 0, 1.0, gamma * np.exp(a)),
         N_("np.exp(a) overflows for large positive a (numpy warns 'overflow encountered in exp'), "
            "even though np.where then discards those entries: it evaluates both branches everywhere. "
            "Take the exponential of np.minimum(a, 0) instead.")),
        (lambda a, gamma: np.where(a > 0, 1.0, gamma / np.exp(-np.minimum(a, 0))),
         N_("γ / e^(−a) overflows for very negative a: e^(−a) becomes inf (numpy warns) before the "
            "division gives 0. Write γ e^a, which at worst underflows quietly to 0.")),
    ],
    no_warnings=True,
    hints=[
        N_("Differentiate each branch: a gives 1, γ(e^a − 1) gives γ e^a."),
        N_("np.where(a > 0, 1.0, gamma * np.exp(a)) is almost right; np.exp of a large positive a "
           "overflows even in the branch np.where discards — clip it with np.minimum(a, 0)."),
    ],
)


# --- neurons.sigmoid-max ----------------------------------------------------------------------

_BETA = 4                                                 # the steepness of the exercise's sigmoid


def _sigmoid_bound():
    from nnbook import symbolic
    return float(symbolic.sigmoid_derivative_bound().max_value)      # max σ' = 1/4, proven by SymPy


value_exercise(
    id="neurons.sigmoid-max",
    chapter=CHAPTER,
    title=N_("The largest slope of a steep sigmoid"),
    points=1,
    name="sigmoid_slope_max",
    answer=lambda: _BETA * _sigmoid_bound(),
    rtol=1e-6,
    mistakes=[
        (_sigmoid_bound,
         N_("That is the largest slope of σ(a) itself. Here h(a) = σ(βa): the chain rule gives "
            "h'(a) = β σ'(βa), so the bound is multiplied by β.")),
        (lambda: _sigmoid_bound() / _BETA,
         N_("The chain rule multiplies by the inner derivative β, it does not divide by it: "
            "h'(a) = β σ'(βa).")),
        (lambda: float(activations.sigmoid().h(0.0)),
         N_("That is σ(0), the value of the function at its steepest point, not its slope there.")),
    ],
    hints=[N_("σ'(a) = σ(a)(1 − σ(a)) is at most 1/4, at a = 0."),
           N_("h(a) = σ(βa) is σ of the inner function βa: differentiate with the chain rule.")],
)


# --- neurons.exceeds-one ----------------------------------------------------------------------

choice_exercise(
    id="neurons.exceeds-one",
    chapter=CHAPTER,
    title=N_("Which derivative can exceed 1?"),
    points=1,
    name="exceeds_one",
    options=[N_("logistic sigmoid"), N_("tanh"), N_("ReLU"), N_("LeakyReLU (γ < 1)"), N_("ELU (γ < 1)"), N_("softplus"),
             N_("swish (β = 1)"), N_("identity")],
    answer="nnb2:RgqiY2U9tX0jjyy6dA",
    explanations={
        0: N_("σ'(a) = σ(1 − σ) is at most 1/4."),
        1: N_("tanh'(a) = 1 − tanh²(a) is at most 1, reached only at a = 0."),
        2: N_("ReLU' is 0 or 1."),
        3: N_("LeakyReLU' is γ or 1."),
        4: N_("ELU' is 1 for a > 0 and γ e^a ≤ γ < 1 for a ≤ 0."),
        5: N_("softplus' = σ(a) < 1."),
        6: N_("Right: swish'(a) = σ(a) + a σ(a)(1 − σ(a)) rises a little above 1 (about 1.1 near a ≈ 2.4) "
              "before it settles to 1."),
        7: N_("identity' = 1 exactly, never more."),
    },
    hints=[N_("Plot h'(a) for each in the widget of this chapter, or read the range table.")],
)


# --- neurons.swish-relu (a widget task) -------------------------------------------------------

_SWISH_STEP = 0.1                                          # the slider's step


def _swish_gap(beta):
    a = np.linspace(-3, 3, 6001)
    return float(np.max(np.abs(activations.swish(float(beta)).h(a) - np.maximum(a, 0))))


def _swish_relu_goal(beta):
    beta = float(beta)
    gap = _swish_gap(beta)
    if gap >= 0.05:
        return False, _("β = {beta:g}: the largest gap between swish and ReLU on [−3, 3] is {gap:.4f} "
                        "(need < 0.05).").format(beta=beta, gap=gap)
    below = round(beta - _SWISH_STEP, 10)
    gap_below = _swish_gap(below) if below > 0 else np.inf
    if gap_below < 0.05:
        return False, _("β = {beta:g} meets the goal (largest gap {gap:.4f}), but so does β = {below:g} "
                        "(gap {gap_below:.4f}): the task asks for the smallest β on the slider.").format(
            beta=beta, gap=gap, below=below, gap_below=gap_below)
    return True, _("β = {beta:g} is the smallest: the gap is {gap:.4f} < 0.05, while β = {below:g} gives "
                   "{gap_below:.4f}. The largest gap is at a ≈ −1.28/β, where |a σ(βa)| ≈ 0.278/β, "
                   "so β must exceed 0.278/0.05 ≈ 5.57.").format(beta=beta, gap=gap, below=below, gap_below=gap_below)


slider_task(
    id="neurons.swish-relu",
    solution="nnb2:jqRvEgXB2cEEV5iS7-JcehgUsxgDDo4s",   # a setting that meets the goal
    chapter=CHAPTER,
    title=N_("Make swish look like ReLU"),
    points=1,
    name="swish_setting",
    sliders={"beta": (0.5, 10.0, _SWISH_STEP, 1.0)},
    goal=_swish_relu_goal,
    hints=[N_("For a < 0 ReLU is 0 and swish is a σ(βa), a small negative bump; a larger β makes it narrower."),
           N_("The bump's depth shrinks like 1/β: a σ(βa) = (βa) σ(βa) / β, and u σ(u) has its minimum, "
              "about −0.278, at u ≈ −1.28."),
           N_("So the largest gap is 0.278/β: solve 0.278/β < 0.05 and round up to the slider's step.")],
)
