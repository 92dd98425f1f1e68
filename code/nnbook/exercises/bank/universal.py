"""Exercises of chapter 4, "Universal approximation" (slug ``universal``)."""

from __future__ import annotations

import numpy as np

from nnbook import approximation as A
from nnbook.exercises import choice_exercise, function_exercise, slider_task, value_exercise
from nnbook.i18n import N_, _

CHAPTER = 4


# --- universal.relu-sum ------------------------------------------------------------------------

def _relu_sum_reference(x, w, b, s):
    return A.relu_spline(x, w, b, s)


def _relu_sum_cases(rng):
    return [
        (np.linspace(-1, 1, 7), np.array([1.0, 2.0]), np.array([0.0, -1.0]), np.array([1.0, -1.0])),
        (rng.uniform(-2, 2, 9), rng.standard_normal(4), rng.standard_normal(4), rng.choice([-1.0, 1.0], 4)),
    ]


def _relu_sum_grading(rng):
    return [
        (rng.uniform(-3, 3, 30), rng.standard_normal(6), rng.standard_normal(6), rng.choice([-1.0, 1.0], 6)),
        (rng.uniform(-1, 1, 5), rng.standard_normal(1), rng.standard_normal(1), np.array([-1.0])),
        (np.array([0.0, 0.5]), np.zeros(3), np.array([1.0, -1.0, 2.0]), np.array([1.0, 1.0, -1.0])),
    ]


function_exercise(
    id="universal.relu-sum",
    chapter=CHAPTER,
    title=N_("A ReLU network in one line"),
    points=2,
    name="relu_network",
    reference=_relu_sum_reference,
    public_cases=_relu_sum_cases,
    grading_cases=_relu_sum_grading,
    mistakes=[
        (lambda x, w, b, s: (np.outer(x, w) + b) @ s,
         N_("You left out the max{0, ·}: without the ReLU the network is a straight line, whatever d is.")),
        (lambda x, w, b, s: np.maximum(0.0, np.outer(x, w) + b).sum(axis=1),
         N_("You ignored the output weights s_i: every term is added with its sign ±1.")),
        (lambda x, w, b, s: (np.maximum(0.0, np.outer(x, w)) + b) @ s,
         N_("The bias belongs inside the ReLU: max{0, w_i x + b_i}, not max{0, w_i x} + b_i.")),
    ],
    hints=[N_("np.outer(x, w) + b is the (N, d) array of net inputs a_i = w_i x + b_i."),
           N_("Apply np.maximum(0, ·) elementwise, then combine the d columns with the weights s.")],
)


# --- universal.kinks ----------------------------------------------------------------------------

def _kinks_reference(x_points, y_points):
    w, b, s = A.relu_spline_weights(x_points, y_points)
    c = s * w
    c[0] = s[0] * b[0]
    return c


def _increasing(rng, n):
    return np.sort(rng.uniform(-2, 2, n)) + np.arange(n) * 1e-3


def _kinks_cases(rng):
    x = np.array([-1.0, 0.0, 0.5, 1.0])
    return [
        (x, np.array([1.0, 0.0, 0.5, 0.5])),
        (np.linspace(0, 1, 6), np.sin(np.linspace(0, 1, 6) * 3)),
    ]


def _kinks_grading(rng):
    x = _increasing(rng, 9)
    return [
        (x, rng.standard_normal(9)),
        (np.array([-2.0, 3.0]), np.array([-1.0, 4.0])),              # one segment: (y_0, m_1)
        (np.linspace(-1, 1, 5), np.abs(np.linspace(-1, 1, 5))),
    ]


function_exercise(
    id="universal.kinks",
    chapter=CHAPTER,
    title=N_("The kinks of a linear spline"),
    points=2,
    name="spline_coefficients",
    reference=_kinks_reference,
    public_cases=_kinks_cases,
    grading_cases=_kinks_grading,
    mistakes=[
        (lambda x, y: np.concatenate([[y[0]], np.diff(y) / np.diff(x)]),
         N_("You returned the slopes m_k themselves; each ReLU term adds the *change* of slope "
            "m_{k+1} − m_k at the knot x_k.")),
        (lambda x, y: np.concatenate([[y[0], np.diff(y)[0]], np.diff(np.diff(y))]),
         N_("You used differences of y without dividing by the widths x_k − x_{k−1}: a slope is "
            "(y_k − y_{k−1}) / (x_k − x_{k−1}).")),
        (lambda x, y: np.concatenate([[0.0, (np.diff(y) / np.diff(x))[0]], np.diff(np.diff(y) / np.diff(x))]),
         N_("The first coefficient is the constant y_0 (the value at the left end), not 0.")),
    ],
    hints=[N_("m = np.diff(y) / np.diff(x) are the n slopes."),
           N_("np.diff(m) are the n − 1 changes of slope at the interior knots.")],
)


