"""Test-only exercises (chapter 99, slug "testing"), never part of the book's bank.

Loaded with NNBOOK_EXTRA_EXERCISES=<path of this file> by the tests of the exercise
system and of the grader.
"""

import numpy as np

from nnbook.exercises import choice_exercise, encode, function_exercise, slider_task, value_exercise


def scale(x, a):
    """Reference: a * x."""
    return a * x


function_exercise(
    id="testing.scale",
    chapter=99,
    title="Scale a vector",
    points=2,
    name="scale",
    reference=scale,
    public_cases=lambda rng: [(rng.normal(size=3), 2.0), (rng.normal(size=(2, 3)), -0.5)],
    grading_cases=lambda rng: [(rng.normal(size=4), float(rng.uniform(1, 3))), (np.zeros(2), 3.0)],
    mistakes=[
        (lambda x, a: -a * x, "You flipped the sign: the result is a * x, not -a * x."),
        (lambda x, a: x + a, "You added a instead of multiplying by it."),
    ],
    hints=["Multiply every entry by a.", "return a * x"],
    timeout=2.0,
)


def row_norms(X):
    """Reference: Euclidean norm of each row of X, shape (N,)."""
    return np.sqrt((X**2).sum(axis=1))


function_exercise(
    id="testing.row-norms",
    chapter=99,
    title="Row norms",
    points=1,
    name="row_norms",
    reference=row_norms,
    public_cases=lambda rng: [(rng.normal(size=(3, 2)),)],
    grading_cases=lambda rng: [(rng.normal(size=(5, 4)),)],
    mistakes=[
        (lambda X: (X**2).sum(axis=1), "You forgot the square root."),
        (lambda X: np.sqrt((X**2).sum(axis=0)), "You summed over the wrong axis (columns instead of rows)."),
    ],
    timeout=2.0,
)

value_exercise(
    id="testing.eta",
    chapter=99,
    title="Largest slope of the sigmoid",
    points=1,
    name="eta_max",
    answer=encode(0.25),
    mistakes=[(encode(0.5), "0.5 is the value of the sigmoid at 0, not of its slope.")],
    hints=["Differentiate σ(a) = 1 / (1 + e^{-a}) and evaluate at 0."],
)

choice_exercise(
    id="testing.pick",
    chapter=99,
    title="Which activation saturates?",
    points=1,
    name="answer_saturates",
    options=["ReLU for a > 0", "sigmoid", "identity"],
    answer=encode(1),
    explanations={0: "ReLU has slope 1 for all a > 0.", 1: "Its slope tends to 0 for large |a|.",
                  2: "The identity has slope 1 everywhere."},
)


def _knob_goal(eta, hidden):
    product = eta * hidden
    return product >= 1.0, f"eta * hidden = {product:.3f} (goal: at least 1)"


slider_task(
    id="testing.knob",
    solution="nnb2:lxqsqry0E_AeNJJePHNchHudsnlWc1gvfCB37zND5z-1UQ",   # a setting that meets the goal
    chapter=99,
    title="Turn the knobs",
    points=1,
    name="knob_setting",
    sliders={"eta": (0.01, 1.0, 0.01, 0.1), "hidden": (1, 10, 1, 2)},
    goal=_knob_goal,
    hints=["Make the product at least 1."],
    timeout=5.0,
)
