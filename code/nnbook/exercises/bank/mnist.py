"""Exercises of chapter 17, "Handwritten digit recognition: the MNIST lab" (slug ``mnist``)."""

from __future__ import annotations

import math

import numpy as np

from nnbook.exercises import choice_exercise, function_exercise, slider_task, value_exercise
from nnbook.i18n import N_, _

CHAPTER = 17


def _relu_outputs(rng, shape):
    """z = max(0, a) for a ~ N(0, 1): about half the entries are exactly 0."""
    return np.maximum(rng.standard_normal(shape), 0.0)


# --- mnist.hidden-delta ---------------------------------------------------------------------------

def _hidden_delta_reference(delta_next, W_next, Z):
    """δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾) ⊙ f′(a⁽ˡ⁾), f′ = 1[z > 0] for ReLU (the MNIST-lab lecture, the package's trainer)."""
    return (delta_next @ W_next) * (Z > 0)


def _hidden_delta_cases(rng):
    return [
        # a square W first (K = M), so that a transposed W gives a result of the right shape
        (rng.standard_normal((5, 4)), rng.standard_normal((4, 4)), _relu_outputs(rng, (5, 4))),
        (rng.standard_normal((8, 10)), rng.standard_normal((10, 6)), _relu_outputs(rng, (8, 6))),
        (rng.standard_normal((1, 3)), rng.standard_normal((3, 7)), _relu_outputs(rng, (1, 7))),
    ]


def _hidden_delta_grading(rng):
    return [
        (rng.standard_normal((6, 6)), rng.standard_normal((6, 6)), _relu_outputs(rng, (6, 6))),
        (rng.standard_normal((16, 10)), 0.1 * rng.standard_normal((10, 30)), _relu_outputs(rng, (16, 30))),
        (rng.standard_normal((3, 2)), rng.standard_normal((2, 5)), np.zeros((3, 5))),     # all units off
    ]


function_exercise(
    id="mnist.hidden-delta",
    chapter=CHAPTER,
    title=N_("The hidden delta of the lab (ReLU)"),
    points=2,
    name="relu_hidden_delta",
    reference=_hidden_delta_reference,
    public_cases=_hidden_delta_cases,
    grading_cases=_hidden_delta_grading,
    mistakes=[
        (lambda d, W, Z: d @ W,
         N_("You forgot the ReLU derivative f′: multiply elementwise by 1 where z > 0 and 0 elsewhere "
            "(a unit that was off passes no error back).")),
        (lambda d, W, Z: (d @ W.T) * (Z > 0),
         N_("You used W transposed. In the package's layout W⁽ˡ⁺¹⁾ is (n_{l+1}, n_l), so Σ_k w_kj δ_k is "
            "δ @ W, not δ @ W.T (the MNIST-lab lecture's (w⁽³⁾)ᵀ belongs to its own (inputs × outputs) layout).")),
        (lambda d, W, Z: (d @ W) * Z,
         N_("You multiplied by z = f(a) itself; the chain rule needs the derivative f′(a), which for ReLU is "
            "1 where z > 0 and 0 elsewhere.")),
        (lambda d, W, Z: -(d @ W) * (Z > 0),
         N_("Sign error: δ⁽ˡ⁾ = (δ⁽ˡ⁺¹⁾ W⁽ˡ⁺¹⁾) ⊙ f′ has no minus sign; the minus belongs to the update step.")),
    ],
    hints=[N_("Each hidden unit j collects Σ_k w_kj δ_k from the layer above: one matrix product of the "
              "(N, K) deltas with the (K, M) weights."),
           N_("Then multiply elementwise by the 0/1 mask (Z > 0).")],
)


# --- mnist.decay-update ---------------------------------------------------------------------------

def _decay_update_reference(W, b, delta, Z_prev, eta, lam):
    """One step of the MNIST-lab lecture: W ← W − η(δᵀZ/N + λW), b ← b − η Σ_n δ_n / N (no decay on b)."""
    N = delta.shape[0]
    return W - eta * (delta.T @ Z_prev / N + lam * W), b - eta * delta.sum(axis=0) / N


def _decay_cases(rng):
    return [
        # square W first (K = M), so that the transposed product has the shape of W
        (rng.standard_normal((3, 3)), rng.standard_normal(3), rng.standard_normal((5, 3)),
         _relu_outputs(rng, (5, 3)), 0.1, 0.01),
        (rng.standard_normal((10, 6)), rng.standard_normal(10), rng.standard_normal((8, 10)),
         _relu_outputs(rng, (8, 6)), 0.1, 1e-4),
        (rng.standard_normal((4, 7)), rng.standard_normal(4), rng.standard_normal((2, 4)),
         rng.random((2, 7)), 0.01, 0.5),
    ]


