"""Exercises of chapter 3, "Feedforward networks" (slug ``feedforward``)."""

from __future__ import annotations

import numpy as np

from nnbook.exercises import choice_exercise, function_exercise, value_exercise
from nnbook.i18n import N_
from nnbook.networks import MLP

CHAPTER = 3


def _two_layer_net(W1, b1, W2, b2, hidden):
    """An MLP holding the given weights (package convention: W1 (M, D), W2 (K, M))."""
    M, D = np.shape(W1)
    K = np.shape(W2)[0]
    net = MLP([D, M, K], hidden=hidden, output="identity")
    net.W[0][...], net.b[0][...], net.W[1][...], net.b[1][...] = W1, b1, W2, b2
    return net


def _weights(rng, D, M, K, N=None):
    out = (rng.standard_normal((M, D)), rng.standard_normal(M), rng.standard_normal((K, M)),
           rng.standard_normal(K))
    return out if N is None else (rng.standard_normal((N, D)),) + out


# --- feedforward.forward -------------------------------------------------------------------

def _forward_reference(X, W1, b1, W2, b2):
    return _two_layer_net(W1, b1, W2, b2, "tanh").forward(X)


function_exercise(
    id="feedforward.forward",
    chapter=CHAPTER,
    title=N_("The forward pass of a two-layer network"),
    points=2,
    name="two_layer_forward",
    reference=_forward_reference,
    public_cases=lambda rng: [_weights(rng, 3, 3, 3, N=3),          # square: a transpose still runs
                              _weights(rng, 3, 4, 2, N=5)],
    grading_cases=lambda rng: [_weights(rng, 1, 1, 1, N=1), _weights(rng, 5, 5, 5, N=5),
                               _weights(rng, 10, 7, 3, N=20), _weights(rng, 2, 16, 1, N=50)],
    mistakes=[
        (lambda X, W1, b1, W2, b2: np.tanh(X @ W1 + b1) @ W2 + b2,
         N_("Transposed weights: W1 is (M, D) with row j holding the weights w_ji into hidden unit j, "
            "so the net inputs of a batch are X @ W1.T (the DLSys lecture's X W_1 stores the transpose).")),
        (lambda X, W1, b1, W2, b2: np.tanh(X @ W1.T) @ W2.T + b2,
         N_("The hidden biases w_j0 = b1 are missing from the net inputs a_j.")),
        (lambda X, W1, b1, W2, b2: np.tanh(X @ W1.T + b1) @ W2.T,
         N_("The output biases w_k0 = b2 are missing.")),
        (lambda X, W1, b1, W2, b2: (X @ W1.T + b1) @ W2.T + b2,
         N_("The activation is missing: the hidden units output z_j = tanh(a_j), not a_j.")),
        (lambda X, W1, b1, W2, b2: np.tanh(np.tanh(X @ W1.T + b1) @ W2.T + b2),
         N_("The outputs are linear here (regression): no tanh on the output units.")),
    ],
    hints=[
        N_("First layer for all samples at once: A1 = X @ W1.T + b1, shape (N, M)."),
        N_("Then Z = np.tanh(A1), and the outputs Z @ W2.T + b2."),
    ],
)


# --- feedforward.collapse --------------------------------------------------------------------

def _collapse_reference(W1, b1, W2, b2):
    """The equivalent one-layer network, read off the package's linear network (not typed)."""
    net = _two_layer_net(W1, b1, W2, b2, "identity")
    D = np.shape(W1)[1]
    b = net.forward(np.zeros((1, D)))[0]                  # y(0) = b
    W = (net.forward(np.eye(D)) - b).T                    # y(e_i) − b = column i of W
    return W, b


function_exercise(
    id="feedforward.collapse",
    chapter=CHAPTER,
    title=N_("Collapse a linear network"),
    points=2,
    name="collapse",
    reference=_collapse_reference,
    public_cases=lambda rng: [_weights(rng, 3, 3, 3), _weights(rng, 4, 2, 5)],
    grading_cases=lambda rng: [_weights(rng, 2, 2, 2), _weights(rng, 6, 3, 4), _weights(rng, 1, 5, 1),
                               _weights(rng, 8, 8, 8)],
    rtol=1e-9,
    atol=1e-10,
    mistakes=[
        (lambda W1, b1, W2, b2: (W1 @ W2, W2 @ b1 + b2),
         N_("Wrong order: the input passes W1 first, so y = W2 (W1 x + b1) + b2 and W = W2 @ W1.")),
        (lambda W1, b1, W2, b2: (W2 @ W1, b2),
         N_("The hidden biases also pass through the second layer: b = W2 @ b1 + b2.")),
        (lambda W1, b1, W2, b2: (W2 @ W1, b1 + b2),
         N_("b1 lives in the hidden layer; it reaches the outputs multiplied by W2: b = W2 @ b1 + b2.")),
        (lambda W1, b1, W2, b2: (W2 @ W1, W2 @ b1),
         N_("The output biases b2 are missing: b = W2 @ b1 + b2.")),
    ],
    hints=[N_("Expand W2 (W1 x + b1) + b2 and collect the terms with x and the terms without."),
           N_("Return a tuple: return W, b.")],
)


