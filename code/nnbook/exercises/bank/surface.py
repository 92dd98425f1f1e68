"""Exercises of chapter 7, "The error surface: local quadratic approximation" (slug ``surface``)."""

from __future__ import annotations

import numpy as np

from nnbook import surface as S
from nnbook.exercises import choice_exercise, function_exercise, slider_task

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
    title="The quadratic model",
    points=2,
    name="quadratic_model",
    reference=_quad_reference,
    public_cases=_quad_cases,
    grading_cases=_quad_grading,
    mistakes=[
        (lambda w, wh, E0, b, H: float(E0 + (w - wh) @ b + (w - wh) @ H @ (w - wh)),
         "You forgot the ½ in front of the quadratic term (the Taylor series has 1/2! there)."),
        (lambda w, wh, E0, b, H: float(E0 - (w - wh) @ b + 0.5 * (w - wh) @ H @ (w - wh)),
         "Sign error: the linear term is +(w − ŵ)ᵀb; the minus sign belongs to a descent step, not to the model."),
        (lambda w, wh, E0, b, H: float(E0 + (w - wh) @ b + 0.5 * w @ H @ w),
         "The quadratic term uses the displacement w − ŵ on both sides, not w itself."),
    ],
    hints=["Let d = w − w_hat; the model is E0 + d·b + ½ d·(H d).", "With numpy: d @ b and d @ H @ d."],
)


# --- surface.axes -----------------------------------------------------------------------------

def _axes_reference(H, delta_E):
    return S.ellipse_axes(H, delta_E)[0]


function_exercise(
    id="surface.axes",
    chapter=CHAPTER,
    title="The axes of the ellipses",
    points=2,
    name="half_axes",
    reference=_axes_reference,
    public_cases=lambda rng: [(np.array([[4.0, 1.0], [1.0, 2.0]]), 0.5), (_spd(rng, 3), 0.1)],
    grading_cases=lambda rng: [(_spd(rng, 4), 2.0), (np.diag([9.0, 1.0]), 0.5), (_spd(rng, 2), 0.03)],
    mistakes=[
        (lambda H, dE: np.sqrt(dE / np.linalg.eigvalsh(H)),
         "You dropped the 2: on the axis ½ λ_i α² = ΔE, so α = √(2ΔE/λ_i)."),
        (lambda H, dE: 2 * dE / np.linalg.eigvalsh(H),
         "That is α², not α: take the square root."),
        (lambda H, dE: np.sqrt(2 * dE * np.linalg.eigvalsh(H)),
         "The half-axis shrinks with curvature: divide by λ_i, do not multiply."),
    ],
    hints=["Along u_i the model rises by ½ λ_i α²; set that equal to ΔE.",
           "np.linalg.eigvalsh returns the eigenvalues of a symmetric matrix in increasing order."],
)


# --- surface.definite -------------------------------------------------------------------------

choice_exercise(
    id="surface.definite",
    chapter=CHAPTER,
    title="Which Hessians are positive definite?",
    points=1,
    name="definite_choices",
    options=["[[2, -1], [-1, 2]]", "[[1, 2], [2, 1]]", "[[3, 0], [0, 0.01]]", "[[1, 0], [0, 0]]",
             "[[-1, 0], [0, -2]]"],
    answer="nnb2:ToL_nTc_FUShOPhZMvSOa_1gI5694ajW2G9HrQA",
    explanations={
        0: "Positive definite: the eigenvalues are 1 and 3.",
        1: "Not positive definite: the eigenvalues are −1 and 3 (a saddle); v = (1, −1) gives vᵀHv = −2.",
        2: "Positive definite: both eigenvalues (3 and 0.01) are positive, however small one of them is.",
        3: "Only semi-definite: the eigenvalue 0 gives vᵀHv = 0 for v = (0, 1).",
        4: "Negative definite: both eigenvalues are negative — the Hessian of a maximum.",
    },
    hints=["Find the eigenvalues: a 2×2 symmetric matrix has trace = λ_1 + λ_2 and determinant = λ_1 λ_2."],
)


# --- surface.indefinite (a widget task) ------------------------------------------------------

_MODEL = []


def _indefinite_goal(w1, w2):
    if not _MODEL:
        _MODEL.append(S.two_parameter_model())
    model = _MODEL[0]
    lam = np.linalg.eigvalsh(model.hessian([w1, w2]))
    if lam[0] < 0:
        return True, (f"At ŵ = ({w1:g}, {w2:g}) the Hessian has eigenvalues ({lam[0]:.3f}, {lam[1]:.3f}): "
                      "indefinite, so the quadratic model is a saddle with hyperbolic contours.")
    return False, (f"At ŵ = ({w1:g}, {w2:g}) the eigenvalues are ({lam[0]:.3f}, {lam[1]:.3f}), both "
                   "non-negative: the model is a bowl there.")


slider_task(
    id="surface.indefinite",
    chapter=CHAPTER,
    title="Find a saddle-shaped approximation",
    points=1,
    name="indefinite_point",
    sliders={"w1": (-4.0, 4.0, 0.1, 1.8), "w2": (-4.0, 4.0, 0.1, -2.7)},
    goal=_indefinite_goal,
    solution="nnb2:vC1f7lhp3MZJ_A5z2UY8AunX83ERVngljADB",   # a setting that meets the goal
    hints=["Near a minimum the model is always a bowl; look between the two minima.",
           "The saddle point of the surface is near the origin."],
)
