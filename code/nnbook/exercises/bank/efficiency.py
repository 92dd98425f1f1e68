"""Exercises of chapter 13, "Efficiency and gradient checking" (slug ``efficiency``)."""

from __future__ import annotations

import numpy as np

from nnbook.exercises import choice_exercise, function_exercise, slider_task, value_exercise
from nnbook.gradcheck import central_difference
from nnbook.i18n import N_, _

CHAPTER = 13


# --- efficiency.central-gradient -----------------------------------------------------------------

def _central_gradient_reference(f, w, eps):
    """Central-difference gradient of f at w (nnbook.gradcheck.central_difference)."""
    return central_difference(f, w, eps)


def wavy(w):
    """Σ sin(w_i) + (wᵀw)²: a smooth function with nonzero third derivatives."""
    return float(np.sum(np.sin(w)) + (w @ w) ** 2)


def cubic(w):
    """Σ_i i·w_i³ − w_0 w_1 (needs at least two entries)."""
    return float(np.sum(np.arange(1, len(w) + 1) * w ** 3) - w[0] * w[1])


def tiny_network_error(w):
    """E(w) of a 1-2-1 tanh network on three fixed samples; w has 7 entries (W1, b1, W2, b2)."""
    x = np.array([-1.0, 0.5, 2.0])
    t = np.array([0.3, -0.2, 0.8])
    z = np.tanh(np.outer(x, w[0:2]) + w[2:4])
    y = z @ w[4:6] + w[6]
    return float(0.5 * np.sum((y - t) ** 2))


def _cg_cases(rng):
    return [(wavy, np.array([0.3, -1.2, 2.0]), 1e-3),
            (cubic, rng.normal(size=4), 1e-3),
            (tiny_network_error, rng.normal(size=7), 1e-4)]


def _cg_grading(rng):
    return [(wavy, rng.normal(size=6), 1e-3), (cubic, rng.normal(size=2), 1e-2),
            (tiny_network_error, rng.normal(size=7), 1e-3)]


def _forward_gradient(f, w, eps):
    g = np.zeros(len(w))
    f0 = f(w)
    for i in range(len(w)):
        s = np.zeros(len(w))
        s[i] = eps
        g[i] = (f(w + s) - f0) / eps
    return g


function_exercise(
    id="efficiency.central-gradient",
    chapter=CHAPTER,
    title=N_("A central-difference gradient"),
    points=2,
    name="central_gradient",
    reference=_central_gradient_reference,
    public_cases=_cg_cases,
    grading_cases=_cg_grading,
    mistakes=[
        (_forward_gradient, N_("That is the forward difference (f(w + εe_i) − f(w))/ε, error O(ε); the central "
                               "difference uses f(w + εe_i) − f(w − εe_i).")),
        (lambda f, w, eps: 2 * central_difference(f, w, eps),
         N_("Off by a factor 2: the two evaluations are 2ε apart, so divide by 2ε, not ε.")),
        (lambda f, w, eps: np.full(len(w), (f(w + eps) - f(w - eps)) / (2 * eps)),
         N_("You perturbed every weight at once (a derivative along (1, 1, ..., 1)); perturb one entry at a time, "
            "with the unit vector e_i.")),
    ],
    hints=[N_("Loop over i; build a step vector with eps in entry i and zeros elsewhere."),
           N_("Use w + step and w - step (new arrays), never w[i] += eps on the argument itself.")],
)


# --- efficiency.evaluations ----------------------------------------------------------------------

def _lab():
    """The lab's network [D, n_1, n_2, K], from the lab's own configuration (chapter 17)."""
    from nnbook.lab.mnist import Config

    return Config().sizes


def _W():
    from nnbook.networks import MLP

    return MLP(_lab()).n_params


def _n_weights_only():
    sizes = _lab()
    return sum(k * n for k, n in zip(sizes[:-1], sizes[1:]))


