"""Exercises of chapter 6, "Error functions and output units" (slug ``errors``)."""

from __future__ import annotations

import numpy as np

from nnbook import losses, surface
from nnbook.exercises import choice_exercise, function_exercise, slider_task, value_exercise
from nnbook.i18n import N_, _

CHAPTER = 6


# --- errors.sse -------------------------------------------------------------------------------

def _sse_cases(rng):
    return [(rng.standard_normal((5, 2)), rng.standard_normal((5, 2))),
            (np.array([[1.0], [2.0], [0.0]]), np.array([[0.0], [0.0], [1.0]]))]


def _sse_grading(rng):
    return [(rng.standard_normal((20, 3)), rng.standard_normal((20, 3))),
            (rng.standard_normal((1, 4)), rng.standard_normal((1, 4))),
            (np.ones((3, 2)), np.ones((3, 2)))]


function_exercise(
    id="errors.sse",
    chapter=CHAPTER,
    title=N_("The sum-of-squares error"),
    points=1,
    name="sum_of_squares_error",
    reference=lambda Y, T: float(losses.sum_of_squares(Y, T)),
    public_cases=_sse_cases,
    grading_cases=_sse_grading,
    mistakes=[
        (lambda Y, T: float(np.sum((Y - T) ** 2)), N_("You forgot the factor ½ of E = ½ Σ_n ‖y_n − t_n‖².")),
        (lambda Y, T: float(0.5 * np.mean(np.sum((Y - T) ** 2, axis=1))),
         N_("You averaged over the samples; the Nankai lecture's E(w) is the *sum* over n of the E_n.")),
        (lambda Y, T: float(0.5 * np.sum(np.linalg.norm(Y - T, axis=1))),
         N_("‖y_n − t_n‖ must be squared: E_n = ½ Σ_k (y_nk − t_nk)².")),
    ],
    hints=[N_("(Y - T) ** 2 squares every entry; np.sum adds over samples and outputs.")],
)


# --- errors.risk ------------------------------------------------------------------------------

def _risk_reference(sample_losses, weights, lam):
    return float(np.mean(sample_losses) + losses.l2_penalty(weights, lam))


def _risk_cases(rng):
    return [(rng.uniform(0, 2, 6), [rng.standard_normal((3, 2)), rng.standard_normal((1, 3))], 0.1),
            (np.array([1.0, 3.0]), [np.array([[1.0, -2.0]])], 0.5)]


def _risk_grading(rng):
    return [(rng.uniform(0, 1, 50), [rng.standard_normal((4, 3)), rng.standard_normal((4, 4)),
                                     rng.standard_normal((2, 4))], 0.01),
            (rng.uniform(0, 1, 3), [rng.standard_normal((2, 2))], 0.0),
            (rng.uniform(0, 1, 7), [rng.standard_normal((5, 1))], 2.0)]


function_exercise(
    id="errors.risk",
    chapter=CHAPTER,
    title=N_("The structural risk"),
    points=2,
    name="structural_risk",
    reference=_risk_reference,
    public_cases=_risk_cases,
    grading_cases=_risk_grading,
    mistakes=[
        (lambda L, Ws, lam: float(np.sum(L) + 0.5 * lam * sum(np.sum(W ** 2) for W in Ws)),
         N_("The risk uses the *mean* loss (1/N) Σ_n L_n, not the sum.")),
        (lambda L, Ws, lam: float(np.mean(L) + lam * sum(np.sum(W ** 2) for W in Ws)),
         N_("You forgot the ½ in ½λ‖W‖²_F (it makes the derivative exactly λW).")),
        (lambda L, Ws, lam: float(np.mean(L) + 0.5 * lam * sum(np.sqrt(np.sum(W ** 2)) for W in Ws)),
         N_("The penalty is the *squared* Frobenius norm: sum the squares of the entries, no square root.")),
    ],
    hints=[N_("‖W‖²_F of one matrix is np.sum(W ** 2); add them over the list."),
           N_("R = np.mean(sample_losses) + 0.5 * lam * (that sum).")],
)


# --- errors.pairing ---------------------------------------------------------------------------

