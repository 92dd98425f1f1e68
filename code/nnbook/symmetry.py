"""Weight-space symmetry: many weight vectors, one network function (chapter 5).

The Nankai lecture (权空间对称性): in a two-layer network with M tanh hidden units,

* **sign flips** (符号翻转) — negating every weight and the bias *into* hidden unit j and
  every weight *out of* it leaves the mapping unchanged, because tanh(−a) = −tanh(a):
  (−w_kj) tanh(Σ_i (−w_ji) x_i) = w_kj tanh(Σ_i w_ji x_i). Any subset of the M units may be
  flipped: 2^M equivalent weight vectors;
* **permutations** (交换) — relabelling the hidden units (permuting the rows of W^(1) and
  b^(1) and the columns of W^(2) together) changes nothing: M! orderings;

so every weight vector is one of up to M!·2^M equivalent ones (the symmetry factor): exactly
M!·2^M for generic weights, fewer when a unit is zero (flipping it changes nothing) or two
units coincide (exchanging them changes nothing). With several hidden layers the same holds
layer by layer, and the factor is the product.

Beyond the lecture, *coinciding* units ("twins"): the exchange of two hidden units maps weight
space onto itself, and the weight vectors it leaves fixed — units i and j with equal incoming
weights, bias and outgoing weights — form a subspace that gradient descent never leaves
(:func:`make_twins`, :func:`twin_gap`). The curvature across that subspace lives in the
antisymmetric directions (:func:`twin_directions`, :func:`antisymmetric_hessian`).

Beyond the lecture: a logistic-sigmoid unit can be flipped too, since σ(−a) = 1 − σ(a),
if the output bias absorbs the difference: b_k ← b_k + w_kj (:func:`flip_sign` does it).

The functions work on the weight arrays of a one-hidden-layer network (``W1`` (M, D),
``b1`` (M,), ``W2`` (K, M)) and, for any depth, on an :class:`~nnbook.networks.MLP`
(hidden layer ``layer`` = 1..L−1). They never modify their inputs.
"""

from __future__ import annotations

import itertools
import math
from typing import Iterator, Sequence, Tuple

import numpy as np

from . import activations as _act
from .networks import MLP

__all__ = [
    "symmetry_factor", "flip_units", "permute_units", "transform_units",
    "flip_sign", "permute", "transform", "equivalent_networks", "all_transforms",
    "canonical_form", "ODD_ACTIVATIONS",
    "unit_parameters", "exchange_matrix", "make_twins", "twin_gap", "twin_directions",
    "antisymmetric_hessian", "split_unit",
]

#: Hidden activations with h(−a) = −h(a): a sign flip needs no other change.
ODD_ACTIVATIONS = ("tanh", "identity")


def symmetry_factor(M) -> int:
    """M!·2^M, the number of equivalent weight vectors of a tanh layer of M units (the Nankai lecture).

    Parameters
    ----------
    M : int or sequence of int
        Hidden units of one layer, or the widths of several hidden layers (the factor is then
        the product over the layers, ∏_l M_l!·2^{M_l}).
    """
    if np.ndim(M) == 0:
        M = int(M)
        if M < 0:
            raise ValueError("M must be non-negative")
        return math.factorial(M) * 2 ** M
    return math.prod(symmetry_factor(m) for m in M)


# ------------------------------------------------------- one hidden layer, plain arrays

def flip_units(W1, b1, W2, signs):
    """Apply sign flips to the hidden units of a one-hidden-layer tanh network.

    Parameters
    ----------
    W1 : ndarray, shape (M, D)
        First-layer weights w_ji^(1).
    b1 : ndarray, shape (M,)
        First-layer biases w_j0^(1).
    W2 : ndarray, shape (K, M)
        Second-layer weights w_kj^(2).
    signs : array_like, shape (M,)
        +1 keeps unit j, −1 flips it.

    Returns
    -------
    W1, b1, W2 : new arrays
        Row j of W1 and b1[j] times signs[j]; column j of W2 times signs[j].
    """
    s = np.asarray(signs, dtype=np.asarray(W1).dtype)
    if s.shape != (np.shape(W1)[0],) or not np.all(np.abs(s) == 1):
        raise ValueError(f"signs must be M = {np.shape(W1)[0]} values of ±1; got {signs!r}")
    return np.asarray(W1) * s[:, None], np.asarray(b1) * s, np.asarray(W2) * s[None, :]


