"""Exercises of chapter 15, "The Jacobian" (slug ``jacobian``)."""

from __future__ import annotations

import numpy as np

from nnbook.exercises import choice_exercise, function_exercise, value_exercise
from nnbook.i18n import N_
from nnbook.jacobian import jacobian_backward_layer, output_unit_jacobian

CHAPTER = 15


# --- jacobian.backward-layer ----------------------------------------------------------------

def _layer_case(rng, N, K, n_next, n):
    G_next = rng.standard_normal((N, K, n_next))
    W_next = rng.standard_normal((n_next, n))
    h_prime = rng.uniform(0.05, 1.0, size=(N, n))
    return (G_next, W_next, h_prime)


def _layer_public(rng):
    return [_layer_case(rng, 3, 2, 4, 4), _layer_case(rng, 2, 1, 3, 5), _layer_case(rng, 4, 3, 2, 6)]


def _layer_grading(rng):
    return [_layer_case(rng, 5, 2, 4, 4),            # square W^(l+1): a transpose would not fail on shape
            _layer_case(rng, 1, 10, 7, 3),
            _layer_case(rng, 6, 1, 1, 8),
            (np.zeros((2, 3, 4)), rng.standard_normal((4, 5)), np.ones((2, 5)))]


function_exercise(
    id="jacobian.backward-layer",
    chapter=CHAPTER,
    title=N_("One backward step of the Jacobian recursion"),
    points=2,
    name="jacobian_step",
    reference=jacobian_backward_layer,
    public_cases=_layer_public,
    grading_cases=_layer_grading,
    mistakes=[
        (lambda G, W, hp: G @ W,
         N_("You left out h'(a_j): ∂y_k/∂a_j = h'(a_j) Σ_l w_lj ∂y_k/∂a_l — every step down through a "
            "hidden layer multiplies by the slope of its activation.")),
        (lambda G, W, hp: (G @ W.T) * hp[:, None, :],
         N_("You used the transpose of W^(l+1). Its element w_lj sits in row l (the receiving unit) and "
            "column j, so the sum over l is G_next @ W_next, without .T.")),
        (lambda G, W, hp: -(G @ W) * hp[:, None, :],
         N_("Sign error: the recursion ∂y_k/∂a_j = h'(a_j) Σ_l w_lj ∂y_k/∂a_l has no minus sign.")),
    ],
    rtol=1e-10,
    atol=1e-12,
    hints=[
        N_("Shapes: G_next (N, K, n_{l+1}) times W_next (n_{l+1}, n_l) gives (N, K, n_l) — numpy's @ "
           "multiplies the last two axes and keeps the batch axis."),
        N_("Then multiply elementwise by h'(a_j), which has shape (N, n_l): add an axis for k."),
    ],
)


# --- jacobian.softmax-start -----------------------------------------------------------------

def _softmax_reference(A):
    return output_unit_jacobian("softmax", A)


def _softmax_public(rng):
    return [(rng.standard_normal((4, 3)),), (rng.standard_normal((2, 5)),), (np.zeros((1, 4)),)]


def _softmax_grading(rng):
    return [(3 * rng.standard_normal((6, 4)),),
            (rng.standard_normal((3, 2)),),
            (np.array([[700.0, 699.0, 0.0]]),),          # needs the max-shift of a stable softmax
            (rng.standard_normal((1, 10)),)]


def _sm(A):
    E = np.exp(A - A.max(axis=1, keepdims=True))
    return E / E.sum(axis=1, keepdims=True)


