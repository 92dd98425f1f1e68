"""Exercises of chapter 16, "The Hessian" (slug ``hessian``)."""

from __future__ import annotations

import numpy as np

from nnbook.activations import get as _activation
from nnbook.exercises import choice_exercise, function_exercise, value_exercise
from nnbook.hessian import (
    central_difference_hessian,
    diagonal_backward_layer,
    hessian_diagonal,
    hessian_exact_two_layer,
    hessian_fd_gradient,
    hessian_outer_product,
    hessian_r_operator,
    hessian_vector_product,
    mixed_second_derivatives,
    outer_product_sum,
    r_backward_layer,
    r_forward_layer,
    woodbury_update,
)
from nnbook.hessian.pruning import obd_saliency, obs_saliency
from nnbook.i18n import N_, _
from nnbook.jacobian import output_unit_jacobian

CHAPTER = 16
_TANH = _activation("tanh")          # the hidden units of the Nankai lecture's two-layer network


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
    title=N_("One Woodbury update"),
    points=2,
    name="woodbury_step",
    reference=woodbury_update,
    public_cases=_wood_public,
    grading_cases=_wood_grading,
    mistakes=[
        (lambda Hi, b: Hi - np.outer(Hi @ b, b @ Hi) / (b @ Hi @ b),
         N_("The denominator is 1 + bᵀH⁻¹b: you left out the 1 (it comes from the identity in "
            "(M + v vᵀ)⁻¹ = M⁻¹ − M⁻¹v vᵀM⁻¹ / (1 + vᵀM⁻¹v)).")),
        (lambda Hi, b: Hi + np.outer(Hi @ b, b @ Hi) / (1 + b @ Hi @ b),
         N_("Sign error: adding b bᵀ to H makes H larger, so its inverse gets *smaller* — subtract the "
            "correction.")),
        (lambda Hi, b: Hi - np.outer(b, b) / (1 + b @ Hi @ b),
         N_("The correction is (H⁻¹b)(bᵀH⁻¹), not b bᵀ: the new point's vector is seen through the "
            "current inverse on both sides.")),
        (lambda Hi, b: Hi - np.outer(Hi @ b, b @ Hi),
         N_("You forgot to divide by 1 + bᵀH⁻¹b.")),
    ],
    rtol=1e-9,
    atol=1e-11,
    hints=[
        N_("Compute u = H⁻¹b once (Hinv @ b); since H⁻¹ is symmetric, bᵀH⁻¹ is the same vector."),
        N_("np.outer(u, u) is the W × W matrix u uᵀ; b @ u is the number bᵀH⁻¹b."),
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
    title=N_("One layer of the forward R-pass"),
    points=2,
    name="r_forward",
    reference=r_forward_layer,
    public_cases=_r_public,
    grading_cases=_r_grading,
    mistakes=[
        (lambda Z, RZ, W, V, c: Z @ V.T + c,
         N_("You wrote the first-layer formula R{a_j} = Σ_i v_ji x_i. In a deeper layer the inputs z_i "
            "depend on the weights too, so R{z_i} ≠ 0: add Σ_i w_ji R{z_i}.")),
        (lambda Z, RZ, W, V, c: RZ @ W.T + c,
         N_("You left out Σ_i v_ji z_i: R{w} = v, so the product rule on w_ji z_i gives "
            "v_ji z_i + w_ji R{z_i}.")),
        (lambda Z, RZ, W, V, c: RZ @ W.T + Z @ V.T,
         N_("You forgot c, the direction of the biases: a bias is a weight from a unit of value 1, "
            "so it contributes R{b_j} = c_j.")),
        (lambda Z, RZ, W, V, c: RZ @ W + Z @ V + c,
         N_("Transposed weights: W has shape (n, n_prev) with w_ji in row j, so the batch product is "
            "Z @ W.T, as in the forward pass A = Z Wᵀ + b.")),
    ],
    rtol=1e-10,
    atol=1e-12,
    hints=[
        N_("Apply R{·} = vᵀ∇ to a_j = Σ_i w_ji z_i + b_j with the product rule; R{w_ji} = v_ji and "
           "R{b_j} = c_j."),
        N_("In batch form the forward pass is A = Z Wᵀ + b; mirror it."),
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
    title=N_("Eigenvalues of a 2 × 2 Hessian"),
    points=1,
    name="eigenvalues_H",
    answer=_eigenvalues_answer,
    rtol=1e-6,
    atol=1e-9,
    mistakes=[
        ("nnb1:bo5sW1InIcL3HYTDgkEHO_0XpZxl49Mw_A2T61Q03l8yVnGNh_aP9KhJebLCCzswXQ",
         N_("Those are the diagonal entries H_11, H_22. They are the eigenvalues only when the "
            "off-diagonal entries vanish; solve det(H − λI) = 0.")),
        ("nnb1:bo5sW1InIcL3HYTDgkEHO_0XpZtl49M3_A2T61Q03l8yVnGNh_aP9KhJebLCC8cwXQ",
         N_("Those are the diagonal entries, sorted. The off-diagonal 2 couples the weights: solve "
            "det(H − λI) = (5 − λ)(2 − λ) − 4 = 0.")),
        ("nnb1:bo5sW1InIcL3HYTDgkEHO_0XpZpl49M2_A2T61Q03l8yVnGNh_aP9KhJebLCCzcwXQ",
         N_("Right values, wrong order: give them ascending, λ_1 ≤ λ_2.")),
    ],
    hints=[N_("det(H − λI) = (5 − λ)(2 − λ) − 2·2."),
           N_("The sum of the eigenvalues is the trace (7), their product the determinant (6).")],
)


# --- hessian.long-axis (a widget: choice) -----------------------------------------------------

choice_exercise(
    id="hessian.long-axis",
    chapter=CHAPTER,
    title=N_("The long axis of the contours"),
    points=1,
    name="long_axis",
    options=[
        N_("Along (2, 1), the eigenvector of the larger eigenvalue."),
        N_("Along (1, −2), the eigenvector of the smaller eigenvalue."),
        N_("Along the w_1 axis, the weight with the larger diagonal entry."),
        N_("Along the w_2 axis, the weight with the smaller diagonal entry."),
    ],
    answer="nnb1:bo70Cdio3ImM",
    explanations={
        0: N_("Along an eigenvector u_i the error rises as ½λ_i α², so the contour ΔE is reached at "
              "α = √(2ΔE/λ_i): the *larger* eigenvalue gives the *shorter* axis."),
        1: N_("Yes: the contour ΔE meets the eigenvector u_i at distance √(2ΔE/λ_i), longest for the "
              "smallest λ. Here λ = 1 with u ∝ (1, −2) (check: H(1, −2)ᵀ = (1, −2)ᵀ), and the axes "
              "have the ratio √(6/1)."),
        2: N_("The off-diagonal entries tilt the ellipse: its axes are the eigenvectors of H, not the "
              "coordinate axes. And a larger curvature makes an axis shorter, not longer."),
        3: N_("The ellipse is tilted by the off-diagonal entry 2: its axes are the eigenvectors of H, "
              "not the coordinate axes."),
    },
    hints=[N_("The axes of the ellipses are the eigenvectors of H."),
           N_("Along u_i, E − E(w*) = ½λ_i α²: where is that equal to a fixed ΔE?")],
)


# --- hessian.diagonal-step ------------------------------------------------------------------

def _diagonal_reference(d2E_next, delta_next, W_next, A):
    """One step of the diagonal recursion for tanh hidden units (the package's, drop_off_diagonal)."""
    return diagonal_backward_layer(d2E_next, delta_next, W_next, A, _TANH)


def _diag_case(rng, N, n_next, n):
    return (rng.uniform(0.0, 2.0, (N, n_next)), rng.standard_normal((N, n_next)),
            rng.standard_normal((n_next, n)), rng.normal(0.0, 1.5, (N, n)))


def _diag_public(rng):
    return [_diag_case(rng, 4, 3, 5), _diag_case(rng, 2, 1, 3), _diag_case(rng, 3, 4, 2)]


def _diag_grading(rng):
    at_zero = _diag_case(rng, 3, 2, 4)
    at_zero = at_zero[:3] + (np.zeros((3, 4)),)                        # tanh''(0) = 0, tanh'(0) = 1
    return [_diag_case(rng, 6, 5, 7), _diag_case(rng, 1, 3, 3), at_zero, _diag_case(rng, 10, 2, 6)]


def _tanh_slopes(A):
    z = np.tanh(A)
    return 1 - z ** 2, -2 * z * (1 - z ** 2)


def _diag_no_second(d2E, d, W, A):
    hp, _ = _tanh_slopes(A)
    return hp ** 2 * (d2E @ W ** 2)


def _diag_w_not_squared(d2E, d, W, A):
    hp, hpp = _tanh_slopes(A)
    return hp ** 2 * (d2E @ W) + hpp * (d @ W)


def _diag_hp_not_squared(d2E, d, W, A):
    hp, hpp = _tanh_slopes(A)
    return hp * (d2E @ W ** 2) + hpp * (d @ W)


def _diag_first_derivative_twice(d2E, d, W, A):
    hp, _ = _tanh_slopes(A)
    return hp ** 2 * (d2E @ W ** 2) + hp * (d @ W)


function_exercise(
    id="hessian.diagonal-step",
    chapter=CHAPTER,
    title=N_("One step of the diagonal recursion"),
    points=2,
    name="diagonal_step",
    reference=_diagonal_reference,
    forbidden=[diagonal_backward_layer, hessian_diagonal],
    public_cases=_diag_public,
    grading_cases=_diag_grading,
    mistakes=[
        (_diag_no_second,
         N_("You left out h''(a_j) Σ_k w_kj ∂E_n/∂a_k. Differentiating δ_j = h'(a_j) Σ_k w_kj δ_k by a_j "
            "once more hits h'(a_j) too (product rule): that term is exact, not part of what the "
            "approximation drops.")),
        (_diag_w_not_squared,
         N_("The weights enter squared: Σ_k Σ_k' w_kj w_k'j ∂²E_n/∂a_k∂a_k' keeps only k = k', which is "
            "Σ_k w_kj² ∂²E_n/∂a_k².")),
        (_diag_hp_not_squared,
         N_("h'(a_j) enters squared in the first term: a_k depends on a_j through h'(a_j) w_kj, and the "
            "second derivative takes that chain twice.")),
        (_diag_first_derivative_twice,
         N_("The second term needs the second derivative h''(a_j) = −2 tanh(a_j)(1 − tanh²(a_j)), not "
            "h'(a_j).")),
    ],
    rtol=1e-9,
    atol=1e-12,
    hints=[
        N_("For tanh: h' = 1 − tanh², h'' = −2 tanh · (1 − tanh²)."),
        N_("Σ_k w_kj² ∂²E_n/∂a_k² for every sample is the product d2E_next @ W_next**2; Σ_k w_kj δ_k is "
           "delta_next @ W_next."),
    ],
)


# --- hessian.outer-product-ce ---------------------------------------------------------------

def _softmax_outer_reference(B, A):
    """Σ_n B_nᵀ (diag(y_n) − y_n y_nᵀ) B_n with y_n = softmax(a_n) (the package's forms)."""
    return outer_product_sum(B, output_unit_jacobian("softmax", A))


def _softmax(A):
    E = np.exp(A - A.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


def _oce_case(rng, N, K, W, scale=1.5):
    return rng.standard_normal((N, K, W)), rng.normal(0.0, scale, (N, K))


def _oce_public(rng):
    return [_oce_case(rng, 5, 3, 4), _oce_case(rng, 3, 2, 6), _oce_case(rng, 4, 4, 3)]


def _oce_grading(rng):
    large = _oce_case(rng, 3, 3, 5)
    large = (large[0], large[1] + 800.0)                                # exp overflows unless shifted
    return [_oce_case(rng, 8, 5, 7), _oce_case(rng, 1, 3, 2), large, _oce_case(rng, 6, 2, 4, scale=4.0)]


function_exercise(
    id="hessian.outer-product-ce",
    chapter=CHAPTER,
    title=N_("The outer-product Hessian of a softmax classifier"),
    points=2,
    name="softmax_outer_product",
    reference=_softmax_outer_reference,
    forbidden=[outer_product_sum, hessian_outer_product, output_unit_jacobian],
    public_cases=_oce_public,
    grading_cases=_oce_grading,
    mistakes=[
        (lambda B, A: np.einsum("nkv,nkw->vw", B, B),
         N_("That is the sum-of-squares form Σ_n B_nᵀB_n (M_n = I). With softmax outputs and the "
            "cross-entropy, ∂²E_n/∂a_k∂a_k' = δ_kk' y_k − y_k y_k' sits between the two B_n.")),
        (lambda B, A: np.einsum("nkv,nk,nkw->vw", B, _softmax(A), B),
         N_("You kept only diag(y_n): the softmax couples every pair of outputs, so the middle matrix is "
            "diag(y_n) − y_n y_nᵀ.")),
        (lambda B, A: np.einsum("nkv,nk,nkw->vw", B, _softmax(A) * (1 - _softmax(A)), B),
         N_("diag(y(1 − y)) is the sigmoid form, for outputs that do not share a normalisation. The "
            "softmax's middle matrix has off-diagonal entries −y_k y_k'.")),
    ],
    rtol=1e-9,
    atol=1e-11,
    hints=[
        N_("Compute y_n = softmax(a_n) stably (subtract the row's maximum before exp), then "
           "M_n = diag(y_n) − y_n y_nᵀ for every sample."),
        N_("np.einsum('nkv,nkl,nlw->vw', B, M, B) sums B_nᵀ M_n B_n over n."),
    ],
)


# --- hessian.mixed-block --------------------------------------------------------------------

def _mixed_reference(x, h_prime, z, delta, W2, M):
    """∂²E_n/∂w_ji^(1)∂w_kj'^(2) of one sample, entry [j, i, k, j'] (the package's corrected form)."""
    return mixed_second_derivatives(x[None], h_prime[None], z[None], delta[None], W2, M[None])


def _mixed_slide(x, hp, z, delta, W2, M):
    """The form printed on the slide: x_i h'(a_j'){δ_k I_jj' + z_j Σ_k' w_kj' M_kk'}."""
    Mh = hp.size
    eye = np.eye(Mh)
    S = M.sum(axis=1)[:, None] * W2                                   # Σ_k' w_kj' M_kk', (K, M) [k, j']
    return np.einsum("i,p,jp,k->jikp", x, hp, eye, delta) + np.einsum("i,p,j,kp->jikp", x, hp, z, S)


def _mixed_no_kronecker(x, hp, z, delta, W2, M):
    return np.einsum("i,j,p,kj->jikp", x, hp, z, M @ W2)


def _mixed_no_second(x, hp, z, delta, W2, M):
    return np.einsum("i,j,jp,k->jikp", x, hp, np.eye(hp.size), delta)


def _mixed_identity_M(x, hp, z, delta, W2, M):
    return (np.einsum("i,j,p,kj->jikp", x, hp, z, W2)
            + np.einsum("i,j,jp,k->jikp", x, hp, np.eye(hp.size), delta))


def _mixed_case(rng, D, Mh, K):
    Y = _softmax(rng.standard_normal((1, K)))[0]
    return (rng.standard_normal(D), rng.uniform(0.2, 1.0, Mh), rng.uniform(-1, 1, Mh),
            rng.standard_normal(K), rng.standard_normal((K, Mh)), np.diag(Y) - np.outer(Y, Y)
            + np.diag(rng.uniform(0.1, 0.5, K)))


def _mixed_public(rng):
    return [_mixed_case(rng, 2, 3, 2), _mixed_case(rng, 3, 2, 3), _mixed_case(rng, 1, 4, 2)]


def _mixed_grading(rng):
    return [_mixed_case(rng, 4, 5, 3), _mixed_case(rng, 2, 1, 1), _mixed_case(rng, 3, 3, 4)]


function_exercise(
    id="hessian.mixed-block",
    chapter=CHAPTER,
    title=N_("The mixed block of a two-layer Hessian"),
    points=2,
    name="mixed_block",
    reference=_mixed_reference,
    forbidden=[mixed_second_derivatives, hessian_exact_two_layer],
    public_cases=_mixed_public,
    grading_cases=_mixed_grading,
    mistakes=[
        (_mixed_slide,
         N_("That is the form printed on the slide, x_i h'(a_j'){δ_k I_jj' + z_j Σ_k' w_kj' M_kk'}: "
            "differentiate ∂E_n/∂w_kj'^(2) = δ_k z_j' by w_ji^(1). z_j' changes only if j' = j, by "
            "h'(a_j) x_i; δ_k changes by Σ_k' M_kk' w_k'j h'(a_j) x_i. So h'(a_j), z_j' and w_k'j.")),
        (_mixed_no_kronecker,
         N_("You left out δ_k I_jj': when j' = j the weight w_kj^(2) multiplies z_j, which itself depends "
            "on w_ji^(1) (∂z_j/∂w_ji = h'(a_j) x_i).")),
        (_mixed_no_second,
         N_("You left out z_j' Σ_k' w_k'j M_kk': changing w_ji^(1) changes a_j, hence every output's net "
            "input a_k', hence δ_k.")),
        (_mixed_identity_M,
         N_("You replaced Σ_k' w_k'j M_kk' by w_kj, which holds only for M = I (linear outputs with the "
            "sum of squares). Keep M: the tests use other output/error pairs.")),
    ],
    rtol=1e-9,
    atol=1e-12,
    hints=[
        N_("Start from ∂E_n/∂w_kj'^(2) = δ_k z_j' and differentiate by w_ji^(1) with the product rule."),
        N_("np.einsum('i,j,p,kj->jikp', x, h_prime, z, M @ W2) builds x_i h'(a_j) z_j' Σ_k' M_kk' w_k'j; "
           "add the δ_k term on the entries with j' = j."),
    ],
)


# --- hessian.fd-gradient --------------------------------------------------------------------

class _Gradient:
    """The gradient of E(w) = ½ wᵀAw + Σ_m c_m ln cosh(u_mᵀw), a smooth test error."""

    def __init__(self, A, U, c):
        self.A, self.U, self.c = A, U, c

    def __call__(self, w):
        w = np.asarray(w, dtype=float)
        return self.A @ w + self.U.T @ (self.c * np.tanh(self.U @ w))

    def __repr__(self):
        return _("<gradient of E(w) = ½wᵀAw + Σ_m c_m ln cosh(u_mᵀw), {n} weights, {m} terms>").format(
            n=self.A.shape[0], m=self.U.shape[0])


def _fd_case(rng, W, m=3, eps=1e-3):
    A = rng.standard_normal((W, W))
    return (_Gradient(A + A.T, rng.normal(0.0, 1.2, (m, W)), rng.uniform(1.0, 3.0, m)),
            rng.normal(0.0, 0.6, W), eps)


def _fd_public(rng):
    return [_fd_case(rng, 3), _fd_case(rng, 5), _fd_case(rng, 2, m=4)]


def _fd_grading(rng):
    return [_fd_case(rng, 6), _fd_case(rng, 4, eps=2e-3), _fd_case(rng, 1, m=2)]


def _fd_central(grad, w, eps):
    return central_difference_hessian(grad, w, eps)


def _fd_slide_literal(grad, w, eps):
    """The slide read literally: the derivative by w_lk with w_lk itself moved, for every pair."""
    d = np.diag(central_difference_hessian(grad, w, eps))
    return np.tile(d, (w.size, 1))


def _fd_forward(grad, w, eps):
    w = np.asarray(w, dtype=float)
    g0 = grad(w)
    return np.column_stack([(grad(w + eps * e) - g0) / eps for e in np.eye(w.size)])


function_exercise(
    id="hessian.fd-gradient",
    chapter=CHAPTER,
    title=N_("The Hessian from differences of the gradient"),
    points=2,
    name="fd_hessian",
    reference=_fd_central,
    forbidden=[central_difference_hessian, hessian_fd_gradient],
    public_cases=_fd_public,
    grading_cases=_fd_grading,
    mistakes=[
        (_fd_slide_literal,
         N_("Every row of your matrix is the same: you moved w_lk itself while reading off ∂E/∂w_lk, as the "
            "slide's formula reads literally. That gives only the diagonal ∂²E/∂w_lk². Move the *other* "
            "weight w_ji and read the change of ∂E/∂w_lk: column i is [∇E(w + εe_i) − ∇E(w − εe_i)] / 2ε.")),
        (lambda grad, w, eps: _fd_slide_literal(grad, w, eps).T,
         N_("Every column of your matrix is the same: you moved w_lk itself while reading off ∂E/∂w_lk, "
            "which gives only the diagonal. Move w_i and read off the whole gradient.")),
        (_fd_forward,
         N_("That is the one-sided difference [∇E(w + εe_i) − ∇E(w)] / ε, with error O(ε). The central "
            "difference [∇E(w + εe_i) − ∇E(w − εe_i)] / 2ε costs twice as much and is accurate to O(ε²).")),
        (lambda grad, w, eps: 2 * central_difference_hessian(grad, w, eps),
         N_("Twice too large: a central difference over w ± ε spans 2ε, so divide by 2ε, not ε.")),
    ],
    # Rows or columns: the lecture moves the first weight of the pair (row i), the package fills
    # column i; they differ by the O(ε²) asymmetry (≈ 1e-5 here), far below the O(ε) error of a
    # one-sided difference (≈ 3e-3 and more).
    rtol=1e-4,
    atol=1e-4,
    hints=[
        N_("For each i: copy w, add eps to entry i, evaluate grad; copy again, subtract eps; the difference "
           "divided by 2·eps is column i."),
        N_("Do not change w in place: grad(w + eps * e_i) with e_i = np.eye(len(w))[i] builds a new array."),
    ],
)


# --- hessian.r-backward ---------------------------------------------------------------------

def _r_backward_reference(A, RA, delta_next, Rdelta_next, W_next, V_next):
    """R{δ_j} for tanh hidden units (the package's backward R-pass step)."""
    return r_backward_layer(A, RA, delta_next, Rdelta_next, W_next, V_next, _TANH)


def _rb_case(rng, N, n_next, n):
    return (rng.normal(0.0, 1.2, (N, n)), rng.standard_normal((N, n)), rng.standard_normal((N, n_next)),
            rng.standard_normal((N, n_next)), rng.standard_normal((n_next, n)),
            rng.standard_normal((n_next, n)))


def _rb_public(rng):
    return [_rb_case(rng, 4, 3, 5), _rb_case(rng, 2, 1, 3), _rb_case(rng, 3, 2, 2)]


def _rb_grading(rng):
    return [_rb_case(rng, 6, 4, 7), _rb_case(rng, 1, 5, 3), _rb_case(rng, 8, 2, 4)]


def _rb_parts(A, RA, d, Rd, W, V):
    hp, hpp = _tanh_slopes(A)
    return hp, hpp, hpp * RA * (d @ W), hp * (d @ V), hp * (Rd @ W)


function_exercise(
    id="hessian.r-backward",
    chapter=CHAPTER,
    title=N_("One layer of the backward R-pass"),
    points=2,
    name="r_backward",
    reference=_r_backward_reference,
    forbidden=[r_backward_layer, hessian_vector_product, hessian_r_operator],
    public_cases=_rb_public,
    grading_cases=_rb_grading,
    mistakes=[
        (lambda *a: _rb_parts(*a)[3] + _rb_parts(*a)[4],
         N_("You left out h''(a_j) R{a_j} Σ_k w_kj δ_k: R{·} of h'(a_j) is h''(a_j) R{a_j}, the first "
            "factor of δ_j = h'(a_j) Σ_k w_kj δ_k changes too.")),
        (lambda *a: _rb_parts(*a)[2] + _rb_parts(*a)[4],
         N_("You left out h'(a_j) Σ_k v_kj δ_k: the weights w_kj in Σ_k w_kj δ_k move with R{w} = v.")),
        (lambda *a: _rb_parts(*a)[2] + _rb_parts(*a)[3],
         N_("You left out h'(a_j) Σ_k w_kj R{δ_k}: the deltas of the layer above change too — that is "
            "what makes the R-pass go backward.")),
        (lambda A, RA, d, Rd, W, V: (_rb_parts(A, RA, d, Rd, W, V)[0] * RA * (d @ W)
                                     + _rb_parts(A, RA, d, Rd, W, V)[3] + _rb_parts(A, RA, d, Rd, W, V)[4]),
         N_("The first term needs the second derivative: R{h'(a_j)} = h''(a_j) R{a_j}, with "
            "h''(a) = −2 tanh(a)(1 − tanh²(a)) for tanh.")),
    ],
    rtol=1e-9,
    atol=1e-12,
    hints=[
        N_("Apply R{·} to δ_j = h'(a_j) Σ_k w_kj δ_k with the product rule: three factors can change "
           "(h'(a_j), w_kj, δ_k)."),
        N_("In batch form Σ_k w_kj δ_k is delta_next @ W_next; Σ_k v_kj δ_k is delta_next @ V_next."),
    ],
)


# --- hessian.obs-saliency (a widget: value) -------------------------------------------------

_OBS_H = ((4.0, 2.0, 0.0), (2.0, 3.0, 1.0), (0.0, 1.0, 2.0))
_OBS_W = (0.6, -1.0, 0.7)


def _obs_L():
    return obs_saliency(np.array(_OBS_W), np.linalg.inv(np.array(_OBS_H)))


value_exercise(
    id="hessian.obs-saliency",
    chapter=CHAPTER,
    title=N_("The first weight Optimal Brain Surgeon deletes"),
    points=1,
    name="obs_first_saliency",
    answer=lambda: float(_obs_L().min()),
    rtol=1e-3,
    atol=0.0,
    mistakes=[
        (lambda: float(obd_saliency(np.array(_OBS_W), np.diag(_OBS_H)).min()),
         N_("That is Optimal Brain Damage's smallest saliency ½H_qq w_q², which lets no other weight move. "
            "OBS divides by the diagonal of the *inverse* Hessian: L_q = w_q² / (2[H⁻¹]_qq).")),
        (lambda: float((np.array(_OBS_W) ** 2 / (2 * np.diag(_OBS_H))).min()),
         N_("You divided by H_qq. The saliency uses the inverse Hessian: L_q = w_q² / (2[H⁻¹]_qq), and "
            "[H⁻¹]_qq ≠ 1/H_qq when H has off-diagonal entries.")),
        (lambda: float(2 * _obs_L().min()),
         N_("Twice too large: L_q = w_q² / (2[H⁻¹]_qq) — the ½ of the quadratic model ½δwᵀHδw.")),
        (lambda: float(_obs_L()[int(np.argmin(np.abs(_OBS_W)))]),
         N_("That is the saliency of the *smallest* weight, the choice of magnitude pruning. OBS deletes "
            "the weight with the smallest L_q, which need not be the smallest |w_q|.")),
        (lambda: float(_obs_L().max()),
         N_("That is the largest saliency: OBS deletes the weight whose loss costs *least*.")),
    ],
    hints=[N_("Invert H (np.linalg.inv) and read its diagonal [H⁻¹]_qq."),
           N_("Compute L_q = w_q² / (2[H⁻¹]_qq) for q = 1, 2, 3 and take the smallest.")],
)
