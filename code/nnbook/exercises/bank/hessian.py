"""Exercises of chapter 16, "The Hessian" (slug ``hessian``)."""

from __future__ import annotations

import numpy as np

from nnbook.exercises import choice_exercise, function_exercise, value_exercise
from nnbook.hessian import r_forward_layer, woodbury_update

CHAPTER = 16


# --- hessian.woodbury-update ----------------------------------------------------------------

def _spd_inverse(rng, W):
    """A symmetric positive-definite H_L⁻¹ (as after some Woodbury steps from αI)."""
    A = rng.standard_normal((W, W))
    return np.linalg.inv(A @ A.T + 0.5 * np.eye(W))


def _wood_public(rng):
    return [(_spd_inverse(rng, W), rng.standard_normal(W)) for W in (3, 5, 2)]


def _wood_grading(rng):
    cases = [(_spd_inverse(rng, W), rng.standard_normal(W)) for W in (4, 8, 1)]
    cases.append((np.eye(6) / 1e-3, rng.standard_normal(6)))            # the start H_0 = αI, α = 1e-3
    cases.append((_spd_inverse(rng, 5), np.zeros(5)))                    # b = 0 changes nothing
    return cases


function_exercise(
    id="hessian.woodbury-update",
    chapter=CHAPTER,
    title="One Woodbury update",
    points=2,
    name="woodbury_step",
    reference=woodbury_update,
    public_cases=_wood_public,
    grading_cases=_wood_grading,
    mistakes=[
        (lambda Hi, b: Hi - np.outer(Hi @ b, b @ Hi) / (b @ Hi @ b),
         "The denominator is 1 + bᵀH⁻¹b: you left out the 1 (it comes from the identity in "
         "(M + v vᵀ)⁻¹ = M⁻¹ − M⁻¹v vᵀM⁻¹ / (1 + vᵀM⁻¹v))."),
        (lambda Hi, b: Hi + np.outer(Hi @ b, b @ Hi) / (1 + b @ Hi @ b),
         "Sign error: adding b bᵀ to H makes H larger, so its inverse gets *smaller* — subtract the "
         "correction."),
        (lambda Hi, b: Hi - np.outer(b, b) / (1 + b @ Hi @ b),
         "The correction is (H⁻¹b)(bᵀH⁻¹), not b bᵀ: the new point's vector is seen through the "
         "current inverse on both sides."),
        (lambda Hi, b: Hi - np.outer(Hi @ b, b @ Hi),
         "You forgot to divide by 1 + bᵀH⁻¹b."),
    ],
    rtol=1e-9,
    atol=1e-11,
    hints=[
        "Compute u = H⁻¹b once (Hinv @ b); since H⁻¹ is symmetric, bᵀH⁻¹ is the same vector.",
        "np.outer(u, u) is the W × W matrix u uᵀ; b @ u is the number bᵀH⁻¹b.",
    ],
)


# --- hessian.r-forward ----------------------------------------------------------------------

def _r_case(rng, N, n_prev, n):
    return (rng.standard_normal((N, n_prev)), rng.standard_normal((N, n_prev)),
            rng.standard_normal((n, n_prev)), rng.standard_normal((n, n_prev)),
            rng.standard_normal(n))


def _r_public(rng):
    return [_r_case(rng, 4, 3, 3), _r_case(rng, 2, 2, 5), _r_case(rng, 5, 4, 1)]


def _r_grading(rng):
    N, n_prev, n = 3, 4, 2
    first_layer = (rng.standard_normal((N, n_prev)), np.zeros((N, n_prev)),
                   rng.standard_normal((n, n_prev)), rng.standard_normal((n, n_prev)), np.zeros(n))
    return [_r_case(rng, 6, 5, 5), _r_case(rng, 1, 7, 3), first_layer, _r_case(rng, 10, 2, 8)]