def _decay_grading(rng):
    return [
        (rng.standard_normal((5, 5)), rng.standard_normal(5), rng.standard_normal((16, 5)),
         _relu_outputs(rng, (16, 5)), 0.05, 0.1),
        (rng.standard_normal((10, 30)), rng.standard_normal(10), rng.standard_normal((64, 10)),
         _relu_outputs(rng, (64, 30)), 0.1, 1e-4),
    ]


def _no_mean(W, b, d, Z, eta, lam):
    return W - eta * (d.T @ Z + lam * W), b - eta * d.sum(axis=0)


def _decay_on_bias(W, b, d, Z, eta, lam):
    N = d.shape[0]
    return W - eta * (d.T @ Z / N + lam * W), b - eta * (d.sum(axis=0) / N + lam * b)


def _decay_sign(W, b, d, Z, eta, lam):
    N = d.shape[0]
    return W - eta * (d.T @ Z / N - lam * W), b - eta * d.sum(axis=0) / N


def _transposed(W, b, d, Z, eta, lam):
    N = d.shape[0]
    return W - eta * ((Z.T @ d) / N + lam * W), b - eta * d.sum(axis=0) / N


def _half_lambda(W, b, d, Z, eta, lam):
    N = d.shape[0]
    return W - eta * (d.T @ Z / N + 0.5 * lam * W), b - eta * d.sum(axis=0) / N


function_exercise(
    id="mnist.decay-update",
    chapter=CHAPTER,
    title=N_("One gradient-descent step with weight decay"),
    points=2,
    name="decay_update",
    reference=_decay_update_reference,
    public_cases=_decay_cases,
    grading_cases=_decay_grading,
    mistakes=[
        (_no_mean, N_("You forgot the 1/N: the lab's error is the mean (1/N) Σ_n E_n, so δᵀZ and Σ_n δ_n "
                      "are divided by the batch size N.")),
        (_decay_on_bias, N_("You decayed the biases too. The weight-decay term (λ/2)‖W‖² contains only the "
                            "weights: ∂E_total/∂b = (1/N) Σ_n ∂E_n/∂b has no λ term.")),
        (_decay_sign, N_("Sign error in the decay: the derivative of +(λ/2)‖W‖² is +λW, and the step subtracts "
                         "η times it, so the weights shrink.")),
        (_transposed, N_("You used Zᵀδ, the MNIST-lab lecture's product for its (inputs × outputs) layout. Here W is "
                         "(n_l, n_{l-1}) and the gradient of that shape is δᵀZ.")),
        (_half_lambda, N_("The derivative of (λ/2)‖W‖² is λW, not (λ/2)W: the ½ cancels against the square.")),
    ],
    hints=[N_("∂E_total/∂W = δᵀZ/N + λW (shape of W), ∂E_total/∂b = Σ_n δ_n / N."),
           N_("Return the pair (W − η ∂E_total/∂W, b − η ∂E_total/∂b); do not change W and b in place.")],
)


# --- mnist.steps ----------------------------------------------------------------------------------

#: The run asked about: the lecture's 50 + 50 epochs, with mini-batches of 128 images (not the
#: book's default run, whose number of steps the chapter prints).
STEPS_EPOCHS, STEPS_BATCH, N_TRAIN = 100, 128, 60000


def _steps():
    return STEPS_EPOCHS * math.ceil(N_TRAIN / STEPS_BATCH)


