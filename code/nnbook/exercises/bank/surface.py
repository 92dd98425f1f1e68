"""Exercises of chapter 7, "The error surface: local quadratic approximation" (slug ``surface``)."""

from __future__ import annotations

import numpy as np

from nnbook import surface as S
from nnbook.exercises import choice_exercise, function_exercise, slider_task, value_exercise
from nnbook.i18n import N_, _

CHAPTER = 7


def _spd(rng, n):
    A = rng.standard_normal((n, n))
    return A @ A.T + 0.5 * np.eye(n)


def _sym(rng, n):
    A = rng.standard_normal((n, n))
    return A + A.T


# --- surface.quadratic ------------------------------------------------------------------------

def _quad_reference(w, w_hat, E0, b, H):
    return float(S.QuadraticApproximation(np.asarray(w_hat, float), float(E0), np.asarray(b, float),
                                          np.asarray(H, float))(w))


def _quad_cases(rng):
    return [
        (np.array([1.0, 2.0]), np.array([0.5, 1.0]), 3.0, np.array([1.0, 0.5]), np.array([[2.0, 0.5], [0.5, 1.0]])),
        (rng.standard_normal(3), rng.standard_normal(3), 0.7, rng.standard_normal(3), _sym(rng, 3)),
    ]


def _quad_grading(rng):
    return [
        (rng.standard_normal(5), rng.standard_normal(5), float(rng.normal()), rng.standard_normal(5), _spd(rng, 5)),
        (rng.standard_normal(2), np.zeros(2), 1.0, np.zeros(2), _sym(rng, 2)),
        (np.ones(4), np.ones(4), 2.5, rng.standard_normal(4), _sym(rng, 4)),
    ]


function_exercise(
    id="surface.quadratic",
    chapter=CHAPTER,
    title=N_("The quadratic model"),
    points=2,
    name="quadratic_model",
    reference=_quad_reference,
    public_cases=_quad_cases,
    grading_cases=_quad_grading,
    mistakes=[
        (lambda w, wh, E0, b, H: float(E0 + (w - wh) @ b + (w - wh) @ H @ (w - wh)),
         N_("You forgot the ½ in front of the quadratic term (the Taylor series has 1/2! there).")),
        (lambda w, wh, E0, b, H: float(E0 - (w - wh) @ b + 0.5 * (w - wh) @ H @ (w - wh)),
         N_("Sign error: the linear term is +(w − ŵ)ᵀb; the minus sign belongs to a descent step, not to the model.")),
        (lambda w, wh, E0, b, H: float(E0 + (w - wh) @ b + 0.5 * w @ H @ w),
         N_("The quadratic term uses the displacement w − ŵ on both sides, not w itself.")),
    ],
    hints=[N_("Let d = w − w_hat; the model is E0 + d·b + ½ d·(H d)."), N_("With numpy: d @ b and d @ H @ d.")],
)


# --- surface.axes -----------------------------------------------------------------------------

def _axes_reference(H, delta_E):
    return S.ellipse_axes(H, delta_E)[0]


function_exercise(
    id="surface.axes",
    chapter=CHAPTER,
    title=N_("The axes of the ellipses"),
    points=2,
    name="half_axes",
    reference=_axes_reference,
    public_cases=lambda rng: [(np.array([[4.0, 1.0], [1.0, 2.0]]), 0.5), (_spd(rng, 3), 0.1)],
    grading_cases=lambda rng: [(_spd(rng, 4), 2.0), (np.diag([9.0, 1.0]), 0.5), (_spd(rng, 2), 0.03)],
    mistakes=[
        (lambda H, dE: np.sqrt(dE / np.linalg.eigvalsh(H)),
         N_("You dropped the 2: on the axis ½ λ_i α² = ΔE, so α = √(2ΔE/λ_i).")),
        (lambda H, dE: 2 * dE / np.linalg.eigvalsh(H),
         N_("That is α², not α: take the square root.")),
        (lambda H, dE: np.sqrt(2 * dE * np.linalg.eigvalsh(H)),
         N_("The half-axis shrinks with curvature: divide by λ_i, do not multiply.")),
    ],
    hints=[N_("Along u_i the model rises by ½ λ_i α²; set that equal to ΔE."),
           N_("np.linalg.eigvalsh returns the eigenvalues of a symmetric matrix in increasing order.")],
)


# --- surface.definite -------------------------------------------------------------------------

choice_exercise(
    id="surface.definite",
    chapter=CHAPTER,
    title=N_("Which Hessians are positive definite?"),
    points=1,
    name="definite_choices",
    options=[N_("[[2, -1], [-1, 2]]"), N_("[[1, 2], [2, 1]]"), N_("[[3, 0], [0, 0.01]]"), N_("[[1, 0], [0, 0]]"),
             N_("[[-1, 0], [0, -2]]")],
    answer="nnb2:ToL_nTc_FUShOPhZMvSOa_1gI5694ajW2G9HrQA",
    explanations={
        0: N_("Positive definite: the eigenvalues are 1 and 3."),
        1: N_("Not positive definite: the eigenvalues are −1 and 3 (a saddle); v = (1, −1) gives vᵀHv = −2."),
        2: N_("Positive definite: both eigenvalues (3 and 0.01) are positive, however small one of them is."),
        3: N_("Only semi-definite: the eigenvalue 0 gives vᵀHv = 0 for v = (0, 1)."),
        4: N_("Negative definite: both eigenvalues are negative — the Hessian of a maximum."),
    },
    hints=[N_("Find the eigenvalues: a 2×2 symmetric matrix has trace = λ_1 + λ_2 and determinant = λ_1 λ_2.")],
)


