"""Exercises of chapter 14, "Vanishing gradients" (slug ``vanishing``)."""

from __future__ import annotations

import numpy as np

from nnbook.exercises import choice_exercise, function_exercise, slider_task, value_exercise
from nnbook.i18n import N_, _

CHAPTER = 14


# --- vanishing.backprop-deltas --------------------------------------------------------------------

def _deltas_reference(delta_L, Ws, dhs):
    """[δ^(1), ..., δ^(L)] by δ^(l) = h'(A^(l)) ⊙ (δ^(l+1) W^(l+1)) (package: MLP.backward)."""
    deltas = [np.asarray(delta_L)]
    for l in range(len(Ws) - 1, 0, -1):
        deltas.insert(0, dhs[l - 1] * (deltas[0] @ Ws[l]))
    return deltas


def _problem(rng, N, sizes):
    Ws = [rng.standard_normal((n, m)) for m, n in zip(sizes[:-1], sizes[1:])]
    dhs = [rng.uniform(0, 0.25, (N, n)) for n in sizes[1:-1]]
    return rng.standard_normal((N, sizes[-1])), Ws, dhs


def _bd_cases(rng):
    return [_problem(rng, 2, [3, 3, 3, 3]), _problem(rng, 4, [2, 5, 4, 3]), _problem(rng, 1, [3, 4, 2])]


def _bd_grading(rng):
    return [_problem(rng, 5, [4, 4, 4, 4, 4, 4]), _problem(rng, 3, [6, 2, 7, 1]), _problem(rng, 2, [2, 1])]


def _forgot_dh(delta_L, Ws, dhs):
    deltas = [delta_L]
    for l in range(len(Ws) - 1, 0, -1):
        deltas.insert(0, deltas[0] @ Ws[l])
    return deltas


def _transposed(delta_L, Ws, dhs):
    deltas = [delta_L]
    for l in range(len(Ws) - 1, 0, -1):
        deltas.insert(0, dhs[l - 1] * (deltas[0] @ Ws[l].T))
    return deltas


def _wrong_W(delta_L, Ws, dhs):
    deltas = [delta_L]
    for l in range(len(Ws) - 1, 0, -1):
        deltas.insert(0, dhs[l - 1] * (deltas[0] @ Ws[l - 1]))
    return deltas


def _reversed(delta_L, Ws, dhs):
    return _deltas_reference(delta_L, Ws, dhs)[::-1]


function_exercise(
    id="vanishing.backprop-deltas",
    chapter=CHAPTER,
    title=N_("All the deltas of a network"),
    points=2,
    name="backprop_deltas",
    reference=_deltas_reference,
    public_cases=_bd_cases,
    grading_cases=_bd_grading,
    mistakes=[
        (_forgot_dh, N_("The factor h'(A^(l)) is missing: every layer multiplies by the derivative of its activation — "
                        "that factor is what makes the signal vanish.")),
        (_transposed, N_("W^(l+1) is (n_{l+1}, n_l): δ^(l+1) W^(l+1) (no transpose) gives the (N, n_l) sums Σ_k w_kj δ_k.")),
        (_wrong_W, N_("Off by one layer: δ^(l) is computed with W^(l+1), the weights *above* layer l (Ws[l] in 0-based indexing).")),
        (_reversed, N_("The list is reversed: return [δ^(1), ..., δ^(L)], the first hidden layer first.")),
    ],
    hints=[N_("Start from [delta_L] and go down: l = L−1, ..., 1."),
           N_("With 0-based lists, W^(l+1) is Ws[l] and h'(A^(l)) is dhs[l-1].")],
)


# --- vanishing.ten-layers -------------------------------------------------------------------------

def _sigma_max():
    from nnbook.symbolic import sigmoid_derivative_bound

    return float(sigmoid_derivative_bound().max_value)


