"""Exercises of chapter 8, "Gradient descent" (slug ``gd``)."""

from __future__ import annotations

import numpy as np

from nnbook.exercises import choice_exercise, function_exercise, slider_task, value_exercise
from nnbook.i18n import N_, _

CHAPTER = 8


# --- gd.step ------------------------------------------------------------------------------------

def gd_step_reference(W, grad, eta, lam):
    """One gradient-descent step with weight decay (the MNIST-lab lecture): W − η (∂E/∂W + λ W)."""
    return W - eta * (grad + lam * W)


def _step_cases(rng):
    cases = [(np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([[0.2, 0.1], [-0.4, 1.0]]), 0.1, 0.0),
             (np.array([[1.0, -2.0], [0.5, 3.0]]), np.array([[0.2, 0.1], [-0.4, 1.0]]), 0.1, 0.01)]
    for shape in [(3, 4), (1, 5)]:
        cases.append((rng.standard_normal(shape), rng.standard_normal(shape),
                      float(rng.uniform(0.01, 0.5)), float(rng.uniform(0.001, 0.1))))
    return cases


def _step_grading(rng):
    W = rng.standard_normal((10, 784))
    return [(W, np.zeros_like(W), 0.1, 0.01),                 # pure decay: W shrinks by 1 − ηλ
            (rng.standard_normal((4, 4)), rng.standard_normal((4, 4)), 0.0, 0.5)] + [
        (rng.standard_normal((5, 3)), rng.standard_normal((5, 3)), float(rng.uniform(0, 1)),
         float(rng.uniform(0, 0.1))) for _ in range(4)]


function_exercise(
    id="gd.step",
    chapter=CHAPTER,
    title=N_("One gradient-descent step with weight decay"),
    points=2,
    name="gd_step",
    reference=gd_step_reference,
    public_cases=_step_cases,
    grading_cases=_step_grading,
    mistakes=[
        (lambda W, grad, eta, lam: W + eta * (grad + lam * W),
         N_("Sign error: that step goes uphill. Gradient descent moves *against* the gradient, W − η ∂E/∂W.")),
        (lambda W, grad, eta, lam: W - eta * grad,
         N_("The weight-decay term is missing: the derivative of ½λ‖W‖² is λW, and it joins the gradient.")),
        (lambda W, grad, eta, lam: W - eta * (grad + 0.5 * lam * W),
         N_("The derivative of ½λ‖W‖² is λW, not ½λW: the ½ cancels against the 2 of the square.")),
        (lambda W, grad, eta, lam: W - eta * grad - lam * W,
         N_("The decay term must be multiplied by η too: W − η(∂E/∂W + λW).")),
    ],
    hints=[
        N_("E_total = E + ½λ‖W‖², so ∂E_total/∂W = ∂E/∂W + λW."),
        N_("Return a new array: W - eta * (grad + lam * W). Do not change W in place."),
    ],
)


# --- gd.minibatch-gradient --------------------------------------------------------------------

def minibatch_gradient_reference(G, idx):
    """Mean gradient of the samples idx: (1/B) Σ_{n in idx} ∇E_n; G is (N, P), idx is (B,)."""
    return G[idx].mean(axis=0)


def _mb_cases(rng):
    G = np.arange(12.0).reshape(4, 3)
    cases = [(G, np.array([0, 2])), (G, np.array([3]))]
    for N, P, B in [(10, 4, 3), (7, 2, 7)]:
        cases.append((rng.standard_normal((N, P)), rng.permutation(N)[:B]))
    return cases


def _mb_grading(rng):
    return [(rng.standard_normal((200, 6)), rng.permutation(200)[:32]),
            (rng.standard_normal((5, 1)), np.array([4, 4, 1]))] + [
        (rng.standard_normal((20, 3)), rng.permutation(20)[:int(rng.integers(1, 20))]) for _ in range(4)]


