"""Chapter 9: how does the chain rule run backward through a graph of scalar gates, one local derivative at a time?

The ECNU lecture (链式法则, 反向传播算法例子) computes the gradient of

    f(w, x) = 1 / (1 + exp(−(w₀x₀ + w₁x₁ + w₂)))

by cutting f into *gates* — multiply, add, multiply by −1, exp, add 1, 1/x — and
applying the chain rule one gate at a time. Each gate only knows its **local
derivative**; the backward pass multiplies the gradient arriving at a gate's
output (the *upstream* gradient) by the local derivative for each input edge:

=========  ==============  =============================================
gate       forward         local derivatives (one per input)
=========  ==============  =============================================
``add``    x + x′          1, 1
``mul``    x · x′          x′, x
``scale``  a x             a
``offset`` c + x           1
``exp``    eˣ              eˣ
``inv``    1/x             −1/x²
``sigmoid``σ(x)            σ(x)(1 − σ(x))
=========  ==============  =============================================

A :class:`Graph` stores the value of every node after :meth:`Graph.forward` and the
gradient ∂f/∂(node) of every node **and** of every edge after :meth:`Graph.backward`
(an edge's gradient is its share of the source node's gradient; a node used twice
sums the gradients of its outgoing edges). :meth:`Graph.draw` draws the classic
picture: values above the edges, gradients below.

The words are those of :mod:`nnbook.autodiff` (chapter 11), which does the same for arrays:
a *node* (:class:`Node`; there a ``Tensor``) holds its ``value`` after the forward pass and
its ``grad`` = ∂f/∂(node) after the backward pass; its *parents* are the nodes it is
computed from (an *input* is a node without parents); the *local derivative*
∂(node)/∂(parent) is all a gate knows (:func:`local_derivatives`); the *upstream*
gradient is the one arriving at a node's output; ``forward`` computes the values and
``backward`` the gradients.

Examples
--------
>>> g = sigmoid_neuron()
>>> round(g.forward(**LECTURE_INPUTS), 2)
0.73
>>> {k: round(v, 2) for k, v in g.backward().items()}
{'w0': -0.2, 'x0': 0.39, 'w1': -0.39, 'x1': -0.59, 'w2': 0.2}
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Dict, List, Optional, Sequence, Tuple

import numpy as np

from .i18n import _

__all__ = ["GATES", "Node", "Edge", "Graph", "local_derivatives", "local_gradients", "gate_forward",
           "sigmoid_neuron", "LECTURE_INPUTS", "practice_graph", "PRACTICE_INPUTS"]

#: The inputs of the ECNU lecture's worked example, *reconstructed*: the lecture's pictures are lost, and
#: its text keeps only the step −1/1.37² · 1.00 = −0.53. These are the inputs with which the example
#: is usually shown (Stanford CS231n's notes); they reproduce that step exactly.
LECTURE_INPUTS = {"w0": 2.0, "x0": -1.0, "w1": -3.0, "x1": -2.0, "w2": -3.0}

#: The inputs of chapter 9's practice graph (:func:`practice_graph`).
PRACTICE_INPUTS = {"x": 1.5, "y": 2.0, "z": 0.0}

#: Gate name -> (number of inputs, forward rule, local rule) as text, for tables and figures.
GATES = {
    "add": (2, "x + x′", "∂/∂x = 1,  ∂/∂x′ = 1"),
    "mul": (2, "x · x′", "∂/∂x = x′,  ∂/∂x′ = x"),
    "scale": (1, "a x", "a"),
    "offset": (1, "c + x", "1"),
    "exp": (1, "eˣ", "eˣ"),
    "inv": (1, "1/x", "−1/x²"),
    "sigmoid": (1, "σ(x) = 1/(1 + e⁻ˣ)", "σ(x)(1 − σ(x))"),
}


#: Local rule per input port, as text (for :meth:`Graph.table`).
_PORT_RULES = {
    "add": ["1", "1"],
    "mul": ["x′ (other input)", "x (other input)"],
    "scale": ["a"],
    "offset": ["1"],
    "exp": ["eˣ"],
    "inv": ["−1/x²"],
    "sigmoid": ["σ(x)(1 − σ(x))"],
}


def _sigma(x: float) -> float:
    if x >= 0:
        return 1.0 / (1.0 + math.exp(-x))
    e = math.exp(x)
    return e / (1.0 + e)


def gate_forward(op: str, inputs: Sequence[float], const: Optional[float] = None) -> float:
    """The output of one gate.

    Parameters
    ----------
    op : str
        A key of :data:`GATES`.
    inputs : sequence of float
        The gate's input values (two for ``add`` and ``mul``, one otherwise).
    const : float, optional
        a of ``scale`` (a x) or c of ``offset`` (c + x).

    Returns
    -------
    float
    """
    _check_arity(op, inputs)
    x = float(inputs[0])
    if op == "add":
        return x + float(inputs[1])
    if op == "mul":
        return x * float(inputs[1])
    if op == "scale":
        return float(const) * x
    if op == "offset":
        return float(const) + x
    if op == "exp":
        return math.exp(x)
    if op == "inv":
        return 1.0 / x
    return _sigma(x)                                   # sigmoid


def local_derivatives(op: str, inputs: Sequence[float], const: Optional[float] = None) -> Tuple[float, ...]:
    """The local derivatives ∂(gate output)/∂(each input) of one gate (the ECNU lecture's rules).

    Parameters
    ----------
    op : str
        A key of :data:`GATES`: add, mul, scale, offset, exp, inv, sigmoid.
    inputs : sequence of float
        The gate's input values.
    const : float, optional
        a of ``scale`` or c of ``offset``.

    Returns
    -------
    tuple of float
        One local derivative per input: add → (1, 1); mul x·x′ → (x′, x); scale ax → (a,);
        offset c + x → (1,); exp → (eˣ,); inv 1/x → (−1/x²,); sigmoid → (σ(1 − σ),).

    Examples
    --------
    >>> local_derivatives("inv", [1.37])[0] == -1 / 1.37 ** 2
    True
    >>> local_derivatives("mul", [2.0, -1.0])
    (-1.0, 2.0)
    """
    _check_arity(op, inputs)
    x = float(inputs[0])
    if op == "add":
        return (1.0, 1.0)
    if op == "mul":
        return (float(inputs[1]), x)
    if op == "scale":
        return (float(const),)
    if op == "offset":
        return (1.0,)
    if op == "exp":
        return (math.exp(x),)
    if op == "inv":
        return (-1.0 / (x * x),)
    s = _sigma(x)                                      # sigmoid: the one-gate shortcut
    return (s * (1.0 - s),)


def local_gradients(op: str, inputs: Sequence[float], const: Optional[float] = None) -> Tuple[float, ...]:
    """Deprecated name of :func:`local_derivatives` (chapter 9's first edition called it so)."""
    import warnings

    warnings.warn("nnbook.graph.local_gradients is now called local_derivatives", DeprecationWarning,
                  stacklevel=2)
    return local_derivatives(op, inputs, const)


def _check_arity(op, inputs):
    if op not in GATES:
        raise ValueError(f"unknown gate {op!r}; gates are {list(GATES)}")
    if len(inputs) != GATES[op][0]:
        raise ValueError(f"gate {op!r} takes {GATES[op][0]} input(s); got {len(inputs)}")


@dataclass
class Node:
    """One node of a :class:`Graph`: an input variable or a gate.

    Attributes
    ----------
    name : str
    op : str
        ``"input"`` or a key of :data:`GATES`.
    parents : tuple of str
        Names of the nodes the gate is computed from, one per input port (empty for an input).
    const : float or None
        a of ``scale``, c of ``offset``.
    value : float
        Set by :meth:`Graph.forward`.
    grad : float
        ∂f/∂(this node), set by :meth:`Graph.backward`.
    """

    name: str
    op: str
    parents: Tuple[str, ...] = ()
    const: Optional[float] = None
    value: float = float("nan")
    grad: float = float("nan")

    @property
    def label(self) -> str:
        """Short text drawn inside the gate's circle."""
        if self.op == "input":
            return self.name
        if self.op == "scale":
            return f"×{_fmt_const(self.const)}"
        if self.op == "offset":
            return f"+{_fmt_const(self.const)}" if self.const >= 0 else f"−{_fmt_const(-self.const)}"
        return {"add": "+", "mul": "×", "exp": "exp", "inv": "1/x", "sigmoid": "σ"}[self.op]


def _fmt_const(c):
    return f"{c:g}".replace("-", "−")


@dataclass
class Edge:
    """An edge from the parent ``src`` into input number ``port`` of gate ``dst``.

    Attributes
    ----------
    value : float
        The value travelling forward (the value of ``src``).
    grad : float
        The gradient travelling backward: ∂f/∂(dst) × local derivative of dst w.r.t. this input.
    """

    src: str
    dst: str
    port: int
    value: float = float("nan")
    grad: float = float("nan")

    @property
    def name(self) -> str:
        return f"{self.src}→{self.dst}"


class Graph:
    """A computational graph of scalar gates with a forward and a backward pass.

    Build it with :meth:`input` and the gate methods (:meth:`add`, :meth:`mul`,
    :meth:`scale`, :meth:`offset`, :meth:`exp`, :meth:`inv`, :meth:`sigmoid`), each of
    which returns the new node's name; the last gate added is the output f.

    Examples
    --------
    >>> g = Graph()
    >>> x, y = g.input("x"), g.input("y")
    >>> _ = g.mul(g.add(x, y), y)            # f = (x + y) · y
    >>> g.forward(x=1.0, y=2.0)
    6.0
    >>> g.backward()                          # ∂f/∂x = y, ∂f/∂y = x + 2y
    {'x': 2.0, 'y': 5.0}
    """

    def __init__(self):
        self.nodes: Dict[str, Node] = {}
        self.edges: List[Edge] = []
        self.output: Optional[str] = None
        self.pos: Optional[Dict[str, Tuple[float, float]]] = None   # drawing positions, if set
        self._counter: Dict[str, int] = {}

    # --- building -----------------------------------------------------------------
    def input(self, name: str) -> str:
        """Add an input variable; returns its name."""
        if name in self.nodes:
            raise ValueError(f"a node named {name!r} already exists")
        self.nodes[name] = Node(name, "input")
        return name

    def gate(self, op: str, *parents: str, const: Optional[float] = None, name: Optional[str] = None) -> str:
        """Add a gate computed from the named parent nodes; returns the gate's name (default ``op<k>``)."""
        _check_arity(op, parents)
        if op in ("scale", "offset") and const is None:
            raise ValueError(f"gate {op!r} needs const")
        for i in parents:
            if i not in self.nodes:
                raise ValueError(f"unknown node {i!r}: add it before the gate that uses it")
        if name is None:
            k = self._counter.get(op, 0)
            self._counter[op] = k + 1
            name = f"{op}{k}"
        if name in self.nodes:
            raise ValueError(f"a node named {name!r} already exists")
        self.nodes[name] = Node(name, op, tuple(parents), None if const is None else float(const))
        self.edges += [Edge(src, name, port) for port, src in enumerate(parents)]
        self.output = name
        return name

    def add(self, x, y, name=None):
        """x + x′."""
        return self.gate("add", x, y, name=name)

    def mul(self, x, y, name=None):
        """x · x′."""
        return self.gate("mul", x, y, name=name)

    def scale(self, x, a, name=None):
        """a x (multiply by a constant)."""
        return self.gate("scale", x, const=a, name=name)

    def offset(self, x, c, name=None):
        """c + x (add a constant)."""
        return self.gate("offset", x, const=c, name=name)

    def exp(self, x, name=None):
        """eˣ."""
        return self.gate("exp", x, name=name)

    def inv(self, x, name=None):
        """1/x."""
        return self.gate("inv", x, name=name)

    def sigmoid(self, x, name=None):
        """σ(x), the whole logistic sigmoid as one gate."""
        return self.gate("sigmoid", x, name=name)

    # --- facts ----------------------------------------------------------------------
    @property
    def input_names(self) -> List[str]:
        return [n.name for n in self.nodes.values() if n.op == "input"]

    @property
    def gates(self) -> List[Node]:
        return [n for n in self.nodes.values() if n.op != "input"]

    def __repr__(self):
        return f"Graph(inputs={self.input_names}, gates={len(self.gates)}, edges={len(self.edges)})"

    # --- the two passes -------------------------------------------------------------
    def forward(self, **values: float) -> float:
        """Forward pass: store the value of every node and edge; return f.

        Parameters
        ----------
        **values : float
            One value per input variable, by name.
        """
        missing = set(self.input_names) - set(values)
        extra = set(values) - set(self.input_names)
        if missing or extra:
            raise ValueError(f"give exactly the inputs {self.input_names}; missing {sorted(missing)}, "
                             f"unknown {sorted(extra)}")
        for node in self.nodes.values():                  # insertion order is topological
            if node.op == "input":
                node.value = float(values[node.name])
            else:
                node.value = gate_forward(node.op, [self.nodes[i].value for i in node.parents], node.const)
            node.grad = float("nan")
        for e in self.edges:
            e.value, e.grad = self.nodes[e.src].value, float("nan")
        return self.nodes[self.output].value

    def backward(self, upstream: float = 1.0) -> Dict[str, float]:
        """Backward pass: store ∂f/∂(node) for every node and the gradient on every edge.

        Gates are visited from the output back; each gate multiplies the gradient at its
        output by its local derivatives (:func:`local_derivatives`) and sends one product
        down each input edge; a node's gradient is the sum over its outgoing edges.

        Parameters
        ----------
        upstream : float
            ∂(final quantity)/∂f; 1.0 gives the gradient of f itself.

        Returns
        -------
        dict
            ∂f/∂(input) for every input variable.
        """
        if self.output is None or math.isnan(self.nodes[self.output].value):
            raise RuntimeError("run forward() before backward()")
        for node in self.nodes.values():
            node.grad = 0.0
        self.nodes[self.output].grad = float(upstream)
        by_dst: Dict[str, List[Edge]] = {}
        for e in self.edges:
            by_dst.setdefault(e.dst, []).append(e)
        for node in reversed(list(self.nodes.values())):
            if node.op == "input":
                continue
            local = local_derivatives(node.op, [self.nodes[i].value for i in node.parents], node.const)
            for e in by_dst[node.name]:
                e.grad = node.grad * local[e.port]         # chain rule: upstream × local
                self.nodes[e.src].grad += e.grad
        return {name: self.nodes[name].grad for name in self.input_names}

    # --- read-outs --------------------------------------------------------------------
    def values(self) -> Dict[str, float]:
        """The value of every node (after :meth:`forward`)."""
        return {k: n.value for k, n in self.nodes.items()}

    def gradients(self) -> Dict[str, float]:
        """∂f/∂(node) for every node (after :meth:`backward`)."""
        return {k: n.grad for k, n in self.nodes.items()}

    def edge_values(self) -> np.ndarray:
        """The forward value on every edge, shape (n_edges,), in the order of ``edges``."""
        return np.array([e.value for e in self.edges])

    def edge_gradients(self) -> np.ndarray:
        """The backward gradient on every edge, shape (n_edges,), in the order of ``edges``."""
        return np.array([e.grad for e in self.edges])

    def table(self, digits: int = 2) -> str:
        """A Markdown table of the backward pass, one row per edge.

        Columns: the edge, its forward value, the gate it enters, that gate's local rule for
        this input, the local derivative's value, the upstream gradient ∂f/∂(gate output),
        and their product — the gradient on the edge. The last row is the output itself.
        """
        def num(v):
            return f"{v:.{digits}f}".replace("-", "−")

        rows = [_("| edge | value (forward) | gate | local rule | local derivative | upstream "
                  "| gradient = upstream × local |"),
                "|---|---:|---|---|---:|---:|---:|"]
        for e in self.edges:
            dst = self.nodes[e.dst]
            local = local_derivatives(dst.op, [self.nodes[i].value for i in dst.parents], dst.const)[e.port]
            rule = _PORT_RULES[dst.op][e.port]
            if dst.op in ("scale", "offset"):
                rule = rule.replace("a", f"a = {_fmt_const(dst.const)}") if dst.op == "scale" else rule
            rows.append(f"| {e.src} → {e.dst} | {num(e.value)} | {dst.label} | {rule} | {num(local)} | "
                        f"{num(dst.grad)} | {num(e.grad)} |")
        out = self.nodes[self.output]
        rows.append(f"| {out.name} → {_('output')} | {num(out.value)} | {_('(f itself)')} | ∂f/∂f | {num(1.0)} | "
                    f"{num(out.grad)} | {num(out.grad)} |")
        return "\n".join(rows)

    # --- the picture ------------------------------------------------------------------
    def layout(self, dx: float = 1.8) -> Dict[str, Tuple[float, float]]:
        """Node positions for :meth:`draw`: ``self.pos`` if set, else inputs in a column on
        the left (first on top) and each gate ``dx`` right of its rightmost input, at the
        mean height of its parents."""
        if self.pos is not None:
            return dict(self.pos)
        pos: Dict[str, Tuple[float, float]] = {}
        inputs = self.input_names
        for k, name in enumerate(inputs):
            pos[name] = (0.0, float(len(inputs) - 1 - k))
        for node in self.gates:
            xs = [pos[i][0] for i in node.parents]
            ys = [pos[i][1] for i in node.parents]
            pos[node.name] = (max(xs) + dx, float(np.mean(ys)))
        return pos

    def draw(self, ax=None, pos=None, digits: int = 2, show_grad: bool = True, title=None,
             value_color=None, grad_color=None, reveal: Optional[int] = None):
        """Draw the graph: gates as circles, values above the edges, gradients below.

        Parameters
        ----------
        ax : matplotlib Axes, optional
            Drawn into a new figure if None.
        pos : dict of name -> (x, y), optional
            Node positions (default :meth:`layout`).
        digits : int
            Decimals of the printed numbers.
        show_grad : bool
            Print the backward gradients (run :meth:`backward` first) or only the values.
        title : str, optional
        value_color, grad_color : colour, optional
            Default: the book's green for values and vermillion-red for gradients.
        reveal : int, optional
            Show the gradients only of the edges into the last ``reveal`` gates, counted
            from the output back — the backward pass after ``reveal`` gates (0: only
            ∂f/∂f = 1 at the output). None shows every gradient.

        Returns
        -------
        ax : matplotlib Axes
        """
        import matplotlib.pyplot as plt

        # The third colour of the active style's cycle: the book's green under its style.
        cycle = plt.rcParams["axes.prop_cycle"].by_key().get("color", ["#009E73"] * 3)
        value_color = cycle[2 % len(cycle)] if value_color is None else value_color
        grad_color = "#C0392B" if grad_color is None else grad_color
        pos = self.layout() if pos is None else dict(pos)
        xs = [p[0] for p in pos.values()]
        ys = [p[1] for p in pos.values()]
        if ax is None:
            scale = 0.72                                      # inches per layout unit
            width = min(11.0, scale * (max(xs) - min(xs) + 2.6))
            ax = plt.subplots(figsize=(width, scale * (max(ys) - min(ys) + 1.6) + 0.5))[1]
        out = self.nodes[self.output]
        end = (pos[out.name][0] + 1.6, pos[out.name][1])
        r = 0.28

        def fmt(v):
            return "" if v is None or (isinstance(v, float) and math.isnan(v)) else f"{v:.{digits}f}".replace("-", "−")

        def edge(p, q, value, grad, from_input):
            (x0, y0), (x1, y1) = p, q
            dx, dy = x1 - x0, y1 - y0
            d = math.hypot(dx, dy)
            ux, uy = dx / d, dy / d
            gap = 0.15 if from_input else r
            start = (x0 + gap * ux, y0 + gap * uy)
            stop = (x1 - r * ux, y1 - r * uy)
            ax.annotate("", xy=stop, xytext=start,
                        arrowprops=dict(arrowstyle="-|>", color="0.35", lw=1.2, shrinkA=0, shrinkB=0))
            f = 0.3 if from_input else 0.5                  # input edges: near the variable
            mx, my = start[0] + f * (stop[0] - start[0]), start[1] + f * (stop[1] - start[1])
            nx, ny = -uy, ux                                # unit normal, pointing "up"
            if ny < 0:
                nx, ny = -nx, -ny
            off = 0.17
            ax.text(mx + off * nx, my + off * ny, fmt(value), color=value_color, ha="center", va="center",
                    fontsize=10, fontweight="bold")
            if show_grad:
                ax.text(mx - off * nx, my - off * ny, fmt(grad), color=grad_color, ha="center",
                        va="center", fontsize=10, fontweight="bold")

        done = {n.name for n in list(reversed(self.gates))[:len(self.gates) if reveal is None else reveal]}
        for e in self.edges:
            grad = e.grad if e.dst in done else None
            edge(pos[e.src], pos[e.dst], e.value, grad, self.nodes[e.src].op == "input")
        edge(pos[out.name], end, out.value, out.grad if show_grad else None, False)
        for node in self.nodes.values():
            x, y = pos[node.name]
            if node.op == "input":
                ax.text(x, y, f"${node.name[0]}_{node.name[1:]}$" if node.name[1:].isdigit() else node.name,
                        ha="right", va="center", fontsize=12)
            else:
                ax.add_patch(plt.Circle((x, y), r, facecolor="white", edgecolor="0.2", lw=1.4, zorder=3))
                ax.text(x, y, node.label, ha="center", va="center", fontsize=10 if len(node.label) < 3 else 8,
                        zorder=4)
        ax.text(end[0] + 0.05, end[1], "$f$", ha="left", va="center", fontsize=12)
        ax.set_xlim(min(xs) - 0.6, end[0] + 0.5)
        ax.set_ylim(min(ys) - 0.7, max(ys) + 0.5)
        ax.set_aspect("equal")
        ax.axis("off")
        if title:
            ax.set_title(title)
        from matplotlib.lines import Line2D

        handles = [Line2D([], [], color=value_color, lw=0, marker="s", label=_("value (forward)"))]
        if show_grad:
            handles.append(Line2D([], [], color=grad_color, lw=0, marker="s", label=_("gradient ∂f/∂· (backward)")))
        ax.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.02), ncol=2, fontsize=9)
        return ax