choice_exercise(
    id="errors.pairing",
    chapter=CHAPTER,
    title=N_("Choose the pairing"),
    points=1,
    name="digit_pairing",
    options=[N_("10 identity outputs with the sum-of-squares error"),
             N_("10 logistic sigmoid outputs with the binary cross-entropy"),
             N_("10 softmax outputs with the cross-entropy"),
             N_("1 identity output (the digit as a number) with the sum-of-squares error")],
    answer="nnb2:D5LV1qAINzWzwgrTAQ",
    explanations={
        0: N_("Identity outputs suit real-valued targets; they are not probabilities and learn slowly from confident mistakes."),
        1: N_("Independent sigmoids answer ten separate yes/no questions; here exactly one class is right."),
        2: N_("Right: exactly one of K = 10 classes is correct, so softmax gives posterior probabilities summing to 1 "
              "and cross-entropy is their negative log-likelihood."),
        3: N_("Treating the digit as a number pretends that 7 is 'between' 6 and 8; the classes have no order."),
    },
    hints=[N_("How many of the ten classes can be right at once?")],
)


# --- errors.first-order -----------------------------------------------------------------------

_GRAD = np.array([2.0, -1.0, 0.5])
_STEP = np.array([0.01, 0.03, -0.04])

value_exercise(
    id="errors.first-order",
    chapter=CHAPTER,
    title=N_("Predict the change of the error"),
    points=1,
    name="delta_E",
    answer=lambda: float(_STEP @ _GRAD),
    rtol=1e-6,
    atol=1e-12,
    mistakes=[
        (lambda: float(-_STEP @ _GRAD), N_("Check the sign: δE ≈ +δwᵀ∇E (the minus sign belongs to gradient descent).")),
        (lambda: float(np.linalg.norm(_STEP) * np.linalg.norm(_GRAD)),
         N_("‖δw‖‖∇E‖ is only an upper bound (reached along ∇E); take the inner product δwᵀ∇E.")),
        (lambda: float(np.abs(_STEP) @ np.abs(_GRAD)), N_("Keep the signs of the components: δwᵀ∇E = Σ_i δw_i ∂E/∂w_i.")),
    ],
    hints=[N_("δE ≈ δwᵀ∇E = Σ_i δw_i ∂E/∂w_i: three products, added.")],
)


# --- errors.basin (a widget task) -------------------------------------------------------------

_MODEL = None


def _model():
    global _MODEL
    if _MODEL is None:
        m = surface.two_parameter_model()
        _MODEL = (m, surface.newton_stationary_point(m.gradient, [1.5, -2.5], m.hessian))
    return _MODEL


def _basin_goal(w1, w2):
    model, w_global = _model()
    end = model.descend([w1, w2], eta=0.03, steps=1000)[-1]
    dist = float(np.linalg.norm(end - w_global))
    if w1 >= 0:
        return False, _("Start ({w1:g}, {w2:g}): the task asks for w1 < 0.").format(w1=w1, w2=w2)
    if dist < 1e-2:
        return True, _("From ({w1:g}, {w2:g}) gradient descent ends at ({e1:.3f}, {e2:.3f}), the global "
                       "minimum (E = {E:.4f}). The basin reaches into w1 < 0 below the saddle.").format(
            w1=w1, w2=w2, e1=end[0], e2=end[1], E=model.error(end))
    return False, _("From ({w1:g}, {w2:g}) gradient descent ends at ({e1:.3f}, {e2:.3f}) with "
                    "E = {E:.4f}, not the global minimum.").format(
        w1=w1, w2=w2, e1=end[0], e2=end[1], E=model.error(end))


slider_task(
    id="errors.basin",
    chapter=CHAPTER,
    title=N_("A lucky start"),
    points=1,
    name="basin_start",
    sliders={"w1": (-4.0, 4.0, 0.1, -2.0), "w2": (-4.0, 4.0, 0.1, 2.0)},
    goal=_basin_goal,
    solution="nnb2:rG3293jPbol7dzGLcR9leyEx4aJLgGfGGGucjZHRcg",   # a setting that meets the goal
    hints=[N_("Look at the basin figure: which colour reaches the left half of the plane?"),
           N_("Try w2 well below zero.")],
)