# --- universal.pieces ---------------------------------------------------------------------------

_DEPTH = 9                     # deeper than the chapter's figures and widget go


def _pieces(L=_DEPTH):
    x = np.linspace(0, 1, 2 ** L * 8 + 1)
    return A.count_linear_pieces(x, A.sawtooth_network(L).forward(x[:, None]))


value_exercise(
    id="universal.pieces",
    chapter=CHAPTER,
    title=N_("Pieces of a deep sawtooth"),
    points=1,
    name="sawtooth_pieces",
    answer=_pieces,
    rtol=0.0,
    atol=0.5,
    mistakes=[
        (lambda: _pieces() // 2, N_("That is the number of teeth; every tooth has a rising and a falling piece.")),
        (lambda: 2 * _DEPTH, N_("That is the number of hidden units (2 per layer), not of linear pieces.")),
        (lambda: _DEPTH + 1, N_("Each layer does not add one piece: it *doubles* the number of pieces.")),
    ],
    hints=[N_("Count the pieces of g, g∘g and g∘g∘g in the figure of the chapter."),
           N_("Every composition with the tent map folds [0, 1] onto itself once more.")],
)


# --- universal.hypotheses -----------------------------------------------------------------------

choice_exercise(
    id="universal.hypotheses",
    chapter=CHAPTER,
    title=N_("The theorem's hypotheses"),
    points=1,
    name="universal_activation",
    options=[N_("ReLU max{0, a}"), N_("tanh"), N_("the Heaviside step H(a)"), N_("the identity a"), N_("the Gaussian e^{−a²}")],
    answer="nnb2:fPCTEaMBqj7lgvEpGw",
    explanations={
        0: N_("ReLU is unbounded, so the ECNU lecture's version does not apply. The theorem still holds for it: "
              "Leshno, Lin, Pinkus and Schocken (1993) need only an activation that is not a polynomial."),
        1: N_("Right: tanh is non-constant, bounded by 1, increasing and continuous."),
        2: N_("The step is bounded and non-decreasing but not continuous, so it fails the ECNU lecture's "
              "hypotheses. Those are sufficient, not necessary: the step is a squashing function, and "
              "Hornik, Stinchcombe and White (1989) prove the theorem for every squashing function, the "
              "step included."),
        3: N_("The identity is unbounded — and a network of linear units is linear, it cannot approximate x². "
              "No version of the theorem covers it: it is a polynomial."),
        4: N_("The Gaussian is bounded and continuous but not monotone (it rises, then falls), so it fails "
              "the ECNU lecture's hypotheses. The theorem still holds for it: Hornik (1991) needs only a "
              "continuous, bounded, non-constant activation, and Leshno et al. (1993) only a non-polynomial one."),
    },
    hints=[N_("Check the four properties one by one for each function."),
           N_("The question asks about the ECNU lecture's hypotheses, not about whether some other version "
              "of the theorem covers the function.")],
)


# --- universal.units (a widget task) ------------------------------------------------------------

def _square(x):
    return x ** 2


def _spline_error(d):
    return float(A.spline_error_curve(_square, [int(d)], n=4001)[0])


def _units_goal(d):
    d = int(d)
    err = _spline_error(d)
    if err >= 1e-3:
        return False, _("d = {d}: max error {err:.3e} (need < 1e-3).").format(d=d, err=err)
    if d > 2 and _spline_error(d - 1) < 1e-3:
        return False, _("d = {d}: max error {err:.3e} is below 1e-3, but fewer units would do too.").format(
            d=d, err=err)
    return True, _("d = {d} units: max error {err:.3e}, while d − 1 gives {err_fewer:.3e}. "
                   "For x² the error on a segment of length h is exactly h²/4.").format(
        d=d, err=err, err_fewer=_spline_error(d - 1))


slider_task(
    id="universal.units",
    chapter=CHAPTER,
    title=N_("Just enough units for x²"),
    points=1,
    name="spline_units",
    sliders={"d": (2, 80, 1, 10)},
    goal=_units_goal,
    solution="nnb2:LwGMgiRxH1ckVeh0v2MWUBOZ2f0",   # a setting that meets the goal
    hints=[N_("On a segment [a, a + h] the spline of x² lies above it by (x − a)(a + h − x), largest at the middle."),
           N_("So the max error is h²/4 with h = 2/(d − 1).")],
)
