"""Tests of nnbook.graph: computational graphs of scalar gates (chapter 9)."""

import math

import matplotlib
import numpy as np
import pytest
import sympy as sp

from nnbook.gradcheck import central_difference
from nnbook.graph import (
    GATES,
    LECTURE_INPUTS,
    PRACTICE_INPUTS,
    Graph,
    gate_forward,
    local_derivatives,
    practice_graph,
    sigmoid_neuron,
)

matplotlib.use("Agg")


def _f(w0, x0, w1, x1, w2):
    return 1.0 / (1.0 + math.exp(-(w0 * x0 + w1 * x1 + w2)))


def test_lecture_inputs_reproduce_the_slides_printed_step_minus_one_over_1_37_squared():
    g = sigmoid_neuron()
    g.forward(**LECTURE_INPUTS)
    g.backward()
    v, d = g.values(), g.gradients()
    assert round(v["denom"], 2) == 1.37 and round(d["recip"], 2) == 1.00
    assert round(-1 / v["denom"] ** 2 * d["recip"], 2) == round(d["denom"], 2) == -0.53


def test_lecture_example_forward_values_match_the_reconstructed_picture_to_two_decimals():
    g = sigmoid_neuron()
    f = g.forward(**LECTURE_INPUTS)
    v = g.values()
    assert round(f, 2) == 0.73
    assert [round(v[k], 2) for k in ("w0x0", "w1x1", "sum", "a", "neg", "exp", "denom", "recip")] == \
        [-2.0, 6.0, 4.0, 1.0, -1.0, 0.37, 1.37, 0.73]


def test_lecture_example_gradients_match_the_reconstructed_picture_to_two_decimals():
    g = sigmoid_neuron()
    g.forward(**LECTURE_INPUTS)
    grads = g.backward()
    node = g.gradients()
    assert round(node["denom"], 2) == -0.53                     # −1/1.37² · 1.00
    assert round(node["exp"], 2) == -0.53
    assert round(node["neg"], 2) == -0.20
    assert [round(node[k], 2) for k in ("a", "sum", "w0x0", "w1x1")] == [0.20] * 4
    assert {k: round(v, 2) for k, v in grads.items()} == {"w0": -0.20, "x0": 0.39, "w1": -0.39,
                                                           "x1": -0.59, "w2": 0.20}


def test_backward_pass_matches_central_differences_at_random_points():
    rng = np.random.default_rng(0)
    g = sigmoid_neuron()
    names = g.input_names
    for _ in range(5):
        p = rng.standard_normal(5)
        g.forward(**dict(zip(names, p)))
        grads = g.backward()
        num = central_difference(lambda q: _f(*q), p)
        assert np.allclose([grads[n] for n in names], num, rtol=1e-7, atol=1e-10)


def test_sigmoid_gate_gives_the_same_gradients_as_the_chain_of_elementary_gates():
    long, short = sigmoid_neuron(), sigmoid_neuron(sigmoid_gate=True)
    assert long.forward(**LECTURE_INPUTS) == pytest.approx(short.forward(**LECTURE_INPUTS), rel=1e-15)
    gl, gs = long.backward(), short.backward()
    assert all(gl[k] == pytest.approx(gs[k], rel=1e-12) for k in gl)
    s = short.values()["sigma"]
    assert short.gradients()["a"] == pytest.approx(s * (1 - s), rel=1e-14)


@pytest.mark.parametrize("op", list(GATES))
def test_every_local_rule_is_the_sympy_derivative_of_its_gate(op):
    x, y = sp.symbols("x y", real=True)
    c = sp.Rational(-3, 2)
    expr = {"add": x + y, "mul": x * y, "scale": c * x, "offset": c + x, "exp": sp.exp(x), "inv": 1 / x,
            "sigmoid": 1 / (1 + sp.exp(-x))}[op]
    args = [x, y][:GATES[op][0]]
    point = {x: sp.Rational(7, 10), y: sp.Rational(-13, 10)}
    vals = [float(point[s]) for s in args]
    const = float(c) if op in ("scale", "offset") else None
    assert gate_forward(op, vals, const) == pytest.approx(float(expr.subs(point)), rel=1e-14)
    local = local_derivatives(op, vals, const)
    assert len(local) == len(args)
    for s, d in zip(args, local):
        assert d == pytest.approx(float(sp.diff(expr, s).subs(point)), rel=1e-14, abs=1e-15)


def test_node_used_twice_sums_the_gradients_of_its_outgoing_edges():
    g = Graph()
    x, y = g.input("x"), g.input("y")
    g.mul(g.add(x, y), y)                                       # f = (x + y) y
    g.forward(x=1.5, y=-2.0)
    grads = g.backward()
    assert grads == {"x": -2.0, "y": 1.5 + 2 * -2.0}
    into_y = [e.grad for e in g.edges if e.src == "y"]
    assert len(into_y) == 2 and sum(into_y) == grads["y"]


