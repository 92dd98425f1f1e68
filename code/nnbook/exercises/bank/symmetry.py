"""Exercises of chapter 5, "Weight-space symmetry" (slug ``symmetry``)."""

from __future__ import annotations

import numpy as np

from nnbook import symmetry as S
from nnbook.exercises import choice_exercise, function_exercise, value_exercise
from nnbook.i18n import N_

CHAPTER = 5


def _layers(rng, M, D=2, K=2):
    return rng.standard_normal((M, D)), rng.standard_normal(M), rng.standard_normal((K, M))


# --- symmetry.flip ----------------------------------------------------------------------------

def _flip_reference(W1, b1, W2, j):
    signs = np.ones(np.shape(W1)[0])
    signs[j] = -1
    return S.flip_units(W1, b1, W2, signs)


def _flip_cases(rng):
    return [(*_layers(rng, 3, D=2, K=2), 1), (*_layers(rng, 4, D=3, K=1), 0)]


def _flip_grading(rng):
    return [(*_layers(rng, 5, D=4, K=3), 4), (*_layers(rng, 1, D=1, K=1), 0), (*_layers(rng, 3, D=2, K=3), 2)]


def _flip_no_bias(W1, b1, W2, j):
    W1, W2 = W1.copy(), W2.copy()
    W1[j] *= -1
    W2[:, j] *= -1
    return W1, b1.copy(), W2


def _flip_no_output(W1, b1, W2, j):
    W1, b1 = W1.copy(), b1.copy()
    W1[j] *= -1
    b1[j] *= -1
    return W1, b1, W2.copy()


function_exercise(
    id="symmetry.flip",
    chapter=CHAPTER,
    title=N_("Flip a hidden unit"),
    points=2,
    name="flip_unit",
    reference=_flip_reference,
    public_cases=_flip_cases,
    grading_cases=_flip_grading,
    mistakes=[
        (_flip_no_bias, N_("You left the bias b1[j] alone: the bias is the weight w_j0 on x_0 = 1 and must "
                           "change sign with the other incoming weights, or tanh(−a) = −tanh(a) does not apply.")),
        (_flip_no_output, N_("You flipped only the weights *into* unit j: then z_j changes sign and the output "
                             "with it. Negate column j of W2 too.")),
    ],
    hints=[N_("Unit j's incoming weights are row j of W1 (and b1[j]); its outgoing weights are column j of W2."),
           N_("Copy the arrays first (W1.copy()) so the inputs stay unchanged.")],
)


# --- symmetry.permute -------------------------------------------------------------------------

def _perm_cases(rng):
    return [(*_layers(rng, 3, D=2, K=3), np.array([2, 0, 1])),
            (*_layers(rng, 4, D=3, K=2), rng.permutation(4))]


def _perm_grading(rng):
    return [(*_layers(rng, 5, D=2, K=5), np.array([1, 2, 3, 4, 0])),
            (*_layers(rng, 6, D=3, K=2), rng.permutation(6)),
            (*_layers(rng, 2, D=1, K=1), np.array([1, 0]))]


function_exercise(
    id="symmetry.permute",
    chapter=CHAPTER,
    title=N_("Exchange the hidden units"),
    points=2,
    name="permute_hidden",
    reference=lambda W1, b1, W2, perm: S.permute_units(W1, b1, W2, perm),
    public_cases=_perm_cases,
    grading_cases=_perm_grading,
    mistakes=[
        (lambda W1, b1, W2, perm: (W1[perm], b1.copy(), W2[:, perm]),
         N_("The biases belong to the units: permute b1 with the rows of W1.")),
        (lambda W1, b1, W2, perm: (W1[perm], b1[perm], W2.copy()),
         N_("You moved the incoming weights but not the outgoing ones: the columns of W2 must follow.")),
        (lambda W1, b1, W2, perm: tuple(S.permute_units(W1, b1, W2, np.argsort(perm))),
         N_("That is the inverse permutation: new unit j must be old unit perm[j], i.e. W1[perm].")),
    ],
    hints=[N_("Unit j is row j of W1 and b1 but column j of W2 (W2 is (K, M))."),
           N_("NumPy fancy indexing: W1[perm] and W2[:, perm].")],
)