def sigmoid_neuron(sigmoid_gate: bool = False) -> Graph:
    """The graph of the ECNU lecture's example f(w, x) = 1/(1 + exp(−(w₀x₀ + w₁x₁ + w₂))).

    Parameters
    ----------
    sigmoid_gate : bool
        False: the lecture's chain of elementary gates (×, ×, +, +, ×−1, exp, +1, 1/x);
        True: the same function with the last four gates replaced by one sigmoid gate.

    Returns
    -------
    Graph
        Inputs w0, x0, w1, x1, w2 (in this order).
    """
    g = Graph()
    w0, x0, w1, x1, w2 = (g.input(n) for n in ("w0", "x0", "w1", "x1", "w2"))
    p0 = g.mul(w0, x0, name="w0x0")
    p1 = g.mul(w1, x1, name="w1x1")
    s = g.add(p0, p1, name="sum")
    a = g.add(s, w2, name="a")
    chain = ["a", "sigma"] if sigmoid_gate else ["a", "neg", "exp", "denom", "recip"]
    g.pos = {"w0": (0.0, 4.0), "x0": (0.0, 3.0), "w1": (0.0, 2.0), "x1": (0.0, 1.0), "w2": (0.0, 0.0),
             "w0x0": (1.8, 3.5), "w1x1": (1.8, 1.5), "sum": (3.6, 2.5)}
    g.pos.update({name: (5.4 + 1.8 * k, 2.0) for k, name in enumerate(chain)})
    if sigmoid_gate:
        g.sigmoid(a, name="sigma")
        return g
    n = g.scale(a, -1.0, name="neg")
    e = g.exp(n, name="exp")
    d = g.offset(e, 1.0, name="denom")
    g.inv(d, name="recip")
    return g


def practice_graph() -> Graph:
    """The graph of chapter 9's exercise: f(x, y, z) = 1 / (x·y + e^z).

    Gates: ``xy`` = x·y, ``ez`` = e^z, ``s`` = xy + ez, ``f`` = 1/s; six edges, in the
    order x→xy, y→xy, z→ez, xy→s, ez→s, s→f. Evaluate it at :data:`PRACTICE_INPUTS`.

    Returns
    -------
    Graph
    """
    g = Graph()
    x, y, z = g.input("x"), g.input("y"), g.input("z")
    xy = g.mul(x, y, name="xy")
    ez = g.exp(z, name="ez")
    s = g.add(xy, ez, name="s")
    g.inv(s, name="f")
    g.pos = {"x": (0.0, 2.0), "y": (0.0, 1.0), "z": (0.0, 0.0), "xy": (1.8, 1.5), "ez": (1.8, 0.0),
             "s": (3.6, 1.0), "f": (5.4, 1.0)}
    return g