def test_edge_gradient_is_upstream_times_local_derivative():
    g = sigmoid_neuron()
    g.forward(**LECTURE_INPUTS)
    g.backward()
    for e in g.edges:
        dst = g.nodes[e.dst]
        local = local_derivatives(dst.op, [g.nodes[i].value for i in dst.parents], dst.const)
        assert e.grad == dst.grad * local[e.port]
        assert e.value == g.nodes[e.src].value


def test_upstream_gradient_scales_every_gradient_linearly():
    g = sigmoid_neuron()
    g.forward(**LECTURE_INPUTS)
    g.backward()
    one = g.edge_gradients()
    g.backward(upstream=-2.5)
    assert np.allclose(g.edge_gradients(), -2.5 * one)


def test_practice_graph_gradients_are_exact_binary_fractions():
    g = practice_graph()
    assert g.forward(**PRACTICE_INPUTS) == 0.25
    assert g.backward() == {"x": -0.125, "y": -0.09375, "z": -0.0625}
    assert [e.name for e in g.edges] == ["x→xy", "y→xy", "z→ez", "xy→s", "ez→s", "s→f"]


def test_backward_before_forward_is_refused_and_wrong_inputs_are_named():
    g = sigmoid_neuron()
    with pytest.raises(RuntimeError, match="forward"):
        g.backward()
    with pytest.raises(ValueError, match="missing"):
        g.forward(w0=1.0)
    with pytest.raises(ValueError, match="takes 2 input"):
        local_derivatives("mul", [1.0])
    with pytest.raises(ValueError, match="unknown gate"):
        gate_forward("log", [1.0])


def test_sigmoid_gate_is_stable_for_large_negative_inputs():
    assert gate_forward("sigmoid", [-1000.0]) == 0.0
    assert local_derivatives("sigmoid", [-1000.0]) == (0.0,)


def test_draw_puts_one_value_and_one_gradient_label_on_every_edge():
    import matplotlib.pyplot as plt

    g = sigmoid_neuron()
    g.forward(**LECTURE_INPUTS)
    g.backward()
    ax = g.draw(title="test")
    texts = [t.get_text() for t in ax.texts if t.get_text()]      # arrows are empty annotations
    assert "−0.53" in texts and "1.37" in texts and "0.73" in texts and "−0.59" in texts
    n_edges = len(g.edges) + 1                                  # + the output edge
    n_labels = len(g.nodes) - len(g.gates) + len(g.gates) + 1   # inputs, gate symbols, "f"
    assert len(texts) == 2 * n_edges + n_labels
    ax_values = g.draw(show_grad=False)
    assert len([t for t in ax_values.texts if t.get_text()]) == n_edges + n_labels
    plt.close("all")


def test_table_lists_every_edge_and_the_output():
    g = sigmoid_neuron()
    g.forward(**LECTURE_INPUTS)
    g.backward()
    assert len(g.table().splitlines()) == 2 + len(g.edges) + 1


def test_draw_reveal_shows_the_backward_pass_gate_by_gate():
    import matplotlib.pyplot as plt

    g = sigmoid_neuron()
    g.forward(**LECTURE_INPUTS)
    g.backward()
    red = [g.draw(reveal=k) for k in (0, 1, len(g.gates))]
    n_grad = [sum(1 for t in ax.texts if t.get_text() and t.get_color() == "#C0392B") for ax in red]
    assert n_grad == [1, 2, len(g.edges) + 1]                    # output edge, then one more gate, then all
    assert "−0.53" in [t.get_text() for t in red[1].texts]
    plt.close("all")


def test_the_old_name_local_gradients_still_works_with_a_deprecation_warning():
    """Chapter 9's first edition called `G.local_gradients`: a notebook saved then still runs."""
    import nnbook.graph as G

    with pytest.warns(DeprecationWarning, match="local_derivatives"):
        assert G.local_gradients("mul", [2.0, -1.0]) == local_derivatives("mul", [2.0, -1.0])


def test_the_two_graph_apis_share_one_vocabulary():
    """A gate of nnbook.graph and a tensor of nnbook.autodiff: value, grad, parents, backward(upstream)."""
    import inspect

    from nnbook.autodiff import Tensor

    g = Graph()
    x = g.input("x")
    s = g.sigmoid(x)
    g.forward(x=0.5)
    g.backward(upstream=2.0)
    t = Tensor(np.array([0.5]))
    out = t.activation("sigmoid").sum()
    out.backward(upstream=np.array(2.0))
    node = g.nodes[s]
    assert node.parents == ("x",) and out.parents[0].parents == (t,)
    assert np.isclose(g.nodes[x].grad, t.grad[0]) and np.isclose(node.value, out.value)
    for method in (Graph.backward, Tensor.backward):
        assert "upstream" in inspect.signature(method).parameters