# --- symmetry.count ---------------------------------------------------------------------------

value_exercise(
    id="symmetry.count",
    chapter=CHAPTER,
    title=N_("Count the equivalent weight vectors"),
    points=1,
    name="twin_count",
    answer=lambda: S.symmetry_factor([4, 3]),
    rtol=0.0,
    atol=0.5,
    mistakes=[
        (lambda: S.symmetry_factor(7), N_("You treated the 7 units as one layer; units cannot move between layers.")),
        (lambda: S.symmetry_factor(4) + S.symmetry_factor(3),
         N_("The two layers' symmetries combine freely, so the factors multiply, not add.")),
        (lambda: 2 ** 7, N_("That counts only the sign flips; the permutations of each layer multiply in too.")),
        (lambda: S.symmetry_factor(4), N_("That is the first layer alone; the second layer has its own M!·2^M.")),
    ],
    hints=[N_("Each layer of M tanh units contributes M!·2^M."),
           N_("Any symmetry of layer 1 can be combined with any symmetry of layer 2.")],
)


# --- symmetry.twins ---------------------------------------------------------------------------

_GROUPS = [(0, 1, 2), (3, 4), (5,)]          # units that start equal: three groups of six units


def _grouped_start():
    """A 1-6-1 tanh network whose hidden units start in the equal groups of _GROUPS."""
    from nnbook.networks import MLP

    net = MLP([1, 6, 1], hidden="tanh", seed=3)
    for group in _GROUPS:
        for j in group[1:]:
            net = S.make_twins(net, 1, group[0], j)
    return net


def _distinct_units_after_training():
    from nnbook.data import toy_regression
    from nnbook.optim import train

    x, t = toy_regression("sin", N=50)
    net = _grouped_start()
    train(net, x, t, epochs=500, eta=0.3, progress=False)
    units = np.c_[net.W[0], net.b[0], net.W[1].T]
    distinct = []                                          # equal = all parameters within 1e-6
    for u in units:                                        # (round-off may separate twins by ~1e-16)
        if not any(np.abs(u - d).max() < 1e-6 for d in distinct):
            distinct.append(u)
    return len(distinct)


value_exercise(
    id="symmetry.twins",
    chapter=CHAPTER,
    title=N_("Twins stay twins"),
    points=1,
    name="distinct_units",
    answer=_distinct_units_after_training,
    rtol=0.0,
    atol=0.5,
    mistakes=[
        (lambda: 6, N_("Gradient descent cannot separate units that start equal: at a point where two units "
                       "are equal, exchanging them leaves w and therefore ∇E unchanged, so both get the same "
                       "update, at every step. Equal units stay equal.")),
        (lambda: 1, N_("Units that start different stay different: their gradients differ, and nothing pulls "
                       "them onto each other. Only the units that start equal stay equal.")),
    ],
    hints=[N_("What does the exchange of two equal units do to w, and so to ∇E(w)?"),
           N_("Count the groups of equal units at the start.")],
)


# --- symmetry.free-flip -----------------------------------------------------------------------

choice_exercise(
    id="symmetry.free-flip",
    chapter=CHAPTER,
    title=N_("Which units flip for free?"),
    points=1,
    name="free_flip_activation",
    options=[N_("logistic sigmoid"), N_("tanh"), N_("ReLU"), N_("softplus")],
    answer="nnb2:HfGZUZd6L6eRcqyuLQ",
    explanations={
        0: N_("σ(−a) = 1 − σ(a): the flip works only if the next layer's biases absorb w_kj as well."),
        1: N_("Right: tanh is odd, tanh(−a) = −tanh(a), so the outgoing weights undo the sign change alone."),
        2: N_("max{0, −a} is not −max{0, a}: ReLU has no sign flips (it has a positive scaling symmetry instead)."),
        3: N_("softplus(−a) = softplus(a) − a: not odd, so a flip changes the function."),
    },
    hints=[N_("Which of these functions satisfies h(−a) = −h(a)?")],
)