function_exercise(
    id="jacobian.softmax-start",
    chapter=CHAPTER,
    title=N_("Where the recursion starts: the softmax Jacobian"),
    points=2,
    name="softmax_jacobian",
    reference=_softmax_reference,
    forbidden=[output_unit_jacobian],
    public_cases=_softmax_public,
    grading_cases=_softmax_grading,
    mistakes=[
        (lambda A: -_sm(A)[:, :, None] * _sm(A)[:, None, :],
         N_("You kept only −y_k y_j and lost the Kronecker term δ_kj y_k: the diagonal entries are "
            "y_k − y_k² = y_k(1 − y_k).")),
        (lambda A: _sm(A)[:, :, None] * np.eye(A.shape[1]),
         N_("You kept only δ_kj y_k: every output of a softmax depends on every a_j through the "
            "normalisation, so the off-diagonal entries −y_k y_j are not zero.")),
        (lambda A: (_sm(A) * (1 - _sm(A)))[:, :, None] * np.eye(A.shape[1]),
         N_("That is the sigmoid start δ_kj σ'(a_j): it treats the outputs as independent. A softmax "
            "couples them: add the off-diagonal −y_k y_j.")),
        (lambda A: _sm(A)[:, :, None] * _sm(A)[:, None, :] - _sm(A)[:, :, None] * np.eye(A.shape[1]),
         N_("Sign error: ∂y_k/∂a_j = δ_kj y_k − y_k y_j (positive on the diagonal: raising a_k raises y_k).")),
    ],
    rtol=1e-9,
    atol=1e-12,
    hints=[
        N_("First the softmax itself, row by row: y = exp(a − max a) / Σ exp(a − max a) (the shift "
           "avoids overflow and does not change y)."),
        N_("Y[:, :, None] * np.eye(K) is the batch of diag(y); Y[:, :, None] * Y[:, None, :] is the batch "
           "of outer products y yᵀ."),
    ],
)


# --- jacobian.softmax-entry (a widget: value) ------------------------------------------------

def _entry_answer():
    """∂y_1/∂a_2 of a softmax with outputs y = (0.5, 0.3, 0.2), from the package."""
    y = np.array([[0.5, 0.3, 0.2]])
    return float(output_unit_jacobian("softmax", np.log(y), y)[0, 0, 1])


value_exercise(
    id="jacobian.softmax-entry",
    chapter=CHAPTER,
    title=N_("One entry of the softmax Jacobian"),
    points=1,
    name="dy1_da2",
    answer=_entry_answer,
    rtol=1e-6,
    atol=1e-9,
    mistakes=[
        ("nnb1:bo703euc64m_1K5M",
         N_("Check the sign: raising a_2 raises y_2 and, because the outputs sum to 1, lowers y_1.")),
        ("nnb1:bo703eua64m_1q5P",
         N_("That is a diagonal entry, ∂y_1/∂a_1 = y_1(1 − y_1). Here k = 1 and j = 2 differ: δ_12 = 0.")),
        ("nnb1:bo703eue64m_2K5O",
         N_("You added y_1 as if k = j. For k ≠ j the Kronecker delta δ_kj is 0 and only −y_k y_j is left.")),
    ],
    hints=[N_("∂y_k/∂a_j = δ_kj y_k − y_k y_j with k = 1, j = 2."), N_("δ_12 = 0.")],
)


# --- jacobian.mode (a widget: choice) ---------------------------------------------------------

choice_exercise(
    id="jacobian.mode",
    chapter=CHAPTER,
    title=N_("Backward or forward?"),
    points=1,
    name="jacobian_mode",
    options=[
        N_("Backward from the outputs (the lecture's recursion): it carries one vector per output, K = 10."),
        N_("Forward from the inputs: it carries one vector per input, D = 784."),
        N_("Both carry the same number of vectors: the Jacobian has K·D entries either way."),
        N_("Central differences: they need only two forward passes for the whole Jacobian."),
    ],
    answer="nnb1:bo70Ddio34mP",
    explanations={
        0: N_("Yes. The backward recursion starts from ∂y_k/∂a_l at the K outputs and carries K rows "
              "down the network; each step is one matrix product per row."),
        1: N_("Pushing ∂a/∂x forward carries one column per input: 784 of them against the 10 rows "
              "of the backward pass. Only the first layer is free (∂a⁽¹⁾/∂x = W⁽¹⁾); through every "
              "later layer the forward pass does 78 times the work."),
        2: N_("The result has K·D entries either way, but the work of a pass through a layer is "
              "proportional to the number of vectors it carries: K backward, D forward."),
        3: N_("Central differences perturb each input in turn: 2D = 1568 forward passes, and the "
              "result is only accurate to O(ε²)."),
    },
    hints=[N_("Count what each pass carries through the layers: rows ∂y_k/∂a (one per output) or "
              "columns ∂a/∂x_i (one per input).")],
)
