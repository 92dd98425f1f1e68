"""Exercises of chapter 9, "The chain rule and computational graphs" (slug ``chain``)."""

from __future__ import annotations

import math

import numpy as np
import sympy as sp

from nnbook import activations
from nnbook import graph as G
from nnbook.exercises import choice_exercise, function_exercise, value_exercise
from nnbook.i18n import N_

CHAPTER = 9


# --- chain.local-gradients -------------------------------------------------------------------------

def _with_wrong(op_wrong, rule):
    """The reference local rules, except one gate that uses a wrong rule."""
    def wrong(op, inputs, const=None):
        if op == op_wrong:
            return rule(inputs, const)
        return G.local_derivatives(op, inputs, const)
    return wrong


def _gate_cases(rng):
    return [("add", [1.5, -2.0], None), ("mul", [2.0, -1.0], None), ("scale", [0.7], -1.0),
            ("offset", [0.37], 1.0), ("exp", [-1.0], None), ("inv", [1.37], None), ("sigmoid", [1.0], None)]


def _gate_grading(rng):
    cases = []
    for op in G.GATES:
        n = G.GATES[op][0]
        x = [float(v) for v in rng.uniform(0.3, 2.0, n) * rng.choice([-1, 1], n)]
        const = float(rng.uniform(-3, 3)) if op in ("scale", "offset") else None
        cases.append((op, x, const))
    cases.append(("mul", [3.0, 0.0], None))
    cases.append(("sigmoid", [-30.0], None))
    return cases


function_exercise(
    id="chain.local-gradients",
    chapter=CHAPTER,
    title=N_("The local rules of the ECNU lecture's gates"),
    points=3,
    name="gate_gradients",
    reference=G.local_derivatives,
    public_cases=_gate_cases,
    grading_cases=_gate_grading,
    mistakes=[
        (_with_wrong("mul", lambda v, c: (v[0], v[1])),
         N_("Multiply gate: the derivative of x·x′ with respect to x is the *other* input x′ "
            "(and with respect to x′ it is x). You returned each input's own value.")),
        (_with_wrong("scale", lambda v, c: (1.0,)),
         N_("Scale gate a·x: the constant factor stays, d(ax)/dx = a, not 1.")),
        (_with_wrong("offset", lambda v, c: (c,)),
         N_("Offset gate c + x: an added constant disappears when differentiating, d(c + x)/dx = 1.")),
        (_with_wrong("exp", lambda v, c: (v[0] * math.exp(v[0] - 1),)),
         N_("Exp gate: eˣ is not a power of x; the power rule does not apply. d(eˣ)/dx = eˣ.")),
        (_with_wrong("inv", lambda v, c: (1.0 / v[0] ** 2,)),
         N_("Sign error in the 1/x gate: d(1/x)/dx = −1/x² (the ECNU lecture: −1/1.37² · 1.00 = −0.53).")),
        (_with_wrong("sigmoid", lambda v, c: (v[0] * (1 - v[0]),)),
         N_("Sigmoid gate: the shortcut is σ(x)(1 − σ(x)) with σ evaluated at the input x; you used x(1 − x).")),
    ],
    hints=[
        N_("Return a tuple with one number per input: two for add and mul, one for the others."),
        N_("The constant of scale and offset arrives as const."),
        N_("For the sigmoid gate compute s = 1/(1 + exp(−x)) first."),
    ],
)


# --- chain.sigmoid-backward ---------------------------------------------------------------------------

def sigmoid_backward_reference(a, upstream):
    """Gradient arriving at the input of a sigmoid gate: upstream · σ(a)(1 − σ(a)), elementwise."""
    return upstream * activations.sigmoid().dh(a)


def _sig(a):
    return activations.sigmoid().h(a)


def _sigb_cases(rng):
    return [(np.array([1.0]), np.array([1.0])),
            (np.array([0.0, 1.0, -2.0]), np.array([2.0, -1.0, 0.5])),
            (rng.standard_normal((3, 4)), rng.standard_normal((3, 4)))]


def _sigb_grading(rng):
    return [(np.array([-40.0, 40.0]), np.ones(2)),
            (rng.standard_normal(50) * 5, rng.standard_normal(50)),
            (rng.standard_normal((2, 3, 2)), rng.standard_normal((2, 3, 2)))]


