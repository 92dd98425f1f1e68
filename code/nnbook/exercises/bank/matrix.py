"""Exercises of chapter 11, "Backpropagation in matrix form" (slug ``matrix``)."""

from __future__ import annotations

import numpy as np

from nnbook import matrix_backprop as mb
from nnbook.exercises import choice_exercise, function_exercise, value_exercise
from nnbook.i18n import N_
from nnbook.lab.mnist import Config
from nnbook.losses import softmax

CHAPTER = 11


# --- matrix.grad-w1 -------------------------------------------------------------------------------

def _grad_W1_reference(X, y, W1, W2):
    """∇_{W1} of the summed cross-entropy of ReLU(X W1) W2: the package's eq. (11)."""
    return mb.two_layer_gradients(X, y, W1, W2, sigma="relu", reduction="sum")[0]


def _parts(X, y, W1, W2):
    A = X @ W1
    G = softmax(np.maximum(A, 0) @ W2) - np.eye(W2.shape[1])[y]
    return A, G


def _forgot_dsigma(X, y, W1, W2):
    A, G = _parts(X, y, W1, W2)
    return X.T @ (G @ W2.T)


def _sign_flipped(X, y, W1, W2):
    A, G = _parts(X, y, W1, W2)
    return X.T @ ((-G @ W2.T) * (A > 0))


def _without_labels(X, y, W1, W2):
    A, G = _parts(X, y, W1, W2)
    S = G + np.eye(W2.shape[1])[y]
    return X.T @ ((S @ W2.T) * (A > 0))


def _sigma_instead_of_dsigma(X, y, W1, W2):
    A, G = _parts(X, y, W1, W2)
    return X.T @ ((G @ W2.T) * np.maximum(A, 0))


def _mean_instead_of_sum(X, y, W1, W2):
    return _grad_W1_reference(X, y, W1, W2) / X.shape[0]


def _grad_cases(rng):
    cases = []
    for m, n, d, k in [(5, 3, 4, 3), (8, 2, 6, 4), (1, 4, 3, 2)]:
        cases.append((rng.standard_normal((m, n)), rng.integers(0, k, m), rng.standard_normal((n, d)),
                      rng.standard_normal((d, k))))
    return cases


