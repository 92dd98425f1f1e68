"""Where each weight sits in the one vector w, and the checks every Hessian method shares.

The Nankai lecture (Hessian矩阵) gathers all weights and biases w_i into one vector w, so that
the second derivatives ∂²E/∂w_i∂w_j are the elements H_ij, i, j ∈ {1, ..., W}. The order
is the one of :meth:`nnbook.networks.MLP.get_w`:

    W^(1), b^(1), W^(2), b^(2), ..., W^(L), b^(L), [W_skip], [PReLU slopes γ]

each matrix flattened row by row (w_ji with j the receiving unit varies slowest).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import List

import numpy as np

from .. import activations as _act
from ..networks import LOSS_NAMES

__all__ = ["Block", "parameter_blocks", "parameter_names", "weight_mask", "unflatten"]


@dataclass(frozen=True)
class Block:
    """One parameter array inside w: its name (``"W2"``, ``"b1"``, ``"W_skip"``, ``"gamma1"``),
    its slice of w, and its shape."""

    name: str
    slice: slice
    shape: tuple

    @property
    def size(self) -> int:
        return int(np.prod(self.shape))


def parameter_blocks(net) -> List[Block]:
    """The blocks of w in the order of ``net.get_w()``, for labelling Hessian plots.

    Examples
    --------
    >>> from nnbook.networks import MLP
    >>> [b.name for b in parameter_blocks(MLP([2, 3, 1], skip=True))]
    ['W1', 'b1', 'W2', 'b2', 'W_skip']
    """
    out, i = [], 0
    for name, p in zip(net.parameter_names(), net.parameters()):
        out.append(Block(name, slice(i, i + p.size), p.shape))
        i += p.size
    return out


def parameter_names(net) -> List[str]:
    """A label for every entry of w: ``"W1[j,i]"``, ``"b1[j]"``, ``"W_skip[k,i]"``, ``"gamma1[j]"``.

    Indices count from 0, j the receiving unit (row of W^(l)), i the sending unit.
    """
    out = []
    for blk in parameter_blocks(net):
        for idx in np.ndindex(*blk.shape):
            out.append(f"{blk.name}[{','.join(map(str, idx))}]")
    return out


def weight_mask(net) -> np.ndarray:
    """Boolean mask of shape (n_params,): True for the weights that weight decay ½λ‖W‖² acts on
    (every W^(l) and W_skip), False for biases and PReLU slopes.

    The weight-decay term adds λ to exactly these diagonal entries of the Hessian.
    """
    mask = np.zeros(net.n_params, dtype=bool)
    for blk in parameter_blocks(net):
        if blk.name.startswith("W"):
            mask[blk.slice] = True
    return mask


def unflatten(net, v):
    """Split a vector in the layout of w into arrays shaped like the parameters.

    Parameters
    ----------
    net : MLP
    v : ndarray, shape (n_params,)

    Returns
    -------
    V : list of ndarray
        ``V[l-1]`` shaped like W^(l), (n_l, n_{l-1}).
    c : list of ndarray
        ``c[l-1]`` shaped like b^(l), (n_l,).
    V_skip : ndarray of shape (K, D), or None
    """
    v = np.asarray(v)
    if v.shape != (net.n_params,):
        raise ValueError(f"v must have shape (n_params,) = ({net.n_params},); got {v.shape}")
    blocks = {blk.name: v[blk.slice].reshape(blk.shape) for blk in parameter_blocks(net)}
    V = [blocks[f"W{l}"] for l in range(1, net.L + 1)]
    c = [blocks[f"b{l}"] for l in range(1, net.L + 1)]
    return V, c, blocks.get("W_skip")


# --- checks shared by the analytic methods --------------------------------------------------

def _require_canonical(net, method: str):
    """The analytic methods use δ_k = y_k − t_k and M_kk' = ∂y_k/∂a_k': canonical pairs only."""
    if LOSS_NAMES[net.loss_name] != net.output:
        raise NotImplementedError(
            f"{method} needs a canonical output/error pair (identity+sse, sigmoid+bce, "
            f"softmax+ce), for which δ_k = y_k − t_k; this network pairs {net.output} outputs "
            f"with {net.loss_name!r}. Use a finite-difference Hessian for other pairs.")


def _require_no_prelu(net, method: str):
    if any(isinstance(h, _act.PReLU) for h in net.h):
        raise NotImplementedError(
            f"{method} does not handle the learnable PReLU slopes γ as parameters; use "
            f"hessian_fd_gradient or hessian_fd_error, which differentiate every entry of "
            f"net.get_w() including γ, or a fixed-slope leaky_relu.")


def _require_d2h(net, method: str):
    for l, h in enumerate(net.h, start=1):
        if getattr(h, "d2h", None) is None:
            raise ValueError(
                f"{method} needs the second derivative h''(a) of every hidden activation, but "
                f"hidden layer {l} ({getattr(h, 'name', h)!r}) has no d2h. Give the Activation "
                f"a d2h, or use a finite-difference Hessian.")


def _scale(reduction: str, N: int) -> float:
    """1 for E = Σ_n E_n, 1/N for the mean."""
    if reduction == "sum":
        return 1.0
    if reduction == "mean":
        return 1.0 / N
    raise ValueError(f"reduction must be 'sum' or 'mean'; got {reduction!r}")


def _add_l2(net, H, l2: float):
    """Add the Hessian λ of ½λ‖W‖² to the weight entries of the diagonal (H: matrix or diagonal)."""
    if l2:
        idx = np.flatnonzero(weight_mask(net))
        if H.ndim == 1:
            H[idx] += l2
        else:
            H[idx, idx] += l2
    return H