# --- surface.long-axis ------------------------------------------------------------------------

_H_AXIS = np.array([[7.0, 2.0], [2.0, 4.0]])
_DELTA_E = 6.0


def _axis_eigenvalues():
    return np.linalg.eigvalsh(_H_AXIS)


value_exercise(
    id="surface.long-axis",
    chapter=CHAPTER,
    title=N_("The longest axis of an ellipse"),
    points=1,
    name="long_half_axis",
    answer=lambda: float(S.ellipse_axes(_H_AXIS, _DELTA_E)[0].max()),
    rtol=1e-3,
    mistakes=[
        (lambda: float(np.sqrt(_DELTA_E / _axis_eigenvalues()[0])),
         N_("You dropped the factor 2: on the axis ½ λ α² = ΔE, so α = √(2ΔE/λ).")),
        (lambda: float(2 * _DELTA_E / _axis_eigenvalues()[0]),
         N_("That is α², the square of the half-axis: take the square root.")),
        (lambda: float(np.sqrt(2 * _DELTA_E / _axis_eigenvalues()[1])),
         N_("That is the *shortest* half-axis: the long axis points along the eigenvector of the smallest "
            "eigenvalue, where the error rises most slowly.")),
        (lambda: float(np.sqrt(2 * _DELTA_E / _H_AXIS.diagonal().min())),
         N_("You used a diagonal entry of H; the axes belong to its eigenvalues (H is not diagonal: its "
            "eigenvectors are not the coordinate axes).")),
    ],
    hints=[N_("The eigenvalues of a 2×2 symmetric matrix: λ_1 + λ_2 = trace, λ_1 λ_2 = determinant."),
           N_("Along u_i the quadratic model rises by ½ λ_i α²; set that equal to ΔE.")],
)


# --- surface.indefinite (a widget task) ------------------------------------------------------

_LINE = {}
_S_STEP = 0.01                                             # the slider's step


def _line_point(s):
    """ŵ(s) = w* + s (w_saddle − w*): s = 0 is the global minimum, s = 1 the saddle point."""
    if not _LINE:
        model = S.two_parameter_model()
        _LINE["model"] = model
        _LINE["w_min"] = S.newton_stationary_point(model.gradient, [1.5, -2.5], model.hessian)
        _LINE["w_saddle"] = S.newton_stationary_point(model.gradient, [0.0, 0.2], model.hessian)
    return _LINE["w_min"] + float(s) * (_LINE["w_saddle"] - _LINE["w_min"])


def _lambda_min(s):
    return float(np.linalg.eigvalsh(_LINE["model"].hessian(_line_point(s)))[0])


def _indefinite_goal(s):
    s = round(float(s), 10)
    w = _line_point(s)
    lam = np.linalg.eigvalsh(_LINE["model"].hessian(w))
    where = _("s = {s:g}, ŵ = ({w1:.3f}, {w2:.3f}): eigenvalues of H ({l1:.3f}, {l2:.3f})").format(
        s=s, w1=w[0], w2=w[1], l1=lam[0], l2=lam[1])
    if lam[0] > 0:
        return False, _("{where}: still positive definite, the quadratic model is a bowl. "
                        "Move towards the saddle.").format(where=where)
    before = round(s - _S_STEP, 10)
    if before >= 0 and _lambda_min(before) <= 0:
        return False, _("{where}: indefinite, but so is the previous slider position s = {before:g} "
                        "(λ_min = {lam_min:.3f}). Find the first one.").format(
            where=where, before=before, lam_min=_lambda_min(before))
    return True, _("{where}: the first position on the slider where H has a negative eigenvalue "
                   "(at s = {before:g}, λ_min = {lam_min:.3f} > 0). The bowl around the "
                   "minimum ends here, well before the saddle point at s = 1.").format(
        where=where, before=before, lam_min=_lambda_min(before))


slider_task(
    id="surface.indefinite",
    chapter=CHAPTER,
    title=N_("Where the bowl ends"),
    points=1,
    name="indefinite_point",
    sliders={"s": (0.0, 1.0, _S_STEP, 0.0)},
    goal=_indefinite_goal,
    solution="nnb2:WxOd-7Cu1o0gtFQOGfS1PkFReM19dg",   # a setting that meets the goal
    hints=[N_("At s = 0 (the minimum) H is positive definite, at s = 1 (the saddle point) it is not: "
              "somewhere in between its smallest eigenvalue crosses 0."),
           N_("The smallest eigenvalue changes continuously along the line: halve the interval where it "
              "changes sign (bisection) instead of trying every position.")],
)
