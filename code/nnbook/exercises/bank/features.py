"""Exercises of chapter 1, "From fixed basis functions to learned features" (slug ``features``)."""

from __future__ import annotations

import math

import numpy as np

from nnbook import features as F
from nnbook.exercises import function_exercise, slider_task, value_exercise
from nnbook.i18n import N_, _

CHAPTER = 1


# --- features.poly-count --------------------------------------------------------------------

def _count_cases(rng):
    return [(2, 3), (3, 3), (1, 1), (2, 2), (3, 2), (5, 0), (0, 4)] + [
        (int(rng.integers(1, 12)), int(rng.integers(1, 6))) for _ in range(4)]


def _count_grading(rng):
    return [(784, 3), (10, 10), (1, 0), (0, 0)] + [
        (int(rng.integers(1, 40)), int(rng.integers(1, 8))) for _ in range(8)]


function_exercise(
    id="features.poly-count",
    chapter=CHAPTER,
    title=N_("Counting polynomial basis functions"),
    points=2,
    name="n_terms",
    reference=F.n_polynomial_terms,
    public_cases=_count_cases,
    grading_cases=_count_grading,
    mistakes=[
        (lambda D, M: math.comb(D + M - 1, M),
         N_("You counted only the monomials of degree exactly M. The basis also contains all "
            "lower degrees, down to the constant 1.")),
        (lambda D, M: D ** M,
         N_("D**M counts ordered products of M input variables: it misses the lower degrees and "
            "counts x1·x2 and x2·x1 as different terms.")),
        (lambda D, M: (M + 1) ** D,
         N_("(M+1)**D lets every variable take any power 0..M independently, so it includes terms "
            "such as x1^M x2^M of total degree above M.")),
        (lambda D, M: math.comb(D + M, M) - 1,
         N_("Almost: you left out the constant basis function φ_0 = 1.")),
    ],
    rtol=0,
    atol=0,
    hints=[
        N_("Try small cases by hand: D = 2, M = 2 gives 1, x1, x2, x1², x1x2, x2² — six terms."),
        N_("Add a slack power p_0 = M − (p_1 + ... + p_D): the count becomes the number of ways to "
           "write M as an ordered sum of D + 1 non-negative integers."),
        N_("math.comb(n, k) computes a binomial coefficient exactly."),
    ],
)


# --- features.gaussian ------------------------------------------------------------------------

def _gauss_cases(rng):
    cases = []
    for N, M, D in [(4, 3, 1), (5, 2, 2), (3, 4, 3)]:
        cases.append((rng.standard_normal((N, D)), rng.standard_normal((M, D)),
                      float(rng.uniform(0.3, 2.0))))
    return cases


def _gauss_grading(rng):
    cases = _gauss_cases(rng)
    C = rng.standard_normal((6, 4))
    cases.append((C.copy(), C, 0.5))                      # every point on a centre: diagonal of ones
    cases.append((rng.standard_normal((50, 5)), rng.standard_normal((7, 5)), 3.0))
    return cases


function_exercise(
    id="features.gaussian",
    chapter=CHAPTER,
    title=N_("Gaussian basis functions"),
    points=2,
    name="gaussian_basis",
    reference=F.gaussian_features,
    public_cases=_gauss_cases,
    grading_cases=_gauss_grading,
    mistakes=[
        (lambda X, C, s: np.exp(-np.sum((X[:, None] - C[None]) ** 2, axis=2) / s ** 2),
         N_("The factor 2 is missing: the exponent is −‖x − μ‖² / (2 s²).")),
        (lambda X, C, s: np.exp(-np.sqrt(np.sum((X[:, None] - C[None]) ** 2, axis=2)) / (2 * s ** 2)),
         N_("Use the *squared* distance ‖x − μ‖², not the distance itself.")),
        (lambda X, C, s: np.exp(np.sum((X[:, None] - C[None]) ** 2, axis=2) / (2 * s ** 2)),
         N_("Sign error: a Gaussian bump decays away from its centre, exp(−‖x − μ‖² / (2 s²)) ≤ 1.")),
        (lambda X, C, s: np.exp(-np.sum((X[:, None] - C[None]) ** 2, axis=2) / (2 * s)),
         N_("Divide by 2s², the squared width, not by 2s.")),
    ],
    hints=[
        N_("X[:, None, :] - centres[None, :, :] has shape (N, M, D): every input minus every centre."),
        N_("Sum the squares over the last axis, divide by 2 s², and take exp of minus that."),
    ],
)


# --- features.mnist-cubic -------------------------------------------------------------------

value_exercise(
    id="features.mnist-cubic",
    chapter=CHAPTER,
    title=N_("Cubic features of an MNIST image"),
    points=1,
    name="n_cubic_mnist",
    answer=lambda: F.n_polynomial_terms(784, 3),
    rtol=0,
    mistakes=[
        (lambda: math.comb(786, 3), N_("That is the number of monomials of degree exactly 3; "
                                       "the polynomial also has the terms of degree 0, 1 and 2.")),
        (lambda: 784 ** 3, N_("784³ counts ordered triples of pixels: it misses the lower degrees "
                              "and counts the same monomial several times.")),
        (lambda: F.n_polynomial_terms(784, 3) - 1, N_("Almost: the constant term counts too.")),
    ],
    hints=[N_("Use the count C(D + M, M) of this chapter with D = 784 and M = 3.")],
)


# --- features.hidden-units (a widget task) ----------------------------------------------------

_RINGS = {}


def _ring_accuracy(M: int) -> float:
    """Training accuracy of MLP([2, M, 2]) on two rings (cached: the slider revisits values)."""
    if M not in _RINGS:
        from nnbook.data import concentric_circles
        from nnbook.networks import MLP
        from nnbook.optim import train

        X, t = concentric_circles(N=200, k=2, noise=0.05, seed=0)
        net = MLP([2, M, 2], hidden="tanh", output="softmax", seed=0)
        _RINGS[M] = train(net, X, t, epochs=500, eta=0.5, progress=False).accuracy[-1]
    return _RINGS[M]


def _hidden_units_goal(M):
    M = int(M)
    acc = _ring_accuracy(M)
    if acc < 1.0:
        return False, _("With M = {M} hidden units the network classifies {percent:.1f} % of "
                        "the training points correctly — not all of them yet.").format(M=M, percent=100 * acc)
    if M > 1 and _ring_accuracy(M - 1) == 1.0:
        return False, _("M = {M} classifies every point correctly, but so does M = {fewer}: "
                        "find the smallest number of hidden units.").format(M=M, fewer=M - 1)
    return True, _("M = {M} is the smallest: every training point is classified correctly. "
                   "Each tanh unit is a soft straight cut; with fewer cuts than this no closed "
                   "region around the inner ring can be formed.").format(M=M)


slider_task(
    id="features.hidden-units",
    solution="nnb2:w07hrFml7oIrLqaSqdI9GCPRRw",   # a setting that meets the goal
    chapter=CHAPTER,
    title=N_("How many hidden units separate two rings?"),
    points=2,
    name="rings_setting",
    sliders={"M": (1, 8, 1, 1)},
    goal=_hidden_units_goal,
    hints=[
        N_("One hidden unit gives the output layer one straight cut; two give two cuts, "
           "which can form a wedge or a strip but not a closed region."),
        N_("The smallest polygon that encloses a region has three sides."),
    ],
)