def _grad_grading(rng):
    out = []
    for m, n, d, k in [(20, 5, 7, 3), (3, 3, 3, 3), (12, 784 // 28, 10, 10)]:
        out.append((rng.standard_normal((m, n)), rng.integers(0, k, m), rng.standard_normal((n, d)) * 0.5,
                    rng.standard_normal((d, k))))
    return out


function_exercise(
    id="matrix.grad-w1",
    chapter=CHAPTER,
    title=N_("The gradient of the first layer"),
    points=2,
    name="grad_W1",
    reference=_grad_W1_reference,
    public_cases=_grad_cases,
    grading_cases=_grad_grading,
    mistakes=[
        (_forgot_dsigma, N_("The factor σ'(XW₁) is missing: multiply (S − I_y)W₂ᵀ elementwise by "
                            "ReLU'(XW₁) (1 where XW₁ > 0, else 0) before the product with Xᵀ.")),
        (_sigma_instead_of_dsigma, N_("You multiplied by σ(XW₁) = ReLU(XW₁), the activation itself; the chain "
                                      "rule needs its derivative σ'(XW₁).")),
        (_sign_flipped, N_("Sign error: the derivative of softmax + cross-entropy is S − I_y, not I_y − S.")),
        (_without_labels, N_("You used S instead of S − I_y: the one-hot rows I_y of the labels must be subtracted.")),
        (_mean_instead_of_sum, N_("You divided by m: the exercise's loss is summed over the batch, as in the DLSys lecture.")),
    ],
    hints=[
        N_("Compute A = X @ W1, then S = softmax(ReLU(A) @ W2) row by row, and G = S − I_y with I_y = np.eye(k)[y]."),
        N_("Shapes: (S − I_y) W2ᵀ is (m, d), like σ'(A); the product Xᵀ(…) is (n, d), like W1."),
    ],
)


# --- matrix.layer-backward ------------------------------------------------------------------------

def _layer_backward_reference(G_next, Z, W, dsigma):
    """(G_i, ∇W_i) = ((G ∘ σ')Wᵀ, Zᵀ(G ∘ σ')): the DLSys lecture, eqs. (14) and (15)."""
    delta = G_next * dsigma
    return delta @ W.T, Z.T @ delta


def _lb_cases(rng):
    cases = []
    for m, ni, nj in [(4, 3, 3), (5, 2, 4), (1, 3, 2)]:
        cases.append((rng.standard_normal((m, nj)), rng.standard_normal((m, ni)), rng.standard_normal((ni, nj)),
                      rng.uniform(0, 1, (m, nj))))
    return cases


def _lb_grading(rng):
    cases = []
    for m, ni, nj in [(10, 6, 6), (7, 8, 3), (2, 2, 2)]:
        cases.append((rng.standard_normal((m, nj)), rng.standard_normal((m, ni)), rng.standard_normal((ni, nj)),
                      rng.uniform(0, 1, (m, nj))))
    return cases


function_exercise(
    id="matrix.layer-backward",
    chapter=CHAPTER,
    title=N_("One step of the backward pass"),
    points=2,
    name="layer_backward",
    reference=_layer_backward_reference,
    public_cases=_lb_cases,
    grading_cases=_lb_grading,
    mistakes=[
        (lambda G, Z, W, ds: (G @ W.T, Z.T @ G),
         N_("The factor σ_i'(Z_iW_i) is missing in both results: first form G_{i+1} ∘ dsigma.")),
        (lambda G, Z, W, ds: ((G * ds) @ W.T, Z.T @ G),
         N_("G_i is right, but ∇W_i also needs the factor σ_i': it is Z_iᵀ(G_{i+1} ∘ σ_i'), not Z_iᵀG_{i+1}.")),
        (lambda G, Z, W, ds: ((G * ds) @ W, Z.T @ (G * ds)),
         N_("G_i must be multiplied by W_iᵀ, not W_i (W_i is (n_i, n_{i+1}); G_i must be (m, n_i)).")),
        (lambda G, Z, W, ds: ((G * ds) @ W.T, ((G * ds).T @ Z)),
         N_("∇W_i is transposed: it must have the shape of W_i, (n_i, n_{i+1}) = Z_iᵀ(G ∘ σ'), not (G ∘ σ')ᵀZ_i.")),
    ],
    hints=[N_("delta = G_next * dsigma is the δ of this layer; both results use it."),
           N_("Match sizes: G_i is (m, n_i), ∇W_i is (n_i, n_{i+1}).")],
)


# --- matrix.matmul-vjp ----------------------------------------------------------------------------

def _matmul_vjp_reference(A, B, G):
    """(∂E/∂A, ∂E/∂B) = (G Bᵀ, Aᵀ G) for C = A B (nnbook.autodiff.Tensor.__matmul__)."""
    from nnbook.autodiff import Tensor

    At, Bt = Tensor(A), Tensor(B)
    C = At @ Bt
    C.backward(G)
    return At.grad, Bt.grad


def _mm_cases(rng):
    return [(rng.standard_normal((3, 3)), rng.standard_normal((3, 3)), rng.standard_normal((3, 3))),
            (rng.standard_normal((2, 4)), rng.standard_normal((4, 3)), rng.standard_normal((2, 3))),
            (rng.standard_normal((5, 1)), rng.standard_normal((1, 2)), rng.standard_normal((5, 2)))]


def _mm_grading(rng):
    return [(rng.standard_normal((4, 4)), rng.standard_normal((4, 4)), rng.standard_normal((4, 4))),
            (rng.standard_normal((6, 3)), rng.standard_normal((3, 5)), rng.standard_normal((6, 5)))]


function_exercise(
    id="matrix.matmul-vjp",
    chapter=CHAPTER,
    title=N_("The vector-Jacobian product of a matrix product"),
    points=2,
    name="matmul_vjp",
    reference=_matmul_vjp_reference,
    public_cases=_mm_cases,
    grading_cases=_mm_grading,
    mistakes=[
        (lambda A, B, G: (G @ B, A @ G), N_("Transposes missing: ∂E/∂A = G Bᵀ and ∂E/∂B = Aᵀ G.")),
        (lambda A, B, G: (B.T @ G.T, G.T @ A), N_("Those are the transposes of the right answers: "
                                                   "∂E/∂A must have the shape of A, (p, q).")),
        (lambda A, B, G: (G @ B.T, G.T @ A), N_("∂E/∂B is transposed: it must be (q, r) like B, i.e. Aᵀ G.")),
        (lambda A, B, G: (B.T @ G.T, A.T @ G), N_("∂E/∂A is transposed: it must be (p, q) like A, i.e. G Bᵀ.")),
    ],
    hints=[N_("c_ik = Σ_j a_ij b_jk, so ∂E/∂a_ij = Σ_k g_ik b_jk."), N_("Which products of G with B or A have the shapes of A and B?")],
)


# --- matrix.cache-bytes ---------------------------------------------------------------------------

def _lab():
    """The lab's network [D, n_1, n_2, K] and mini-batch size N, from the lab's own configuration (chapter 17)."""
    config = Config()
    return config.sizes, config.batch_size


def _cache_bytes(s=4):
    sizes, N = _lab()
    return mb.cache_nbytes_predicted(sizes, N, s)


def _without_inputs():
    sizes, N = _lab()
    return _cache_bytes() - 4 * N * sizes[0]


def _one_matrix_per_layer():
    sizes, N = _lab()
    return 4 * N * sum(sizes)


def _parameter_bytes():
    sizes, _ = _lab()
    return 4 * sum(n * (k + 1) for k, n in zip(sizes[:-1], sizes[1:]))


value_exercise(
    id="matrix.cache-bytes",
    chapter=CHAPTER,
    title=N_("The memory of the cache"),
    points=1,
    name="cache_bytes",
    answer=_cache_bytes,
    rtol=1e-9,
    mistakes=[
        (lambda: _cache_bytes(8), N_("That is the float64 size; float32 numbers take 4 bytes.")),
        (_without_inputs,
         N_("The cache also keeps the inputs X = Z^(0) (N × D numbers): the first layer's gradient needs them.")),
        (_one_matrix_per_layer,
         N_("You counted one matrix per layer; the package keeps both A^(l) and Z^(l) of each hidden layer, "
            "and both A^(L) and Y of the output layer.")),
        (_parameter_bytes,
         N_("That is the memory of the weights and biases, not of the cached values.")),
    ],
    hints=[N_("Count numbers: N·D for X, 2·N·n_l for every hidden layer (A and Z), 2·N·K for the output (A and Y)."),
           N_("Multiply by 4 bytes per float32 number.")],
)


# --- matrix.which-transpose -----------------------------------------------------------------------

choice_exercise(
    id="matrix.which-transpose",
    chapter=CHAPTER,
    title=N_("Which product is the gradient?"),
    points=1,
    name="answer_which_transpose",
    options=[
        N_("(S − I_y) σ(XW₁)"),
        N_("(S − I_y)ᵀ σ(XW₁)"),
        N_("σ(XW₁)ᵀ (S − I_y)"),
        N_("σ(XW₁) (S − I_y)ᵀ"),
    ],
    answer="nnb2:fETwDhmk_liivxvbOQ",
    explanations={
        0: N_("(m, k) times (m, d) cannot be multiplied: this is the 'scalar' chain rule before matching sizes."),
        1: N_("This has shape (k, d), the transpose of W₂ — it is the gradient in the package's layout W^(2), "
              "not in the DLSys lecture's."),
        2: N_("(d, m)(m, k) = (d, k), the shape of W₂: eq. (10), the sum over samples of σ(x_nᵀW₁)ᵀ(s_n − e_{y_n})."),
        3: N_("(m, d)(k, m) cannot be multiplied unless d = k, and even then it is not a sum over the samples."),
    },
    hints=[N_("Write down the shapes: S − I_y is (m, k), σ(XW₁) is (m, d), W₂ is (d, k).")],
)