function_exercise(
    id="hessian.r-forward",
    chapter=CHAPTER,
    title="One layer of the forward R-pass",
    points=2,
    name="r_forward",
    reference=r_forward_layer,
    public_cases=_r_public,
    grading_cases=_r_grading,
    mistakes=[
        (lambda Z, RZ, W, V, c: Z @ V.T + c,
         "You wrote the first-layer formula R{a_j} = Σ_i v_ji x_i. In a deeper layer the inputs z_i "
         "depend on the weights too, so R{z_i} ≠ 0: add Σ_i w_ji R{z_i}."),
        (lambda Z, RZ, W, V, c: RZ @ W.T + c,
         "You left out Σ_i v_ji z_i: R{w} = v, so the product rule on w_ji z_i gives "
         "v_ji z_i + w_ji R{z_i}."),
        (lambda Z, RZ, W, V, c: RZ @ W.T + Z @ V.T,
         "You forgot c, the direction of the biases: a bias is a weight from a unit of value 1, "
         "so it contributes R{b_j} = c_j."),
        (lambda Z, RZ, W, V, c: RZ @ W + Z @ V + c,
         "Transposed weights: W has shape (n, n_prev) with w_ji in row j, so the batch product is "
         "Z @ W.T, as in the forward pass A = Z Wᵀ + b."),
    ],
    rtol=1e-10,
    atol=1e-12,
    hints=[
        "Apply R{·} = vᵀ∇ to a_j = Σ_i w_ji z_i + b_j with the product rule; R{w_ji} = v_ji and "
        "R{b_j} = c_j.",
        "In batch form the forward pass is A = Z Wᵀ + b; mirror it.",
    ],
)


# --- hessian.eigenvalues (a widget: value) ----------------------------------------------------

_H2 = ((5.0, 2.0), (2.0, 2.0))


def _eigenvalues_answer():
    """λ_1 ≤ λ_2 of the exercise's 2 × 2 Hessian, by numpy."""
    return np.linalg.eigvalsh(np.array(_H2))


value_exercise(
    id="hessian.eigenvalues",
    chapter=CHAPTER,
    title="Eigenvalues of a 2 × 2 Hessian",
    points=1,
    name="eigenvalues_H",
    answer=_eigenvalues_answer,
    rtol=1e-6,
    atol=1e-9,
    mistakes=[
        ("nnb1:bo5sW1InIcL3HYTDgkEHO_0XpZxl49Mw_A2T61Q03l8yVnGNh_aP9KhJebLCCzswXQ",
         "Those are the diagonal entries H_11, H_22. They are the eigenvalues only when the "
         "off-diagonal entries vanish; solve det(H − λI) = 0."),
        ("nnb1:bo5sW1InIcL3HYTDgkEHO_0XpZtl49M3_A2T61Q03l8yVnGNh_aP9KhJebLCC8cwXQ",
         "Those are the diagonal entries, sorted. The off-diagonal 2 couples the weights: solve "
         "det(H − λI) = (5 − λ)(2 − λ) − 4 = 0."),
        ("nnb1:bo5sW1InIcL3HYTDgkEHO_0XpZpl49M2_A2T61Q03l8yVnGNh_aP9KhJebLCCzcwXQ",
         "Right values, wrong order: give them ascending, λ_1 ≤ λ_2."),
    ],
    hints=["det(H − λI) = (5 − λ)(2 − λ) − 2·2.",
           "The sum of the eigenvalues is the trace (7), their product the determinant (6)."],
)


# --- hessian.long-axis (a widget: choice) -----------------------------------------------------

choice_exercise(
    id="hessian.long-axis",
    chapter=CHAPTER,
    title="The long axis of the contours",
    points=1,
    name="long_axis",
    options=[
        "Along (2, 1), the eigenvector of the larger eigenvalue.",
        "Along (1, −2), the eigenvector of the smaller eigenvalue.",
        "Along the w_1 axis, the weight with the larger diagonal entry.",
        "Along the w_2 axis, the weight with the smaller diagonal entry.",
    ],
    answer="nnb1:bo70Cdio3ImM",
    explanations={
        0: "Along an eigenvector u_i the error rises as ½λ_i α², so the contour ΔE is reached at "
           "α = √(2ΔE/λ_i): the *larger* eigenvalue gives the *shorter* axis.",
        1: "Yes: the contour ΔE meets the eigenvector u_i at distance √(2ΔE/λ_i), longest for the "
           "smallest λ. Here λ = 1 with u ∝ (1, −2) (check: H(1, −2)ᵀ = (1, −2)ᵀ), and the axes "
           "have the ratio √(6/1).",
        2: "The off-diagonal entries tilt the ellipse: its axes are the eigenvectors of H, not the "
           "coordinate axes. And a larger curvature makes an axis shorter, not longer.",
        3: "The ellipse is tilted by the off-diagonal entry 2: its axes are the eigenvectors of H, "
           "not the coordinate axes.",
    },
    hints=["The axes of the ellipses are the eigenvectors of H.",
           "Along u_i, E − E(w*) = ½λ_i α²: where is that equal to a fixed ΔE?"],
)