function_exercise(
    id="chain.sigmoid-backward",
    chapter=CHAPTER,
    title=N_("Backward through a sigmoid gate"),
    points=2,
    name="sigmoid_backward",
    reference=sigmoid_backward_reference,
    public_cases=_sigb_cases,
    grading_cases=_sigb_grading,
    mistakes=[
        (lambda a, up: _sig(a) * (1 - _sig(a)),
         N_("You returned the local derivative only: multiply by the upstream gradient (chain rule: upstream × local).")),
        (lambda a, up: up * a * (1 - a),
         N_("σ(1 − σ) needs σ(a), the gate's output, not the input a: compute s = σ(a) first.")),
        (lambda a, up: up * _sig(a),
         N_("σ'(a) = σ(a)(1 − σ(a)); the factor (1 − σ(a)) is missing.")),
        (lambda a, up: -up * _sig(a) * (1 - _sig(a)),
         N_("Sign error: σ is increasing, so its local derivative σ(1 − σ) is positive.")),
    ],
    hints=[N_("Compute s = 1 / (1 + np.exp(-a)) and return upstream * s * (1 - s).")],
)


# --- chain.graph-backward -----------------------------------------------------------------------------

def _practice(field):
    g = G.practice_graph()
    g.forward(**G.PRACTICE_INPUTS)
    g.backward()
    return g.edge_values() if field == "value" else g.edge_gradients()


def _practice_local_only():
    g = G.practice_graph()
    g.forward(**G.PRACTICE_INPUTS)
    out = []
    for e in g.edges:
        dst = g.nodes[e.dst]
        local = G.local_derivatives(dst.op, [g.nodes[i].value for i in dst.parents], dst.const)
        out.append(local[e.port])
    return np.array(out)


value_exercise(
    id="chain.graph-backward",
    chapter=CHAPTER,
    title=N_("Fill in the backward pass of a graph"),
    points=3,
    name="practice_grads",
    answer=lambda: _practice("grad"),
    rtol=1e-3,
    atol=1e-6,
    mistakes=[
        (lambda: -_practice("grad"),
         N_("Every sign is flipped: the 1/x gate's local derivative is −1/x², negative, and it multiplies every gradient below it.")),
        (_practice_local_only,
         N_("These are the local derivatives alone. Each edge carries upstream × local: multiply by the gradient arriving at the gate's output.")),
        (lambda: _practice("value"),
         N_("These are the forward values on the edges; the exercise asks for the gradients ∂f/∂(edge) flowing backward.")),
    ],
    hints=[
        N_("Start at the output: ∂f/∂f = 1. The 1/x gate sends back 1 · (−1/s²) with s = 4."),
        N_("An add gate passes the gradient unchanged to both inputs; exp multiplies by e^z; a multiply gate swaps its inputs."),
    ],
)


# --- chain.gate-roles -----------------------------------------------------------------------------------

choice_exercise(
    id="chain.gate-roles",
    chapter=CHAPTER,
    title=N_("What a multiply gate sends back"),
    points=1,
    name="mul_gate_choice",
    options=[
        N_("the upstream gradient times x′, the other input"),
        N_("the upstream gradient times x, its own input"),
        N_("the upstream gradient, unchanged"),
        N_("the upstream gradient times the gate's output x·x′"),
    ],
    answer="nnb2:QB1J8rhHjWTRaZFZSGeJ",
    explanations={
        0: N_("∂(x·x′)/∂x = x′: the multiply gate 'swaps' its inputs on the way back."),
        1: N_("That would be ∂(x²/2)/∂x. For x·x′ the derivative by x is the other factor x′."),
        2: N_("That is the add gate x + x′, whose local derivatives are 1 and 1."),
        3: N_("The output value is what goes forward; the backward factor is a derivative."),
    },
    hints=[N_("Differentiate x·x′ with respect to x, holding x′ fixed.")],
)


# --- chain.composite ---------------------------------------------------------------------------------------

_x = sp.Symbol("x", real=True)
_f = lambda u: u ** 2                                      # noqa: E731  f(u) = u²
_g = lambda x: 3 * x + 3                                   # noqa: E731  g(x) = 3x + 3


def _slope(expr):
    return float(expr.subs(_x, 2))


value_exercise(
    id="chain.composite",
    chapter=CHAPTER,
    title=N_("The chain rule at a point"),
    points=1,
    name="composite_slope",
    answer=lambda: _slope(sp.diff(_f(_g(_x)), _x)),
    rtol=1e-9,
    mistakes=[
        (lambda: _slope(sp.diff(_f(_x), _x).subs(_x, _g(_x))),
         N_("That is f'(g(2)) alone: the inner derivative g'(2) = 3 is missing.")),
        (lambda: _slope(sp.diff(_f(_x), _x) * sp.diff(_g(_x), _x)),
         N_("You evaluated f' at x = 2 instead of at g(2) = 9: h'(x) = f'(g(x)) g'(x).")),
        (lambda: _slope(_f(_g(_x))),
         N_("That is the value h(2) = g(2)², not its derivative.")),
    ],
    hints=[N_("h'(x) = f'(g(x)) · g'(x) with f'(u) = 2u and g'(x) = 3."), N_("g(2) = 9.")],
)