value_exercise(
    id="mnist.steps",
    chapter=CHAPTER,
    title=N_("How many gradient steps?"),
    points=1,
    name="n_steps_128",
    answer=_steps,
    rtol=0.0,
    atol=0.5,
    mistakes=[
        (lambda: STEPS_EPOCHS * (N_TRAIN // STEPS_BATCH),
         N_("Almost: 60,000 is not a multiple of 128, and the last, smaller batch of every epoch is a "
            "step too.")),
        (lambda: STEPS_EPOCHS, N_("That is the number of epochs (大周期); every epoch makes one step per batch.")),
        (lambda: STEPS_EPOCHS * N_TRAIN,
         N_("That would be one step per image (batch size 1); the run takes one step per batch.")),
        (lambda: STEPS_EPOCHS * math.ceil(N_TRAIN / 64),
         N_("That is for batches of 64, the book's default; here a batch holds 128 images.")),
    ],
    hints=[N_("One step per batch: how many batches of 128 cover 60,000 images (the last one smaller)?"),
           N_("Multiply by the number of epochs.")],
)


# --- mnist.shift-changes --------------------------------------------------------------------------

choice_exercise(
    id="mnist.shift-changes",
    chapter=CHAPTER,
    title=N_("What does the random shift change?"),
    points=1,
    name="answer_shift_changes",
    options=[
        N_("the network function y(x, w) and its number of weights"),
        N_("the formulas of δ⁽³⁾, δ⁽²⁾, δ⁽¹⁾ and of the weight updates"),
        N_("only the input vectors x_n on which the gradient is computed, anew in every epoch"),
        N_("the learning-rate schedule and the weight decay λ"),
    ],
    answer="nnb2:xuHRngKPt4x7XCiKHA",
    explanations={
        0: N_("The network is 784 → 500 → 300 → 10 with or without shifts; the shift acts on the data."),
        1: N_("Every derivative is the lecture's: δ⁽³⁾ = y − t and the ReLU recursion do not depend on where x_n came from."),
        2: N_("Right: each time an image is used it is moved by up to one pixel; network, error, schedule "
              "and every derivative stay those of the MNIST-lab lecture."),
        3: N_("The schedule (0.1, then 0.01) and λ are the same in both runs."),
    },
    hints=[N_("Compare the two Config objects of the chapter: which field differs?")],
)


# --- mnist.lab-setting (slider) -------------------------------------------------------------------

#: The quick experiment of the slider task: the first 5,000 training images, 4 epochs (η for two,
#: η/10 for two, as the lab's schedule), evaluated on the last 10,000 training images (a
#: validation set: the test set is not used for choosing settings).
SETTING_TRAIN, SETTING_EPOCHS, SETTING_GOAL = 5000, 4, 8.0


def setting_validation_error(log10_eta, hidden):
    """Validation error (%) of a lab network 784 → M → M → 10 after the quick run of the slider task."""
    from nnbook.data import load_mnist
    from nnbook.lab.mnist import Config, train

    X, t = load_mnist("train")
    eta = 10.0 ** float(log10_eta)
    config = Config(hidden=(int(hidden), int(hidden)), subset=SETTING_TRAIN, epochs=SETTING_EPOCHS,
                    schedule=((eta, 0.5), (eta / 10, 0.5)), shift=0, seed=0)
    data = (X[:SETTING_TRAIN], t[:SETTING_TRAIN], X[50000:], t[50000:])
    with np.errstate(all="ignore"):
        result = train(config, data=data)
    return float(result.test_error_percent)


def _setting_goal(log10_eta, hidden):
    err = setting_validation_error(log10_eta, hidden)
    eta = 10.0 ** float(log10_eta)
    what = _("η = 10^{log:.1f} ≈ {eta:.3g}, M = {M} units per hidden layer: "
             "validation error {err:.2f} % after {epochs} epochs on {images:,} images").format(
        log=float(log10_eta), eta=eta, M=int(hidden), err=err, epochs=SETTING_EPOCHS, images=SETTING_TRAIN)
    if err < SETTING_GOAL:
        return True, _("{what} (goal < {goal:g} %).").format(what=what, goal=SETTING_GOAL)
    if err > 80:
        advice = (_("the network learned (almost) nothing: with η this large the first steps push the ReLU "
                    "units into the region where they are always off; try a smaller η")
                  if eta > 0.7 else _("the steps are far too small to get anywhere in a few epochs: increase η"))
    elif eta < 0.05:
        advice = _("the steps are too small for so few epochs: increase η")
    elif eta > 0.7:
        advice = _("η is so large that training is erratic: try a slightly smaller η")
    else:
        advice = _("close; a few more hidden units, or a somewhat larger η, should do it")
    return False, _("{what} (goal < {goal:g} %); {advice}.").format(what=what, goal=SETTING_GOAL, advice=advice)


slider_task(
    id="mnist.lab-setting",
    solution="nnb2:YRGR4h_UndXz9eKSlZw8N3WNTn6pF8bw_ON7wsao9VrYXJ0_9IiPrponfg",   # a setting that meets the goal
    chapter=CHAPTER,
    title=N_("A quick lab run that learns"),
    points=1,
    name="lab_setting",
    sliders={"log10_eta": (-3.0, 0.5, 0.1, -2.0), "hidden": (10, 300, 10, 20)},
    goal=_setting_goal,
    hints=[N_("η = 0.1 is the lab's choice for 100 epochs; in 4 epochs larger steps pay off."),
           N_("Beyond η ≈ 1 the ReLU units die and nothing is learned.")],
    timeout=60.0,
)
