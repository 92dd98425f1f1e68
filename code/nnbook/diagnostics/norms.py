"""Chapter 14: how do the error signals δ^(l) and the gradients shrink from layer to layer?

The ECNU lecture (梯度消失问题): one number per layer l = 1..L of a network on a batch --
:func:`delta_norms` (‖δ^(l)‖), :func:`gradient_norms` (‖∂E/∂W^(l)‖) and
:func:`weight_changes` (how far training moved each W^(l)).
"""

from __future__ import annotations

import numpy as np

__all__ = ["delta_norms", "gradient_norms", "weight_changes"]

def delta_norms(net, X, T, reduction="mean", per_unit=False) -> np.ndarray:
    """‖δ^(l)‖ for every layer l = 1..L of a network on a batch (chapter 14).

    Parameters
    ----------
    net : nnbook.networks.MLP
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) (or integer labels (N,) for softmax outputs)
    reduction : {"mean", "sum"}
        δ of E = (1/N) Σ_n E_n or of Σ_n E_n.
    per_unit : bool
        Divide by √(n_l) (root-mean-square over the units of the layer instead of the
        Frobenius norm), so that layers of different widths compare fairly.

    Returns
    -------
    ndarray, shape (L,)
        Entry l-1 is the Frobenius norm of δ^(l), the (N, n_l) matrix of the error
        signals δ_j = ∂E/∂a_j of layer l; entry L-1 belongs to the output layer.
    """
    _, grads = net.gradient(X, T, reduction=reduction)
    out = np.array([np.linalg.norm(d) for d in grads.deltas])
    if per_unit:
        out = out / np.sqrt(np.array(net.sizes[1:], dtype=float))
    return out


def gradient_norms(net, X, T, reduction="mean", l2=0.0) -> np.ndarray:
    """‖∂E/∂W^(l)‖_F for every layer l = 1..L (chapter 14).

    Parameters
    ----------
    net : MLP
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) or labels (N,)
    reduction : {"mean", "sum"}
    l2 : float
        λ of weight decay (its λW is part of the gradient).

    Returns
    -------
    ndarray, shape (L,)
    """
    _, grads = net.gradient(X, T, reduction=reduction, l2=l2)
    return np.array([np.linalg.norm(g) for g in grads.W])


def weight_changes(before, after, relative=True) -> np.ndarray:
    """How far each layer's weights moved: ‖W^(l)_after − W^(l)_before‖_F per layer.

    Parameters
    ----------
    before, after : MLP
        The same architecture, for example ``net.copy()`` before training and ``net`` after.
    relative : bool
        Divide by ‖W^(l)_before‖_F.

    Returns
    -------
    ndarray, shape (L,)
    """
    if before.sizes != after.sizes:
        raise ValueError(f"networks differ: {before.sizes} and {after.sizes}")
    out = []
    for W0, W1 in zip(before.W, after.W):
        d = np.linalg.norm(W1 - W0)
        out.append(d / np.linalg.norm(W0) if relative else d)
    return np.array(out)