function_exercise(
    id="gd.minibatch-gradient",
    chapter=CHAPTER,
    title=N_("The gradient of a mini-batch"),
    points=2,
    name="minibatch_gradient",
    reference=minibatch_gradient_reference,
    public_cases=_mb_cases,
    grading_cases=_mb_grading,
    mistakes=[
        (lambda G, idx: G[idx].sum(axis=0),
         N_("Wrong normalisation: with the mean error of the MNIST-lab lecture the mini-batch gradient is the "
            "*mean* (1/B) Σ_n ∇E_n over the B samples, not their sum.")),
        (lambda G, idx: G.mean(axis=0),
         N_("You averaged over the whole training set (batch gradient descent); use only the rows idx.")),
        (lambda G, idx: G[idx].sum(axis=0) / G.shape[0],
         N_("Divide by the mini-batch size B = len(idx), not by the number N of training samples.")),
    ],
    hints=[
        N_("G[idx] selects the rows of the mini-batch: shape (B, P)."),
        N_("Average over the sample axis (axis 0)."),
    ],
)


# --- gd.eta-max -----------------------------------------------------------------------------------

_H = np.array([[3.0, 1.0], [1.0, 2.0]])


def _eigenvalues():
    return np.linalg.eigvalsh(_H)


value_exercise(
    id="gd.eta-max",
    chapter=CHAPTER,
    title=N_("The largest stable learning rate"),
    points=2,
    name="eta_max",
    answer=lambda: 2.0 / _eigenvalues().max(),
    rtol=2e-3,
    mistakes=[
        (lambda: 1.0 / _eigenvalues().max(),
         N_("That is 1/λ_max: gradient descent still converges up to twice this rate (|1 − ηλ| < 1).")),
        (lambda: 2.0 / _eigenvalues().min(),
         N_("That is 2/λ_min: at this rate the steep direction (λ_max) already diverges.")),
        (lambda: 2.0 / _eigenvalues().sum(),
         N_("That is 2/(λ_min + λ_max), the rate that converges fastest — but not the largest one that converges.")),
        (lambda: 2.0 / _H.max(),
         N_("You used the largest *entry* of H; the condition is on the largest *eigenvalue*.")),
    ],
    hints=[
        N_("Along each eigenvector of H the error component is multiplied by (1 − ηλ_i) per step."),
        N_("All components shrink if |1 − ηλ_i| < 1 for every i: η < 2/λ_max."),
        N_("np.linalg.eigvalsh(H) gives the eigenvalues of a symmetric matrix."),
    ],
)


# --- gd.best-rate-steps ------------------------------------------------------------------------

_KAPPA = 100.0                  # condition number λ_max / λ_min of the exercise's quadratic
_SHRINK = 1e-3                  # every coordinate down to 1/1000 of its start


def _steps(eta_of_lambdas, shrink=_SHRINK):
    """Run gradient descent on the quadratic with eigenvalues (1, κ), from α = (1, 1), until every
    |α_i| ≤ shrink; return the number of steps."""
    lam = np.array([1.0, _KAPPA])
    factor = 1 - eta_of_lambdas(lam) * lam
    alpha, k = np.ones(2), 0
    while np.abs(alpha).max() > shrink:
        alpha, k = factor * alpha, k + 1
    return k


