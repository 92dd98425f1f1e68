"""Chapter 11: what are backpropagation's steps for a whole batch, in the DLSys lecture's row layout Z_{i+1} = σ_i(Z_i W_i)?

The DLSys lecture (Manual Neural Networks / Backprop) writes a batch of m samples as the rows
of X (m, n) and multiplies weights on the *right*:

    Z_1 = X,    Z_{i+1} = σ_i(Z_i W_i),  i = 1..L,    h_θ(X) = Z_{L+1},
    W_i of shape (n_i, n_{i+1}).

So the lecture's W_i is the **transpose** of the package's W^(i) (shape (n_i, n_{i-1}),
element w_ji; the Nankai and MNIST-lab lectures): W_i = W^(i)ᵀ. The output layer is linear here,
σ_L = identity, and S = softmax(Z_{L+1}) row by row.

The two-layer network h_θ(X) = σ(XW_1)W_2 with cross-entropy has the gradients

    ∇_{W_2} ℓ = σ(XW_1)ᵀ (S − I_y)                                    (eq. 10)
    ∇_{W_1} ℓ = Xᵀ ((S − I_y) W_2ᵀ ∘ σ'(XW_1))                          (eq. 11)

and an L-layer network the backward recursion of G_i = ∂ℓ/∂Z_i (m, n_i):

    G_{L+1} = S − I_y,
    G_i = (G_{i+1} ∘ σ_i'(Z_i W_i)) W_iᵀ                               (eq. 14)
    ∇_{W_i} ℓ = Z_iᵀ (G_{i+1} ∘ σ_i'(Z_i W_i))                          (eq. 15)

The functions below are those formulas, line for line, with the loss summed over the
batch (``reduction="sum"``, the lecture's formulas have no 1/m) or averaged. Biases
("也可以在其中加入 bias, Z_iW_i + b_i") are optional. :func:`from_mlp` and :func:`to_mlp`
convert between this notation and an :class:`nnbook.networks.MLP`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List, Optional, Sequence

import numpy as np

from . import activations as _act
from . import losses as _loss

__all__ = ["two_layer_forward", "two_layer_gradients", "forward", "backward", "MatrixPasses",
           "from_mlp", "to_mlp", "cache_nbytes_predicted"]


def _onehot(y, k, dtype):
    """I_y: the one-hot rows of integer labels y (m,), or y itself if it is already (m, k)."""
    y = np.asarray(y)
    return _loss.targets(y, y.shape[0], k, dtype).astype(dtype, copy=False)


def _act_of(sigma):
    return _act.get(sigma) if isinstance(sigma, str) else sigma


def two_layer_forward(X, W1, W2, sigma="relu"):
    """h_θ(X) = σ(XW_1)W_2 (the DLSys lecture, eq. 5).

    Parameters
    ----------
    X : ndarray, shape (m, n)
    W1 : ndarray, shape (n, d)
    W2 : ndarray, shape (d, k)
    sigma : str or Activation
        The hidden nonlinearity σ (ReLU in the lecture's course).

    Returns
    -------
    ndarray, shape (m, k): the logits; S = softmax of each row.
    """
    s = _act_of(sigma)
    return s.h(X @ W1) @ W2


def two_layer_gradients(X, y, W1, W2, sigma="relu", reduction="sum"):
    """∇_{W_1} and ∇_{W_2} of the cross-entropy of σ(XW_1)W_2 (the DLSys lecture, eqs. 10 and 11).

    Parameters
    ----------
    X : ndarray, shape (m, n)
    y : ndarray of int, shape (m,), or one-hot I_y of shape (m, k)
    W1 : ndarray, shape (n, d)
    W2 : ndarray, shape (d, k)
    sigma : str or Activation
    reduction : {"sum", "mean"}
        ℓ summed over the m samples (the lecture's formulas) or averaged (divides by m).

    Returns
    -------
    grad_W1 : ndarray, shape (n, d)   Xᵀ((S − I_y)W_2ᵀ ∘ σ'(XW_1))
    grad_W2 : ndarray, shape (d, k)   σ(XW_1)ᵀ(S − I_y)
    """
    s = _act_of(sigma)
    XW1 = X @ W1
    S = _loss.softmax(s.h(XW1) @ W2)
    G = S - _onehot(y, W2.shape[1], S.dtype)                    # S − I_y, shape (m, k)
    if reduction == "mean":
        G = G / X.shape[0]
    grad_W2 = s.h(XW1).T @ G                                     # eq. (10)
    grad_W1 = X.T @ ((G @ W2.T) * s.dh(XW1))                     # eq. (11), ∘ elementwise
    return grad_W1, grad_W2


def forward(X, Ws, sigmas, bs=None):
    """The forward pass Z_1 = X, Z_{i+1} = σ_i(Z_i W_i [+ b_i]), i = 1..L (eq. 12).

    Parameters
    ----------
    X : ndarray, shape (m, n_1)
    Ws : list of L ndarrays, ``Ws[i-1]`` = W_i of shape (n_i, n_{i+1})
    sigmas : list of L activation names (the last usually ``"identity"``)
    bs : list of L ndarrays of shape (n_{i+1},), or None

    Returns
    -------
    list of L+1 ndarrays: [Z_1, ..., Z_{L+1}], Z_i of shape (m, n_i). These are what the
    backward pass needs: the cache.
    """
    if len(Ws) != len(sigmas):
        raise ValueError(f"give one σ_i per layer: {len(Ws)} weight matrices, {len(sigmas)} activations")
    Zs = [np.asarray(X)]
    for i, (W, sigma) in enumerate(zip(Ws, sigmas)):
        A = Zs[-1] @ W + (0 if bs is None else bs[i])
        Zs.append(_act_of(sigma).h(A))
    return Zs


@dataclass
class MatrixPasses:
    """The result of :func:`backward` in the lecture's notation.

    Attributes
    ----------
    grads : list of ndarray
        ``grads[i-1]`` = ∇_{W_i} ℓ, shape (n_i, n_{i+1}).
    grads_b : list of ndarray or None
        ∇_{b_i} ℓ, shape (n_{i+1},), if biases were given.
    G : list of ndarray
        ``G[i-1]`` = G_i = ∂ℓ/∂Z_i, shape (m, n_i), i = 1..L+1 (G_1 = ∂ℓ/∂X).
    """

    grads: List[np.ndarray]
    grads_b: Optional[List[np.ndarray]]
    G: List[np.ndarray]


def backward(Zs, Ws, y, sigmas, bs=None, loss="ce", reduction="sum") -> MatrixPasses:
    """The backward pass of the DLSys lecture (eqs. 14 and 15) from a cache of forward values.

    Parameters
    ----------
    Zs : list of L+1 ndarrays
        From :func:`forward`.
    Ws, sigmas, bs : as in :func:`forward`
    y : ndarray
        ``loss="ce"``: integer labels (m,) or one-hot I_y (m, k);
        ``loss="sse"``: targets (m, k) for ℓ = ½ Σ ‖Z_{L+1} − y‖².
    loss : {"ce", "sse"}
        G_{L+1} = S − I_y (softmax of the last Z, cross-entropy) or Z_{L+1} − y.
    reduction : {"sum", "mean"}

    Returns
    -------
    MatrixPasses
    """
    L = len(Ws)
    out = Zs[-1]
    if loss == "ce":
        G = _loss.softmax(out) - _onehot(y, out.shape[1], out.dtype)   # G_{L+1} = S − I_y
    elif loss == "sse":
        G = out - np.asarray(y, dtype=out.dtype).reshape(out.shape)
    else:
        raise ValueError(f"loss must be 'ce' or 'sse'; got {loss!r}")
    if reduction == "mean":
        G = G / out.shape[0]
    elif reduction != "sum":
        raise ValueError(f"reduction must be 'sum' or 'mean'; got {reduction!r}")
    Gs = [None] * (L + 1)
    grads = [None] * L
    grads_b = None if bs is None else [None] * L
    Gs[L] = G
    for i in range(L, 0, -1):                                  # i = L, ..., 1
        Zi, Wi = Zs[i - 1], Ws[i - 1]
        A = Zi @ Wi + (0 if bs is None else bs[i - 1])           # Z_i W_i (+ b_i), recomputed
        GD = Gs[i] * _act_of(sigmas[i - 1]).dh(A)                 # G_{i+1} ∘ σ_i'(Z_i W_i)
        grads[i - 1] = Zi.T @ GD                                 # eq. (15)
        if bs is not None:
            grads_b[i - 1] = GD.sum(axis=0)
        Gs[i - 1] = GD @ Wi.T                                    # eq. (14)
    return MatrixPasses(grads, grads_b, Gs)


def from_mlp(net):
    """An MLP in the lecture's notation: W_i = W^(i)ᵀ, b_i = b^(i), σ_i.

    Parameters
    ----------
    net : nnbook.networks.MLP
        Without skip-layer connections or PReLU.

    Returns
    -------
    Ws : list of ndarray, ``Ws[i-1]`` of shape (n_{i-1}, n_i) in the package's layer
        numbering (the lecture's (n_i, n_{i+1}) with its numbering shifted by one)
    bs : list of ndarray
    sigmas : list of str
        The hidden activations and ``"identity"`` for the output layer (whose
        softmax or sigmoid is part of the loss here).
    """
    if net.skip or any(isinstance(h, _act.PReLU) for h in net.h):
        raise ValueError("from_mlp needs a network without skip layer and PReLU")
    Ws = [W.T.copy() for W in net.W]
    bs = [b.copy() for b in net.b]
    sigmas = [h.name for h in net.h] + ["identity"]
    return Ws, bs, sigmas


def to_mlp(Ws, sigmas, bs=None, output="softmax", dtype=np.float64):
    """An :class:`nnbook.networks.MLP` with the lecture's weights: W^(i) = W_iᵀ.

    Parameters
    ----------
    Ws : list of ndarray, ``Ws[i-1]`` of shape (n_i, n_{i+1})
    sigmas : list of str
        One per layer; the last must be ``"identity"`` (the output unit is chosen by
        ``output``).
    bs : list of ndarray or None
        Biases (zeros if None).
    output : {"softmax", "identity", "sigmoid"}
    """
    from .networks import MLP

    if sigmas[-1] != "identity":
        raise ValueError("the last σ_L must be 'identity': the output unit is set by `output`")
    sizes = [Ws[0].shape[0]] + [W.shape[1] for W in Ws]
    net = MLP(sizes, hidden=list(sigmas[:-1]), output=output, seed=0, dtype=dtype)
    for l, W in enumerate(Ws):
        net.W[l][...] = W.T
        net.b[l][...] = 0 if bs is None else bs[l]
    return net


def cache_nbytes_predicted(sizes: Sequence[int], N: int, itemsize: int = 8) -> int:
    """Bytes of the package's forward cache (``Cache.nbytes``), predicted from the shapes.

    The cache keeps Z^(0) = X (N, D), every A^(l) (N, n_l) for l = 1..L, every Z^(l)
    (N, n_l) for the hidden layers and the outputs Y (N, K):

        bytes = itemsize · N · (D + 2 Σ_{l<L} n_l + 2K)

    Linear in the batch size N and in the total width; independent of the number of
    weights. (The DLSys lecture: backpropagation is chain rule + caching; fast, but memory
    hungry.)

    Parameters
    ----------
    sizes : sequence of int
        ``[D, n_1, ..., K]``.
    N : int
        Batch size.
    itemsize : int
        8 for float64, 4 for float32.
    """
    D, hidden, K = sizes[0], list(sizes[1:-1]), sizes[-1]
    return int(itemsize * N * (D + 2 * sum(hidden) + 2 * K))