def permute_units(W1, b1, W2, perm):
    """Relabel the hidden units: new unit j is old unit perm[j].

    Parameters
    ----------
    W1 : ndarray, shape (M, D)
    b1 : ndarray, shape (M,)
    W2 : ndarray, shape (K, M)
    perm : sequence of int, a permutation of 0..M−1

    Returns
    -------
    W1[perm], b1[perm], W2[:, perm] : new arrays
    """
    perm = np.asarray(perm)
    M = np.shape(W1)[0]
    if sorted(perm.tolist()) != list(range(M)):
        raise ValueError(f"perm must be a permutation of 0..{M - 1}; got {perm.tolist()}")
    return np.asarray(W1)[perm], np.asarray(b1)[perm], np.asarray(W2)[:, perm]


def transform_units(W1, b1, W2, perm, signs):
    """Flip with ``signs`` first, then permute with ``perm`` (one of the M!·2^M symmetries)."""
    return permute_units(*flip_units(W1, b1, W2, signs), perm)


def all_transforms(M: int) -> Iterator[Tuple[Tuple[int, ...], Tuple[int, ...]]]:
    """Every (perm, signs) pair for M units: M!·2^M of them, the identity first."""
    for perm in itertools.permutations(range(M)):
        for signs in itertools.product((1, -1), repeat=M):
            yield perm, signs


# ------------------------------------------------------- any MLP, hidden layer by layer

def _check_layer(net: MLP, layer: int) -> int:
    if not 1 <= layer <= net.L - 1:
        raise ValueError(f"layer must be a hidden layer 1..{net.L - 1}; got {layer}")
    return layer


def flip_sign(net: MLP, layer: int, units) -> MLP:
    """A copy of ``net`` with the given hidden units of ``layer`` sign-flipped.

    For odd activations (tanh, identity) the incoming weights, the bias and the outgoing
    weights of each unit change sign. For the logistic sigmoid, σ(−a) = 1 − σ(a), so the
    next layer's biases also change: b_k ← b_k + w_kj (before w_kj changes sign). Other
    activations (ReLU, softplus, ...) have no such symmetry and raise ``ValueError``.

    Parameters
    ----------
    net : MLP
    layer : int
        Hidden layer l = 1..L−1 (its units are the rows of ``net.W[l-1]``).
    units : int or sequence of int
        Units j to flip (0-based).
    """
    layer = _check_layer(net, layer)
    h = net.h[layer - 1]
    if isinstance(h, _act.PReLU) or h.name not in ODD_ACTIVATIONS + ("sigmoid",):
        raise ValueError(f"{h.name} units have no sign-flip symmetry (need h(−a) = −h(a) "
                         "or σ(−a) = 1 − σ(a))")
    units = np.atleast_1d(np.asarray(units, dtype=int))
    new = net.copy()
    Win, bin_, Wout, bout = new.W[layer - 1], new.b[layer - 1], new.W[layer], new.b[layer]
    if h.name == "sigmoid":
        bout += Wout[:, units].sum(axis=1)                # b_k ← b_k + Σ_j w_kj
    Win[units, :] *= -1
    bin_[units] *= -1
    Wout[:, units] *= -1
    return new


def permute(net: MLP, layer: int, perm: Sequence[int]) -> MLP:
    """A copy of ``net`` whose hidden units of ``layer`` are relabelled: new j = old perm[j].

    Rows of W^(l) and b^(l) and columns of W^(l+1) are permuted together (and per-unit
    PReLU slopes, if any).
    """
    layer = _check_layer(net, layer)
    perm = np.asarray(perm)
    M = net.sizes[layer]
    if sorted(perm.tolist()) != list(range(M)):
        raise ValueError(f"perm must be a permutation of 0..{M - 1}; got {perm.tolist()}")
    new = net.copy()
    new.W[layer - 1][...] = net.W[layer - 1][perm]
    new.b[layer - 1][...] = net.b[layer - 1][perm]
    new.W[layer][...] = net.W[layer][:, perm]
    h = new.h[layer - 1]
    if isinstance(h, _act.PReLU):
        h.gamma[...] = net.h[layer - 1].gamma[perm]
    return new