value_exercise(
    id="vanishing.ten-layers",
    chapter=CHAPTER,
    title=N_("The bound after ten layers"),
    points=1,
    name="sigmoid_factor_10",
    answer=lambda: _sigma_max() ** 10,
    rtol=1e-3,
    mistakes=[
        (lambda: (1 / _sigma_max()) ** 10,
         N_("That is 4¹⁰, the factor by which the signal is *divided* at least. The question asks for the "
            "factor it is *multiplied* by: at most (1/4)¹⁰, a number far below 1.")),
        (lambda: _sigma_max(), N_("That is the factor of one layer; ten layers multiply ten such factors.")),
        (lambda: 10 * _sigma_max(), N_("The factors multiply, they do not add: (1/4)^10, not 10 · 1/4.")),
        (lambda: 0.5 ** 10, N_("0.5 is σ(0), the value of the sigmoid; the bound is on its derivative, σ'(0) = 1/4.")),
        (lambda: 1.0, N_("1 bounds tanh', not σ'.")),
    ],
    hints=[N_("σ'(a) ≤ 1/4 for every a."), N_("Multiply ten factors of at most 1/4: the result is a number below 1.")],
)


# --- vanishing.gain (slider) ----------------------------------------------------------------------

def _gain_ratio(g):
    from nnbook.diagnostics import delta_norms
    from nnbook.networks import MLP

    rng = np.random.default_rng(0)
    X, T = rng.standard_normal((64, 16)), rng.standard_normal((64, 1))
    depth = 12
    net = MLP([16] + [32] * depth + [1], hidden="tanh", init=float(g) / np.sqrt(32), seed=0)
    d = delta_norms(net, X, T, per_unit=True)
    return float(d[0] / d[depth - 1])


def _gain_goal(g):
    r = _gain_ratio(g)
    if 0.1 <= r <= 10:
        return True, _("g = {g:.2f}: ‖δ^(1)‖ / ‖δ^(12)‖ = {r:.2f}, between 0.1 and 10.").format(g=g, r=r)
    if r < 0.1:
        return False, _("g = {g:.2f}: ‖δ^(1)‖ / ‖δ^(12)‖ = {r:.1e}; the signal vanishes: make the weights "
                        "larger.").format(g=g, r=r)
    return False, _("g = {g:.2f}: ‖δ^(1)‖ / ‖δ^(12)‖ = {r:.1e}; the signal explodes: make the weights "
                    "smaller.").format(g=g, r=r)


slider_task(
    id="vanishing.gain",
    solution="nnb2:twNndlxuGuhxyN8y9pfX_ndQbcDd",   # a setting that meets the goal
    chapter=CHAPTER,
    title=N_("Neither vanishing nor exploding"),
    points=1,
    name="gain_setting",
    sliders={"g": (0.25, 4.0, 0.05, 0.5)},
    goal=_gain_goal,
    hints=[N_("Each layer scales δ by about (typical tanh') × g."), N_("tanh' ≤ 1, so g must be at least about 1.")],
)


# --- vanishing.softplus-range ---------------------------------------------------------------------

choice_exercise(
    id="vanishing.softplus-range",
    chapter=CHAPTER,
    title=N_("The range of softplus'"),
    points=1,
    name="answer_softplus_range",
    options=[N_("(0, 1/4]"), N_("(0, 1)"), N_("{0, 1}"), N_("(0, ∞)")],
    answer="nnb2:uABxQZGePxIeema56g",
    explanations={
        0: N_("(0, 1/4] is the range of σ'; softplus' is σ itself."),
        1: N_("Right: softplus'(a) = e^a / (1 + e^a) = σ(a), which tends to 0 and 1 without reaching them."),
        2: N_("{0, 1} is the range of ReLU' (with ReLU'(0) = 0); softplus is smooth."),
        3: N_("softplus grows at most like a, so its slope never exceeds 1."),
    },
    hints=[N_("Differentiate ln(1 + e^a).")],
)
