"""Exercises of chapter 10, "The backpropagation algorithm" (slug ``backprop``)."""

from __future__ import annotations

import numpy as np

from nnbook import losses
from nnbook.exercises import choice_exercise, function_exercise
from nnbook.i18n import N_

CHAPTER = 10


# --- backprop.output-delta ---------------------------------------------------------------------------

def _out_cases(rng):
    return [(np.array([[0.2, 0.9]]), np.array([[0.0, 1.0]])),
            (rng.standard_normal((3, 2)), rng.standard_normal((3, 2))),
            (rng.standard_normal((5, 1)), rng.standard_normal((5, 1)))]


def _out_grading(rng):
    Y = rng.standard_normal((6, 4))
    return [(Y, Y.copy()),                                        # a perfect fit: all deltas zero
            (rng.standard_normal((100, 10)), rng.standard_normal((100, 10))),
            (rng.uniform(0, 1, (4, 3)), np.eye(3)[rng.integers(0, 3, 4)])]


function_exercise(
    id="backprop.output-delta",
    chapter=CHAPTER,
    title=N_("Output-unit deltas"),
    points=1,
    name="output_delta",
    reference=losses.output_delta,
    public_cases=_out_cases,
    grading_cases=_out_grading,
    mistakes=[
        (lambda Y, T: T - Y,
         N_("Sign error: δ_k = ∂E_n/∂a_k = y_k − t_k (output minus target). The ECNU lecture writes −(y − a), "
            "with y its target: the same thing.")),
        (lambda Y, T: (Y - T) / Y.shape[0],
         N_("Wrong normalisation: δ_k belongs to one sample's error E_n; do not divide by the number of samples.")),
        (lambda Y, T: 0.5 * (Y - T) ** 2,
         N_("That is the error ½(y − t)² itself; δ is its derivative with respect to the output unit's net input.")),
    ],
    hints=[N_("For the canonical pairs (identity + sum of squares, softmax + cross-entropy) δ_k = y_k − t_k."),
           N_("Y and T are (N, K): one row per sample; the result has the same shape.")],
)


# --- backprop.hidden-delta -----------------------------------------------------------------------------

def hidden_delta_reference(A, W, delta_next):
    """δ^(l) = h'(A^(l)) ⊙ (δ^(l+1) W^(l+1)) for tanh hidden units; A (N, n_l), W (n_{l+1}, n_l), delta_next (N, n_{l+1})."""
    return (1.0 - np.tanh(A) ** 2) * (delta_next @ W)


def _hid_cases(rng):
    return [(rng.standard_normal((2, 3)), rng.standard_normal((3, 3)), rng.standard_normal((2, 3))),
            (rng.standard_normal((4, 3)), rng.standard_normal((2, 3)), rng.standard_normal((4, 2))),
            (np.zeros((1, 2)), np.array([[1.0, -2.0]]), np.array([[0.5]]))]


def _hid_grading(rng):
    return [(rng.standard_normal((8, 5)), rng.standard_normal((5, 5)), rng.standard_normal((8, 5))),
            (rng.standard_normal((10, 7)), rng.standard_normal((3, 7)), rng.standard_normal((10, 3))),
            (np.full((2, 3), 20.0), rng.standard_normal((4, 3)), rng.standard_normal((2, 4)))]   # saturated


function_exercise(
    id="backprop.hidden-delta",
    chapter=CHAPTER,
    title=N_("Hidden-unit deltas (tanh)"),
    points=2,
    name="hidden_delta",
    reference=hidden_delta_reference,
    public_cases=_hid_cases,
    grading_cases=_hid_grading,
    mistakes=[
        (lambda A, W, d: d @ W,
         N_("The factor h'(a_j) is missing: δ_j = h'(a_j) Σ_k w_kj δ_k, with h'(a) = 1 − tanh²(a).")),
        (lambda A, W, d: (1.0 - np.tanh(A) ** 2) * (d @ W.T),
         N_("Transposed W: W is (n_{l+1}, n_l) with element w_kj from unit j to unit k; the sum Σ_k w_kj δ_k "
            "runs over the FIRST index, i.e. delta_next @ W, not delta_next @ W.T.")),
        (lambda A, W, d: -(1.0 - np.tanh(A) ** 2) * (d @ W),
         N_("Sign error: δ_j = +h'(a_j) Σ_k w_kj δ_k.")),
        (lambda A, W, d: np.tanh(A) * (d @ W),
         N_("You multiplied by h(a) = tanh(a); the rule needs the derivative h'(a) = 1 − tanh²(a).")),
        (lambda A, W, d: (1.0 - A ** 2) * (d @ W),
         N_("h'(a) = 1 − z² with z = tanh(a) (the Nankai lecture), not 1 − a²: apply tanh first.")),
    ],
    hints=[N_("delta_next @ W has shape (N, n_l): entry (n, j) is Σ_k δ_nk w_kj."),
           N_("Multiply elementwise by 1 − np.tanh(A)**2.")],
)