value_exercise(
    id="gd.best-rate-steps",
    chapter=CHAPTER,
    title=N_("Steps at the best learning rate"),
    points=2,
    name="steps_best_rate",
    answer=lambda: _steps(lambda lam: 2.0 / (lam.min() + lam.max())),
    rtol=0.0,
    atol=0.5,
    mistakes=[
        (lambda: _steps(lambda lam: 1.0 / lam.max()),
         N_("That is the count for η = 1/λ_max, which leaves the flat direction the factor 1 − 1/κ per step. "
            "η_best = 2/(λ_min + λ_max) does better: both factors have the size (κ − 1)/(κ + 1).")),
        (lambda: _steps(lambda lam: 2.0 / (lam.min() + lam.max())) - 1,
         N_("Round up, not down: after that many steps the coordinates are still a little above 1/1000 of "
            "their start. You need the smallest integer k with ((κ − 1)/(κ + 1))^k ≤ 1/1000.")),
        (lambda: _steps(lambda lam: 2.0 / (lam.min() + lam.max()), shrink=np.sqrt(_SHRINK)),
         N_("You counted until the *error* has fallen to 1/1000: E is quadratic in the coordinates and falls "
            "twice as fast. The question asks for the coordinates α_i themselves.")),
    ],
    hints=[N_("At η = 2/(λ_min + λ_max) the factors 1 − ηλ_min and 1 − ηλ_max have the same size. Which?"),
           N_("Write it with κ = λ_max/λ_min: |1 − ηλ_i| = (κ − 1)/(κ + 1) for both coordinates."),
           N_("Solve ((κ − 1)/(κ + 1))^k ≤ 10⁻³ for the smallest integer k (take logarithms).")],
)


# --- gd.learning-rate (slider) ---------------------------------------------------------------------

def _learning_rate_goal(eta):
    from nnbook.data import toy_regression
    from nnbook.networks import MLP
    from nnbook.optim import train

    x, t = toy_regression("sin", N=50)
    net = MLP([1, 3, 1], hidden="tanh", seed=0)
    history = train(net, x, t, epochs=100, eta=float(eta), progress=False)   # stops itself if it diverges
    final = history.loss[-1]
    if not np.isfinite(final) or final > history.loss[0]:
        return False, _("η = {eta:g}: the error grew from {start:.3g} to {final:.3g} — the steps "
                        "overshoot and gradient descent diverges. Take a smaller η.").format(
            eta=eta, start=history.loss[0], final=final)
    if final > 0.02:
        return False, _("η = {eta:g}: after 100 epochs the mean error is {final:.4f}, still above 0.02 — "
                        "the steps are too small. Take a larger η.").format(eta=eta, final=final)
    return True, _("η = {eta:g}: the mean error fell to {final:.4f} in 100 epochs without diverging.").format(
        eta=eta, final=final)


slider_task(
    id="gd.learning-rate",
    solution="nnb2:a2EhEHTB5I-p523bh9b2Xrow2qzyHLY",   # a setting that meets the goal
    chapter=CHAPTER,
    title=N_("A learning rate that is neither too small nor too large"),
    points=2,
    name="lr_setting",
    sliders={"eta": (0.05, 2.0, 0.05, 0.1)},
    goal=_learning_rate_goal,
    hints=[
        N_("Start at η = 0.1 and double it until something changes."),
        N_("Too large a rate does not just converge slowly: the error explodes."),
    ],
)


# --- gd.when-sgd ----------------------------------------------------------------------------------

choice_exercise(
    id="gd.when-sgd",
    chapter=CHAPTER,
    title=N_("When does the ECNU lecture switch to stochastic gradient descent?"),
    points=1,
    name="when_sgd",
    options=[
        N_("When the training set is very large"),
        N_("When the network has many hidden layers"),
        N_("When the error function is not differentiable"),
        N_("When the learning rate is too small"),
    ],
    answer="nnb2:igSmPrfXfCmaLOfa4NYK",
    explanations={
        0: N_("Every batch update passes over all N samples; for a huge N one update costs too much, "
              "while a stochastic update costs one sample."),
        1: N_("Depth changes the cost of one gradient, but batch and stochastic updates pay it equally per sample."),
        2: N_("Both methods need the gradient of E_n; neither helps where it does not exist."),
        3: N_("A small learning rate is fixed by choosing a larger one, not by changing how many samples an update uses."),
    },
    hints=[N_("The ECNU lecture: 每对参数进行一次更新都要遍历整个训练数据集 …")],
)