# --- feedforward.n-params ------------------------------------------------------------------

_SIZES = [784, 100, 50, 10]

value_exercise(
    id="feedforward.n-params",
    chapter=CHAPTER,
    title=N_("Count the parameters"),
    points=1,
    name="n_params_784",
    answer=lambda: MLP(_SIZES).n_params,
    rtol=0,
    mistakes=[
        (lambda: sum(p.size for p in MLP(_SIZES).W),
         N_("That counts the weights only; every unit of layers 1..L also has a bias.")),
        (lambda: sum(p.size for p in MLP(_SIZES).parameters()) - _SIZES[-1],
         N_("Close: the output units have biases too.")),
        (lambda: sum(p.size for p in MLP(_SIZES).parameters()) + sum(_SIZES[:1]),
         N_("The inputs have no biases: only the units that compute a net input do.")),
    ],
    hints=[N_("Layer l has n_l (n_{l-1} + 1) parameters: n_l n_{l-1} weights and n_l biases."),
           N_("Add the three layers: 784 → 100, 100 → 50, 50 → 10.")],
)


# --- feedforward.output-unit ----------------------------------------------------------------

choice_exercise(
    id="feedforward.output-unit",
    chapter=CHAPTER,
    title=N_("The output unit for digits"),
    points=1,
    name="digits_output",
    options=[N_("identity (linear outputs)"), N_("a logistic sigmoid on each output"),
             N_("softmax over the ten outputs"), N_("tanh on each output"), N_("ReLU on each output")],
    answer="nnb2:yBptz2YI7_hcQhx4DA",
    explanations={
        0: N_("Linear outputs suit regression; class probabilities must be positive and sum to 1."),
        1: N_("Independent sigmoids answer ten separate yes/no questions (several binary "
              "classifications); a digit belongs to exactly one class."),
        2: N_("Right: one class out of K — softmax gives a probability distribution over the ten "
              "digits, and pairs with the cross-entropy error (chapter 12)."),
        3: N_("tanh outputs lie in (−1, 1): not probabilities."),
        4: N_("ReLU outputs are unbounded and not normalised."),
    },
    hints=[N_("The Nankai lecture lists the output activation for each task: regression, several binary "
              "problems, multiclass.")],
)


# --- feedforward.linear-rank ------------------------------------------------------------------

_LINEAR_SIZES = [10, 6, 4, 8]                              # D, two linear hidden layers, K


def _linear_rank():
    net = MLP(_LINEAR_SIZES, hidden="identity", seed=0)
    W = net.W[2] @ net.W[1] @ net.W[0]                     # the collapsed (K, D) matrix
    return int(np.linalg.matrix_rank(W))


value_exercise(
    id="feedforward.linear-rank",
    chapter=CHAPTER,
    title=N_("A linear bottleneck"),
    points=1,
    name="linear_rank",
    answer=_linear_rank,
    rtol=0,
    mistakes=[
        (lambda: _LINEAR_SIZES[1], N_("The first hidden layer has 6 units, but every signal then passes "
                                      "through the narrower second one.")),
        (lambda: min(_LINEAR_SIZES[0], _LINEAR_SIZES[-1]),
         N_("min(D, K) bounds the rank of any 8 × 10 matrix; the hidden layers bound it further: "
            "rank(W3 W2 W1) ≤ min(rank W1, rank W2, rank W3).")),
        (lambda: _LINEAR_SIZES[0], N_("W is 8 × 10, and every signal passes through the hidden layers: "
                                      "the narrowest layer limits the rank.")),
    ],
    hints=[N_("The equivalent matrix is W = W⁽³⁾ W⁽²⁾ W⁽¹⁾ with shapes (8, 4), (4, 6), (6, 10)."),
           N_("The rank of a product is at most the smallest rank of its factors.")],
)