value_exercise(
    id="efficiency.evaluations",
    chapter=CHAPTER,
    title=N_("How many evaluations?"),
    points=1,
    name="n_evaluations",
    answer=lambda: 2 * _W(),
    rtol=1e-9,
    mistakes=[
        (lambda: _W(), N_("That is W, one evaluation per parameter; the central difference needs two, E(w ± εe_i).")),
        (lambda: _W() + 1, N_("That is the count of a forward difference (W perturbed evaluations and E(w) once); "
                              "the central difference needs E(w + εe_i) and E(w − εe_i) for every i.")),
        (lambda: 2 * _n_weights_only(), N_("The biases are parameters too: each needs its own two evaluations.")),
        (lambda: _W() ** 2, N_("W² is the number of *operations* (W evaluations of O(W) each), not of evaluations.")),
    ],
    hints=[N_("Count the parameters: W = Σ_l n_l (n_{l−1} + 1)."), N_("Two evaluations per parameter.")],
)


# --- efficiency.best-step (slider) ---------------------------------------------------------------

def _forward_error(log10_eps):
    from nnbook.diagnostics import finite_difference_errors
    from nnbook.networks import MLP

    rng = np.random.default_rng(0)
    X, T = rng.standard_normal((5, 2)), rng.standard_normal((5, 1))
    net = MLP([2, 3, 1], hidden="tanh", output="identity", seed=0)
    _, fwd, _, _ = finite_difference_errors(net, X, T, index=0, eps_values=[10.0 ** float(log10_eps)])
    return float(fwd[0])


def _best_step_goal(log10_eps):
    err = _forward_error(log10_eps)
    ok = err < 1e-7
    if ok:
        return True, _("ε = 10^{log:.2f} ≈ {eps:.1e}: relative error {err:.1e} < 1e-7.").format(
            log=log10_eps, eps=10.0 ** log10_eps, err=err)
    where = _("truncation error O(ε) dominates: make ε smaller") if log10_eps > -7.5 else \
        _("round-off ε_mach/ε dominates: make ε larger")
    return False, _("ε = 10^{log:.2f} ≈ {eps:.1e}: relative error {err:.1e} (goal < 1e-7); {where}.").format(
        log=log10_eps, eps=10.0 ** log10_eps, err=err, where=where)


slider_task(
    id="efficiency.best-step",
    solution="nnb2:YiE0xwv4vxKbgFW9rQMhjamsS1iFfxUcjMijiDRR",   # a setting that meets the goal
    chapter=CHAPTER,
    title=N_("The best step of a forward difference"),
    points=1,
    name="step_setting",
    sliders={"log10_eps": (-14.0, -1.0, 0.25, -2.0)},
    goal=_best_step_goal,
    hints=[N_("The forward difference is best near √ε_mach ≈ 1e-8."), N_("Look at the blue curve of the figure.")],
)


# --- efficiency.where-bug ------------------------------------------------------------------------

choice_exercise(
    id="efficiency.where-bug",
    chapter=CHAPTER,
    title=N_("Where is the bug?"),
    points=1,
    name="answer_where_bug",
    options=[
        N_("in the output deltas δ^(3) = y − t"),
        N_("in the hidden-unit rule that computes δ^(2) from δ^(3)"),
        N_("in the hidden-unit rule that computes δ^(1) from δ^(2)"),
        N_("in the central differences: they cannot be trusted for the lower layers"),
    ],
    answer="nnb2:kp4rTGxqpKc5cmnZaA",
    explanations={
        0: N_("Then W^(3) and b^(3), computed from δ^(3), would be wrong too — they are right."),
        1: N_("Right: layer 3 is correct, layer 2 is the first wrong one, and layer 1 inherits the error through the recursion."),
        2: N_("Then layer 2 (computed from δ^(2)) would still be right; only layer 1 would be wrong."),
        3: N_("Central differences are independent of backprop and accurate to about 1e-10 here; the check itself is fine."),
    },
    hints=[N_("Read the table from the output layer down, the way the backward pass runs.")],
)