# --- backprop.weight-gradient ----------------------------------------------------------------------------

def weight_gradient_reference(delta, Z):
    """∂E/∂W^(l) = Σ_n δ_n z_nᵀ = δᵀ Z; delta (N, n_l), Z (N, n_{l-1}) -> (n_l, n_{l-1})."""
    return delta.T @ Z


def _wg_cases(rng):
    return [(rng.standard_normal((3, 2)), rng.standard_normal((3, 2))),
            (rng.standard_normal((5, 3)), rng.standard_normal((5, 4))),
            (np.array([[1.0, -1.0]]), np.array([[2.0, 0.5, 3.0]]))]


def _wg_grading(rng):
    return [(rng.standard_normal((64, 10)), rng.standard_normal((64, 30))),
            (rng.standard_normal((7, 4)), rng.standard_normal((7, 4))),
            (np.zeros((3, 2)), rng.standard_normal((3, 5)))]


function_exercise(
    id="backprop.weight-gradient",
    chapter=CHAPTER,
    title=N_("Weight gradient of a batch"),
    points=2,
    name="weight_gradient",
    reference=weight_gradient_reference,
    public_cases=_wg_cases,
    grading_cases=_wg_grading,
    mistakes=[
        (lambda d, Z: Z.T @ d,
         N_("Transposed: ∂E/∂w_ji = Σ_n δ_nj z_ni has the shape of W, (n_l, n_{l-1}) — rows are the units j "
            "of this layer: delta.T @ Z.")),
        (lambda d, Z: np.outer(d[0], Z[0]),
         N_("You used only the first sample. For the batch error E = Σ_n E_n the derivatives add up over "
            "all samples: Σ_n δ_n z_nᵀ.")),
        (lambda d, Z: d.T @ Z / d.shape[0],
         N_("Wrong normalisation: E = Σ_n E_n (the Nankai lecture) gives the plain sum Σ_n δ_n z_nᵀ; no division by N.")),
        (lambda d, Z: -(d.T @ Z),
         N_("Sign error: ∂E_n/∂w_ji = +δ_j z_i.")),
    ],
    hints=[N_("One sample gives the outer product δ_n z_nᵀ (the Nankai lecture: δ_j z_i)."),
           N_("The sum over samples of outer products is one matrix product.")],
)


# --- backprop.symmetric-init --------------------------------------------------------------------------------

choice_exercise(
    id="backprop.symmetric-init",
    chapter=CHAPTER,
    title=N_("Equal initial weights"),
    points=1,
    name="equal_init_choice",
    options=[
        N_("The hidden units stay identical: the network behaves as if it had a single hidden unit"),
        N_("Every gradient is exactly zero, so no weight ever changes"),
        N_("Nothing goes wrong: the different inputs x_i break the symmetry after one step"),
        N_("Nothing goes wrong if stochastic instead of batch gradient descent is used"),
    ],
    answer="nnb2:ajAWlxHBNQIuatdyN3vn",
    explanations={
        0: N_("Equal units have equal a_j, z_j and (through equal w_kj) equal δ_j, hence equal updates "
              "δ_j z_i: they stay equal for ever (the ECNU lecture: w_ij 都会取相同的值)."),
        1: N_("That is (almost) the all-zero start with tanh units: z_j = 0 and δ_j = h'(a_j) Σ_k w_kj δ_k = 0 "
              "leave every weight gradient zero, and only the output biases move. With equal non-zero weights "
              "the gradients are non-zero, but equal for all hidden units."),
        2: N_("All hidden units see the same inputs x_i: the update δ_j x_i is the same for every unit j."),
        3: N_("Each stochastic step is the same update for every hidden unit as well; only randomness in the "
              "weights themselves breaks the symmetry."),
    },
    hints=[N_("Write δ_j for two hidden units with the same incoming and outgoing weights.")],
)