def transform(net: MLP, layer: int, perm: Sequence[int], signs: Sequence[int]) -> MLP:
    """Flip the units with ``signs[j] = −1`` first, then permute with ``perm``."""
    flipped = [j for j, s in enumerate(signs) if s == -1]
    out = flip_sign(net, layer, flipped) if flipped else net.copy()
    return permute(out, layer, perm)


def equivalent_networks(net: MLP, layer: int = 1) -> Iterator[Tuple[Tuple, Tuple, MLP]]:
    """Every network equivalent to ``net`` by the symmetries of one hidden layer.

    Yields
    ------
    perm, signs, MLP
        M!·2^M triples (M = width of ``layer``), the identity first.
    """
    M = net.sizes[_check_layer(net, layer)]
    for perm, signs in all_transforms(M):
        yield perm, signs, transform(net, layer, perm, signs)


def canonical_form(net: MLP) -> MLP:
    """One representative of the M!·2^M equivalent networks, for every tanh hidden layer.

    Working from the first hidden layer up, each unit is flipped so that its bias is
    non-negative, then the units are sorted by bias (ties by the first incoming weight).
    Two equivalent networks have the same canonical form (up to round-off), unless two
    units of a layer have equal biases and weights.
    """
    out = net.copy()
    for layer in range(1, out.L):
        if out.h[layer - 1].name not in ODD_ACTIVATIONS + ("sigmoid",):
            continue
        b = out.b[layer - 1]
        neg = np.flatnonzero(b < 0)
        if neg.size:
            out = flip_sign(out, layer, neg)
        keys = np.c_[out.W[layer - 1][:, 0], out.b[layer - 1]].T   # lexsort: last key first
        out = permute(out, layer, np.lexsort(keys))
    return out


# ------------------------------------------------------- coinciding units ("twins")

def unit_parameters(net: MLP, layer: int, j: int) -> np.ndarray:
    """Positions in ``net.get_w()`` of the parameters that belong to hidden unit j of ``layer``.

    In this order: its incoming weights (row j of W^(l)), its bias b_j^(l), its outgoing
    weights (column j of W^(l+1)) and, for PReLU units, its slope γ_j. Exchanging two units
    exchanges these positions; flipping a tanh unit negates them.
    """
    layer = _check_layer(net, layer)
    M = net.sizes[layer]
    if not 0 <= j < M:
        raise ValueError(f"unit j must be 0..{M - 1}; got {j}")
    offsets, start = {}, 0
    for p in net.parameters():
        offsets[id(p)] = start
        start += p.size
    W_in, b_in, W_out = net.W[layer - 1], net.b[layer - 1], net.W[layer]
    n_in = W_in.shape[1]
    idx = [offsets[id(W_in)] + j * n_in + np.arange(n_in),
           [offsets[id(b_in)] + j],
           offsets[id(W_out)] + np.arange(W_out.shape[0]) * M + j]
    h = net.h[layer - 1]
    if isinstance(h, _act.PReLU):
        idx.append([offsets[id(h.gamma)] + j])
    return np.concatenate([np.asarray(i, dtype=int) for i in idx])


def exchange_matrix(net: MLP, layer: int, i: int, j: int) -> np.ndarray:
    """The permutation matrix P with ``P @ w`` = w with hidden units i and j of ``layer`` exchanged.

    E(Pw) = E(w) for every w, so ∇E(Pw) = P∇E(w) and H(Pw) = P H(w) Pᵀ; at a twin point
    (Pw = w) the gradient is symmetric, P∇E = ∇E, and the Hessian commutes with P.
    """
    a, b = unit_parameters(net, layer, i), unit_parameters(net, layer, j)
    perm = np.arange(net.n_params)
    perm[a], perm[b] = b, a
    return np.eye(net.n_params)[perm]


