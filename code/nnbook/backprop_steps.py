"""Chapter 10: what does each of backpropagation's four steps compute, unit by unit, for one sample?

This module is written to read like the Nankai lecture's slide 反向传播算法 (the four steps),
with an explicit loop over the units of every layer — slow, but every line is one
formula of the slide. The package's network does the same computation for a whole
batch with matrix products (:meth:`nnbook.networks.MLP.backward`); chapter 10 checks
that both give the same numbers.

For one sample (x_n, t_n):

1. forward propagate   a_j = Σ_i w_ji z_i + b_j,   z_j = h(a_j)   (z_i = x_i in layer 1);
2. output deltas       δ_k = y_k − t_k;
3. hidden deltas       δ_j = h'(a_j) Σ_k w_kj δ_k,   from the last hidden layer back;
4. derivatives         ∂E_n/∂w_ji = δ_j z_i,   ∂E_n/∂b_j = δ_j.

For a batch, E = Σ_n E_n, so ∂E/∂w_ji = Σ_n ∂E_n/∂w_ji (:func:`backprop_batch`).

Step 2 holds for the canonical pairs (identity + sum of squares, sigmoid + binary
cross-entropy, softmax + cross-entropy, chapter 12). The ECNU lecture's network uses the
sigmoid f at the outputs *with* the sum of squares; its BP-1 keeps the factor f':
δ_k = (y_k − t_k) f'(a_k). Both are handled.

All arithmetic is in Python floats (float64); results are cast to the network's dtype.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List

import numpy as np

from . import activations as _act
from .i18n import N_, _
from .losses import one_hot
from .networks import LOSS_NAMES, Cache, Gradients

__all__ = ["SampleCache", "forward_propagate", "output_deltas", "hidden_deltas",
           "weight_derivatives", "backprop_sample", "backprop_batch", "sample_error",
           "error_from_net_inputs", "draw_lecture002_network"]


@dataclass
class SampleCache:
    """The forward pass of one sample.

    Attributes
    ----------
    a : list of ndarray
        ``a[l-1]`` = a^(l), net inputs of layer l, shape (n_l,), l = 1..L.
    z : list of ndarray
        ``z[0]`` = x (D,), ``z[l]`` = z^(l) = h(a^(l)), shape (n_l,), l = 1..L-1.
    y : ndarray
        Outputs, shape (K,).
    """

    a: List[np.ndarray]
    z: List[np.ndarray]
    y: np.ndarray


def _check_net(net):
    if net.skip:
        raise NotImplementedError("backprop_steps follows the lecture's layered network: no skip-layer weights")
    if any(isinstance(h, _act.PReLU) for h in net.h):
        raise NotImplementedError("backprop_steps has no learnable activation parameters (PReLU γ)")


def _target(net, t):
    t = np.asarray(t)
    K = net.sizes[-1]
    if net.output == "softmax" and t.ndim == 0 and np.issubdtype(t.dtype, np.integer):
        return one_hot(t.reshape(1), K)[0]                  # a class label -> its one-hot t
    t = np.asarray(t, dtype=np.float64).reshape(-1)
    if t.shape != (K,):
        raise ValueError(f"t must have shape ({K},); got {np.shape(t)}")
    return t


def forward_propagate(net, x) -> SampleCache:
    """Step 1: propagate one input vector forward, unit by unit.

    a_j = Σ_i w_ji z_i + b_j and z_j = h(a_j) for every hidden unit; the outputs are
    y = σ(a^(L)) with the network's output activation.

    Parameters
    ----------
    net : nnbook.networks.MLP
    x : ndarray, shape (D,)

    Returns
    -------
    SampleCache
    """
    _check_net(net)
    x = np.asarray(x, dtype=np.float64).reshape(-1)
    if x.shape != (net.sizes[0],):
        raise ValueError(f"x must have shape ({net.sizes[0]},); got {x.shape}")
    a_list, z_list = [], [x]
    z_prev = x
    for l in range(1, net.L + 1):
        W, b = net.W[l - 1], net.b[l - 1]
        n_l, n_prev = W.shape
        a = np.zeros(n_l)
        for j in range(n_l):                                       # every unit j of layer l
            a[j] = float(b[j]) + sum(float(W[j, i]) * z_prev[i] for i in range(n_prev))
        a_list.append(a)
        if l < net.L:
            h = net.h[l - 1]
            z_prev = np.array([float(h.h(a[j])) for j in range(n_l)])   # z_j = h(a_j)
            z_list.append(z_prev)
    y = np.asarray(net.output_activation(a_list[-1][None, :]), dtype=np.float64)[0]
    return SampleCache(a_list, z_list, y)


def output_deltas(net, cache: SampleCache, t) -> np.ndarray:
    """Step 2: the output units' deltas δ_k = ∂E_n/∂a_k.

    δ_k = y_k − t_k for the canonical output/error pairs; for sigmoid outputs with the
    sum-of-squares error (the ECNU lecture, BP-1) δ_k = (y_k − t_k) σ'(a_k) = (y_k − t_k) y_k (1 − y_k).

    Parameters
    ----------
    net : nnbook.networks.MLP
    cache : SampleCache
    t : ndarray, shape (K,) (or an integer label for softmax outputs)

    Returns
    -------
    ndarray, shape (K,)
    """
    t = _target(net, t)
    y = cache.y
    K = len(y)
    delta = np.zeros(K)
    canonical = LOSS_NAMES[net.loss_name] == net.output
    if not canonical and not (net.loss_name == "sse" and net.output == "sigmoid"):
        raise NotImplementedError(f"output {net.output!r} with error {net.loss_name!r}: use MLP.backward")
    for k in range(K):
        delta[k] = y[k] - t[k]                                     # δ_k = y_k − t_k
        if not canonical:
            delta[k] *= y[k] * (1.0 - y[k])                        # BP-1: × f'(a_k)
    return delta


def hidden_deltas(h, a, W_next, delta_next) -> np.ndarray:
    """Step 3: backpropagate the deltas one layer, δ_j = h'(a_j) Σ_k w_kj δ_k.

    Parameters
    ----------
    h : nnbook.activations.Activation
        The activation of this hidden layer.
    a : ndarray, shape (n_l,)
        Net inputs a_j of this layer.
    W_next : ndarray, shape (n_{l+1}, n_l)
        W^(l+1): element w_kj connects unit j of this layer to unit k of the next.
    delta_next : ndarray, shape (n_{l+1},)
        The deltas δ_k of the next layer.

    Returns
    -------
    ndarray, shape (n_l,)
    """
    n_next, n = np.shape(W_next)
    delta = np.zeros(n)
    for j in range(n):
        back = sum(float(W_next[k, j]) * float(delta_next[k]) for k in range(n_next))   # Σ_k w_kj δ_k
        delta[j] = float(h.dh(a[j])) * back                                              # × h'(a_j)
    return delta


def weight_derivatives(delta, z_prev):
    """Step 4: ∂E_n/∂w_ji = δ_j z_i and ∂E_n/∂b_j = δ_j for one layer.

    Parameters
    ----------
    delta : ndarray, shape (n_l,)
        δ_j at the output end of each weight.
    z_prev : ndarray, shape (n_{l-1},)
        z_i at the input end of each weight (x_i for the first layer).

    Returns
    -------
    dW : ndarray, shape (n_l, n_{l-1})
    db : ndarray, shape (n_l,)
    """
    n, n_prev = len(delta), len(z_prev)
    dW = np.zeros((n, n_prev))
    for j in range(n):
        for i in range(n_prev):
            dW[j, i] = delta[j] * z_prev[i]                        # δ_j z_i
    db = np.array([delta[j] for j in range(n)], dtype=np.float64)   # the bias's input is 1
    return dW, db


def backprop_sample(net, x, t) -> Gradients:
    """The four steps for one sample: ∂E_n/∂(every weight and bias).

    Parameters
    ----------
    net : nnbook.networks.MLP
    x : ndarray, shape (D,)
    t : ndarray, shape (K,) (or an integer label for softmax outputs)

    Returns
    -------
    Gradients
        ``W[l-1]`` = ∂E_n/∂W^(l) (n_l, n_{l-1}), ``b[l-1]`` = ∂E_n/∂b^(l) (n_l,),
        ``deltas[l-1]`` = δ^(l) as a (1, n_l) row.
    """
    cache = forward_propagate(net, x)                              # step 1
    deltas = [None] * net.L
    deltas[-1] = output_deltas(net, cache, t)                      # step 2
    for l in range(net.L - 1, 0, -1):                              # step 3: layers L-1, ..., 1
        deltas[l - 1] = hidden_deltas(net.h[l - 1], cache.a[l - 1], net.W[l], deltas[l])
    dW, db = [], []
    for l in range(1, net.L + 1):                                  # step 4
        gW, gb = weight_derivatives(deltas[l - 1], cache.z[l - 1])
        dW.append(gW.astype(net.dtype))
        db.append(gb.astype(net.dtype))
    return Gradients(dW, db, None, [], [d[None, :].astype(net.dtype) for d in deltas])


def backprop_batch(net, X, T, reduction: str = "sum") -> Gradients:
    """∂E/∂w = Σ_n ∂E_n/∂w: run :func:`backprop_sample` on every sample and add up.

    Parameters
    ----------
    net : nnbook.networks.MLP
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) (or integer labels (N,) for softmax outputs)
    reduction : {"sum", "mean"}
        E = Σ_n E_n (the Nankai lecture) or (1/N) Σ_n E_n (the ECNU and MNIST-lab lectures).

    Returns
    -------
    Gradients
        Summed (or averaged) ``W`` and ``b``; ``deltas[l-1]`` stacks the per-sample
        δ^(l) into shape (N, n_l) (scaled by 1/N for "mean", as in ``MLP.backward``).
    """
    X, T = np.asarray(X), np.asarray(T)
    N = X.shape[0]
    if reduction not in ("sum", "mean"):
        raise ValueError(f"reduction must be 'sum' or 'mean'; got {reduction!r}")
    scale = 1.0 / N if reduction == "mean" else 1.0
    dW = [np.zeros(W.shape) for W in net.W]
    db = [np.zeros(b.shape) for b in net.b]
    rows = [[] for _ in range(net.L)]
    for n in range(N):
        g = backprop_sample(net, X[n], T[n])
        for l in range(net.L):
            dW[l] += g.W[l]
            db[l] += g.b[l]
            rows[l].append(g.deltas[l][0])
    cast = net.dtype
    return Gradients([(scale * w).astype(cast) for w in dW], [(scale * b).astype(cast) for b in db],
                     None, [], [(scale * np.array(r)).astype(cast) for r in rows])


def sample_error(net, x, t) -> float:
    """E_n, the error of one sample (the network's error function, summed over outputs)."""
    cache = forward_propagate(net, x)
    return error_from_net_inputs(net, net.L, cache.a[-1], t)


def error_from_net_inputs(net, l: int, a_l, t) -> float:
    """E_n as a function of the net inputs a^(l) of layer l (everything before l fixed).

    Differentiating this function numerically gives δ^(l) = ∂E_n/∂a^(l) without
    backpropagation — the check of BP-1 and BP-2 in chapter 10.

    Parameters
    ----------
    net : nnbook.networks.MLP
    l : int
        Layer 1..L whose net inputs are given.
    a_l : ndarray, shape (n_l,)
    t : ndarray, shape (K,) (or an integer label for softmax outputs)

    Returns
    -------
    float
    """
    if not 1 <= l <= net.L:
        raise ValueError(f"l must be in 1..{net.L}; got {l}")
    a = np.asarray(a_l, dtype=np.float64)[None, :]
    for m in range(l + 1, net.L + 1):
        z = net.h[m - 2].h(a)
        a = z @ np.asarray(net.W[m - 1], dtype=np.float64).T + net.b[m - 1]
    y = np.asarray(net.output_activation(a), dtype=np.float64)
    t = _target(net, t)[None, :]
    return float(net.error_from_cache(Cache([a], [], y), t, reduction="sum"))


#: Colour of error signals δ in the drawings (the gradients' red of :meth:`nnbook.graph.Graph.draw`).
DELTA_COLOR = "#C0392B"
#: Colour of the weight w_11^(3) whose derivative the ECNU lecture derives first.
WEIGHT_COLOR = "#D55E00"


def draw_lecture002_network(deltas=None, focus: int = 1, axes=None):
    """Draw the ECNU lecture's three-layer perceptron 3-3-2 forward and the flow of δ backward.

    The lecture's own two figures are lost ("Figure 1: 三层感知器实例" and "Figure 2: 由
    δ^(l+1) 求 δ_i^(l)"); this redraws them in the lecture's notation. Layer 1 is the input,
    x_i = a_i^(1); every unit of layers 2 and 3 shows its net input z_i^(l) and its output
    a_i^(l) = f(z_i^(l)); the weight w_ij^(l) goes *to* unit i of layer l *from* unit j of
    layer l − 1 (biases b_i^(l) are left out of the drawing).

    * Top panel (forward): every connection; the three weights w_1j^(3) into output unit 1
      are labelled, w_11^(3) highlighted — the lecture's first derivative ∂E/∂w_11^(3) = δ_1^(3) a_1^(2).
    * Bottom panel (backward): BP-1 starts δ_j^(3) at the outputs from E; BP-2 sends
      them back along the same connections, reversed. The two connections that carry
      δ^(3) to hidden unit ``focus`` are drawn thick and labelled w_j,focus^(3), and the
      factor f'(z_focus^(2)) is written under the unit.

    Parameters
    ----------
    deltas : tuple (delta2, delta3) of arrays (3,) and (2,), optional
        Values of δ^(2) and δ^(3) to print beside the units (None: symbols only).
    focus : int
        The hidden unit i = 1, 2 or 3 whose BP-2 sum is highlighted.
    axes : pair of matplotlib Axes, optional
        Drawn into a new figure (two rows) if None.

    Returns
    -------
    (ax_forward, ax_backward) : matplotlib Axes
    """
    import matplotlib.pyplot as plt
    from matplotlib.patches import FancyBboxPatch

    if focus not in (1, 2, 3):
        raise ValueError(f"focus must be a hidden unit 1, 2 or 3; got {focus!r}")
    if deltas is not None:
        delta2, delta3 = (np.asarray(d, dtype=float).reshape(-1) for d in deltas)
        if delta2.shape != (3,) or delta3.shape != (2,):
            raise ValueError("deltas must be (δ^(2) of shape (3,), δ^(3) of shape (2,))")
    if axes is None:
        axes = plt.subplots(2, 1, figsize=(9.0, 8.4))[1]
    ax_f, ax_b = axes
    X = {1: 0.0, 2: 4.6, 3: 9.2}                                   # x position of each layer
    Y = {1: [2.2, 0.0, -2.2], 2: [2.2, 0.0, -2.2], 3: [1.3, -1.3]}
    E_pos = (12.6, 0.0)
    w_box, h_box = 2.0, 0.8

    def node_label(l, i):
        if l == 1:
            return f"$x_{i} = a_{i}^{{(1)}}$"
        return f"$z_{i}^{{({l})}} \\to a_{i}^{{({l})}}$"

    def draw_nodes(ax):
        for l in (1, 2, 3):
            for i, y in enumerate(Y[l], start=1):
                ax.add_patch(FancyBboxPatch((X[l] - w_box / 2, y - h_box / 2), w_box, h_box,
                                            boxstyle="round,pad=0.05,rounding_size=0.3",
                                            fc="white", ec="0.25", lw=1.3, zorder=3))
                ax.text(X[l], y, node_label(l, i), ha="center", va="center", fontsize=11, zorder=4)
        ax.add_patch(FancyBboxPatch((E_pos[0] - 0.55, E_pos[1] - 0.4), 1.1, 0.8,
                                    boxstyle="round,pad=0.05,rounding_size=0.3", fc="0.93", ec="0.25",
                                    lw=1.3, zorder=3))
        ax.text(*E_pos, "$E$", ha="center", va="center", fontsize=12, zorder=4)
        for name, l in ((N_("input layer"), 1), (N_("hidden layer"), 2), (N_("output layer"), 3)):
            ax.text(X[l], 3.25, _("{layer}, $l = {l}$").format(layer=_(name), l=l), ha="center", va="center",
                    fontsize=10, color="0.3")
        ax.set_xlim(-1.4, 13.6)
        ax.set_ylim(-3.4, 3.7)
        ax.set_aspect("equal")
        ax.axis("off")

    def to_edge(half_w, half_h, ux, uy):
        """Distance from a box's centre to its edge in the direction (ux, uy)."""
        return min(half_w / abs(ux) if ux else np.inf, half_h / abs(uy) if uy else np.inf) + 0.08

    def arrow(ax, p, q, color, lw, box_p, box_q):
        (x0, y0), (x1, y1) = p, q
        d = np.hypot(x1 - x0, y1 - y0)
        ux, uy = (x1 - x0) / d, (y1 - y0) / d
        sp_, sq = to_edge(*box_p, ux, uy), to_edge(*box_q, ux, uy)
        ax.annotate("", xy=(x1 - sq * ux, y1 - sq * uy), xytext=(x0 + sp_ * ux, y0 + sp_ * uy),
                    arrowprops=dict(arrowstyle="-|>", color=color, lw=lw, shrinkA=0, shrinkB=0), zorder=2)

    def edge_label(ax, p, q, frac, text, color, above=True):
        (x0, y0), (x1, y1) = p, q
        x, y = x0 + frac * (x1 - x0), y0 + frac * (y1 - y0)
        ax.text(x, y + (0.28 if above else -0.28), text, ha="center", va="center", fontsize=10, color=color,
                bbox=dict(fc="white", ec="none", pad=0.5, alpha=0.85), zorder=5)

    s = (w_box / 2 + 0.05, h_box / 2 + 0.05)                      # half sizes of a unit's box
    e = (0.6, 0.45)                                               # half sizes of E's box
    # forward panel
    draw_nodes(ax_f)
    for l in (2, 3):
        for i, yi in enumerate(Y[l], start=1):
            for j, yj in enumerate(Y[l - 1], start=1):
                hot = l == 3 and i == 1
                color = (WEIGHT_COLOR if j == 1 else "#0072B2") if hot else "0.65"
                arrow(ax_f, (X[l - 1], yj), (X[l], yi), color, 2.2 if hot and j == 1 else 1.6 if hot else 0.9, s, s)
    for j, yj in enumerate(Y[2], start=1):
        edge_label(ax_f, (X[2], yj), (X[3], Y[3][0]), 0.42, f"$w_{{1{j}}}^{{(3)}}$",
                   WEIGHT_COLOR if j == 1 else "#0072B2", above=(j == 1))
    for i, yi in enumerate(Y[3], start=1):
        arrow(ax_f, (X[3], yi), E_pos, "0.65", 0.9, s, e)
    ax_f.text((X[2] + X[3]) / 2 + 0.6, -3.15, _("{formula}: the lecture's first derivative").format(
        formula="$\\partial E/\\partial w_{11}^{(3)} = \\delta_1^{(3)} a_1^{(2)}$"),
              ha="center", va="center", fontsize=10, color=WEIGHT_COLOR)
    ax_f.text(E_pos[0], -1.2, "$E = \\frac{1}{2}\\sum_{k}(y_k - a_k^{(3)})^2$", ha="center", va="center", fontsize=10)
    ax_f.set_title(_("Forward: {formula}").format(
        formula="$z_i^{(l)} = \\sum_j w_{ij}^{(l)} a_j^{(l-1)} + b_i^{(l)}$, $a_i^{(l)} = f(z_i^{(l)})$"))

    # backward panel
    draw_nodes(ax_b)

    def dtext(l, i):
        sym = f"\\delta_{i}^{{({l})}}"
        if deltas is None:
            return f"${sym}$"
        v = (delta2 if l == 2 else delta3)[i - 1]
        return f"${sym} = {v:.4f}$"

    for i, yi in enumerate(Y[3], start=1):
        arrow(ax_b, E_pos, (X[3], yi), DELTA_COLOR, 1.4, e, s)
        ax_b.text(X[3], yi + (0.62 if i == 1 else -0.62), dtext(3, i), ha="center", va="center", fontsize=10,
                  color=DELTA_COLOR, bbox=dict(fc="white", ec="none", pad=0.5, alpha=0.85), zorder=5)
    ax_b.text(E_pos[0] - 0.3, 1.75, "BP-1:\n$\\delta_j^{(3)} = -(y_j - a_j^{(3)})\\,f'(z_j^{(3)})$", ha="center",
              va="center", fontsize=9.5, color=DELTA_COLOR)
    for i, yi in enumerate(Y[2], start=1):
        for j, yj in enumerate(Y[3], start=1):
            hot = i == focus
            arrow(ax_b, (X[3], yj), (X[2], yi), DELTA_COLOR if hot else "#E6B0AA", 2.2 if hot else 0.9, s, s)
            if hot:
                edge_label(ax_b, (X[3], yj), (X[2], yi), 0.5, f"$w_{{{j}{i}}}^{{(3)}}$", DELTA_COLOR,
                           above=(yj > yi) or (yj == max(Y[3]) and yi == yj))
        ax_b.text(X[2], yi + 0.62, dtext(2, i), ha="center", va="center", fontsize=10, color=DELTA_COLOR,
                  bbox=dict(fc="white", ec="none", pad=0.5, alpha=0.85), zorder=5)
    y_focus = Y[2][focus - 1]
    ax_b.text(X[2] - w_box / 2 - 0.15, y_focus, f"$\\times\\, f'(z_{focus}^{{(2)}})$", ha="right", va="center",
              fontsize=10, color=DELTA_COLOR)
    ax_b.set_title(_("Backward (BP-2): {formula}").format(
        formula=f"$\\delta_{focus}^{{(2)}} = (\\delta_1^{{(3)}} w_{{1{focus}}}^{{(3)}} + "
                f"\\delta_2^{{(3)}} w_{{2{focus}}}^{{(3)}})\\, f'(z_{focus}^{{(2)}})$"))
    return ax_f, ax_b