def make_twins(net: MLP, layer: int, i: int, j: int) -> MLP:
    """A copy of ``net`` in which hidden unit j of ``layer`` is a twin of unit i.

    Unit j gets unit i's incoming weights, bias and outgoing weights: the two units compute
    the same z_j = z_i for every input. Gradient descent keeps them equal forever (the
    ECNU lecture's reason never to start all weights equal).
    """
    w = net.get_w()
    w[unit_parameters(net, layer, j)] = w[unit_parameters(net, layer, i)]
    return net.copy().set_w(w)


def twin_gap(net: MLP, layer: int, i: int, j: int) -> float:
    """The largest absolute difference between the parameters of hidden units i and j of ``layer``."""
    w = net.get_w()
    return float(np.abs(w[unit_parameters(net, layer, i)] - w[unit_parameters(net, layer, j)]).max())


def twin_directions(net: MLP, layer: int, i: int, j: int) -> np.ndarray:
    """An orthonormal basis of the antisymmetric directions of hidden units i and j.

    Column k moves parameter k of unit i by +1/√2 and the same parameter of unit j by −1/√2
    (the parameters in the order of :func:`unit_parameters`). The columns span the
    eigenspace of :func:`exchange_matrix` for the eigenvalue −1: the directions that pull two
    twins apart. Shape (n_params, p), p = parameters per unit.
    """
    a, b = unit_parameters(net, layer, i), unit_parameters(net, layer, j)
    D = np.zeros((net.n_params, a.size))
    D[a, np.arange(a.size)] = 1 / np.sqrt(2)
    D[b, np.arange(a.size)] = -1 / np.sqrt(2)
    return D


def antisymmetric_hessian(net: MLP, X, T, layer: int, i: int, j: int, reduction: str = "sum",
                          l2: float = 0.0) -> np.ndarray:
    """DᵀHD: the Hessian of E restricted to the antisymmetric directions D of units i and j.

    At a twin point (units i and j equal) H commutes with the exchange of the two units, so
    it is block-diagonal: DᵀHD holds all the curvature across the twin subspace, and a
    negative eigenvalue means that E falls, to second order, when the twins are pulled
    apart along its eigenvector ``D @ u``. The Hessian is exact (R-operator, chapter 16).

    Returns
    -------
    ndarray, shape (p, p)
        Rows and columns in the order of :func:`unit_parameters`.
    """
    from .hessian import hessian

    D = twin_directions(net, layer, i, j)
    H = hessian(net, X, T, reduction=reduction, l2=l2)
    return D.T @ H @ D


def split_unit(net: MLP, layer: int, j: int) -> MLP:
    """A network with one more hidden unit in ``layer``: unit j split into two twins.

    The new unit (the last of the layer) copies unit j's incoming weights and bias, and the
    two share unit j's outgoing weights, half each. The network function is unchanged, and so
    is every residual; a stationary point of ``net`` becomes a stationary point of the wider
    network (the gradients of the twins' incoming weights are half the old ones, those of
    their outgoing weights equal the old ones). Skip-layer networks and PReLU units are not
    supported.
    """
    layer = _check_layer(net, layer)
    if net.skip or any(isinstance(h, _act.PReLU) for h in net.h):
        raise ValueError("split_unit supports networks without skip-layer connections and PReLU units")
    sizes = list(net.sizes)
    sizes[layer] += 1
    wide = MLP(sizes, hidden=list(net.h), output=net.output, loss=net.loss_name, dtype=net.dtype)
    for l in range(net.L):
        wide.W[l][...], wide.b[l][...] = 0.0, 0.0
        rows, cols = net.W[l].shape
        wide.W[l][:rows, :cols], wide.b[l][:rows] = net.W[l], net.b[l]
    wide.W[layer - 1][-1], wide.b[layer - 1][-1] = net.W[layer - 1][j], net.b[layer - 1][j]
    wide.W[layer][:, j] = wide.W[layer][:, -1] = 0.5 * net.W[layer][:, j]
    return wide
