"""Pruning the least important weights with the Hessian: Optimal Brain Damage and Surgeon (chapter 16).

The Nankai lecture lists, among the uses of the Hessian, that its inverse finds the least
important weights to "prune" (剪枝). Near a minimum w* (∇E = 0) the change of the error
under a change δw of the weights is, to second order (chapter 7),

    δE ≈ ½ δwᵀ H δw.

* Optimal Brain Damage (Le Cun, Denker and Solla 1990) assumes H diagonal. Deleting w_i
  (δw_i = −w_i, nothing else moves) costs the saliency  s_i = ½ H_ii w_i².
* Optimal Brain Surgeon (Hassibi and Stork 1993) lets the other weights move to make up
  for the deleted one: minimise ½ δwᵀ H δw subject to e_qᵀ δw + w_q = 0. The optimum is

      δw = −(w_q / [H⁻¹]_qq) H⁻¹ e_q,        δE = L_q = w_q² / (2 [H⁻¹]_qq),

  so the weight with the smallest L_q is deleted and all others corrected by δw.
  H⁻¹ can come from the sequential Woodbury inverse of the outer-product Hessian.

:func:`pruning_curve` deletes the weights of a trained network one at a time by magnitude,
by OBD or by OBS and records the error after each deletion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Optional

import numpy as np

from .layout import weight_mask

__all__ = ["obd_saliency", "obs_saliency", "obs_update", "quadratic_increase", "PruningCurve",
           "pruning_curve"]


def _w(net_or_w):
    return net_or_w.get_w() if hasattr(net_or_w, "get_w") else np.asarray(net_or_w)


def obd_saliency(net_or_w, H_diag):
    """Optimal Brain Damage saliencies s_i = ½ H_ii w_i².

    Parameters
    ----------
    net_or_w : MLP or ndarray of shape (W,)
        The network (its ``get_w()``) or the weight vector itself.
    H_diag : ndarray, shape (W,)
        The Hessian's diagonal, e.g. from :func:`nnbook.hessian.hessian_diagonal`.

    Returns
    -------
    ndarray, shape (W,): the predicted increase of E if w_i alone is set to 0.
    """
    w = _w(net_or_w)
    return 0.5 * np.asarray(H_diag) * w ** 2


def obs_saliency(net_or_w, Hinv):
    """Optimal Brain Surgeon saliencies L_q = w_q² / (2 [H⁻¹]_qq).

    Parameters
    ----------
    net_or_w : MLP or ndarray of shape (W,)
    Hinv : ndarray, shape (W, W)
        The inverse Hessian H⁻¹.

    Returns
    -------
    ndarray, shape (W,): the increase of E (quadratic model) when w_q is deleted and the
    other weights are corrected by :func:`obs_update`.
    """
    w = _w(net_or_w)
    return w ** 2 / (2 * np.diagonal(Hinv))


def obs_update(net_or_w, Hinv, q):
    """The Optimal Brain Surgeon correction that deletes w_q: δw = −(w_q / [H⁻¹]_qq) H⁻¹ e_q.

    Parameters
    ----------
    net_or_w : MLP or ndarray of shape (W,)
    Hinv : ndarray, shape (W, W)
    q : int
        Index of the weight to delete (in the layout of ``net.get_w()``).

    Returns
    -------
    w_new : ndarray, shape (W,)
        w + δw, with w_new[q] set to exactly 0.
    delta_w : ndarray, shape (W,)
    """
    w = _w(net_or_w)
    Hinv = np.asarray(Hinv)
    delta_w = -(w[q] / Hinv[q, q]) * Hinv[:, q]
    w_new = w + delta_w
    w_new[q] = 0.0                                   # exact zero, not w_q − w_q·(1 ± round-off)
    return w_new, delta_w


def quadratic_increase(H, delta_w):
    """δE ≈ ½ δwᵀ H δw, the second-order change of the error at a minimum.

    Parameters
    ----------
    H : ndarray, shape (W, W)
    delta_w : ndarray, shape (W,)

    Returns
    -------
    float
    """
    delta_w = np.asarray(delta_w)
    return float(0.5 * delta_w @ np.asarray(H) @ delta_w)


# --- deleting weights one at a time ------------------------------------------------------

@dataclass
class PruningCurve:
    """The error of a network as its weights are deleted one at a time.

    Attributes
    ----------
    method : str
        ``"magnitude"``, ``"obd"`` or ``"obs"``.
    removed : ndarray of int, shape (k,)
        Indices (in the layout of ``net.get_w()``) in the order of deletion.
    error : ndarray, shape (k + 1,)
        E(w) after 0, 1, ..., k deletions (no retraining).
    predicted : ndarray, shape (k + 1,) or None
        The quadratic model E(w*) + ½ δwᵀ H δw with δw = w − w* (when H was given).
    w : ndarray, shape (W,)
        The weights after the last deletion.
    """

    method: str
    removed: np.ndarray
    error: np.ndarray
    predicted: Optional[np.ndarray]
    w: np.ndarray


def pruning_curve(net, X, T, method, H=None, Hinv=None, n_remove=None, candidates=None,
                  reduction="sum", l2=0.0) -> PruningCurve:
    """Delete weights one at a time and record E after each deletion (no retraining).

    * ``"magnitude"``: the smallest |w_i| first.
    * ``"obd"`` (Optimal Brain Damage): the smallest saliency ½ H_ii w_i² first; the other
      weights stay as they are. Needs ``H`` (a matrix, or its diagonal as a vector).
    * ``"obs"`` (Optimal Brain Surgeon): at each step the weight q with the smallest
      L_q = w_q² / (2[H⁻¹]_qq) among those left, and the correction
      δw = −(w_q/[H⁻¹]_qq) H⁻¹e_q of all others; then w_q is held at 0 by replacing H⁻¹ with
      the inverse of H restricted to the remaining coordinates,
      H⁻¹ − H⁻¹e_q e_qᵀH⁻¹ / [H⁻¹]_qq (a rank-one downdate). Needs ``Hinv``.

    Parameters
    ----------
    net : MLP
        Near a minimum w* of E (the saliencies assume ∇E = 0). Not modified.
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) (or integer labels (N,) for softmax)
    method : {"magnitude", "obd", "obs"}
    H : ndarray, shape (W, W) or (W,), optional
        The Hessian at w* (``"obd"``; also used for ``predicted`` when a matrix).
    Hinv : ndarray, shape (W, W), optional
        An inverse Hessian at w* (``"obs"``), e.g. ``inv(H)`` or the Woodbury inverse of the
        outer-product Hessian (:func:`nnbook.hessian.outer_product_inverse`).
    n_remove : int, optional
        How many weights to delete (default: all candidates).
    candidates : array of int, optional
        Indices that may be deleted (default: the weights, not the biases:
        :func:`nnbook.hessian.weight_mask`). The others may still move under ``"obs"``.
    reduction : {"sum", "mean"}
    l2 : float
        λ of ½λ‖W‖², part of the recorded E.

    Returns
    -------
    PruningCurve
    """
    w0 = net.get_w()
    cand = (np.flatnonzero(weight_mask(net)) if candidates is None
            else np.asarray(candidates, dtype=int))
    k = len(cand) if n_remove is None else int(n_remove)
    if not 0 <= k <= len(cand):
        raise ValueError(f"n_remove must be between 0 and {len(cand)}; got {k}")
    probe = net.copy()

    def E(w):
        return probe.set_w(w).error(X, T, reduction, l2)

    w = w0.copy()
    removed, path = [], [w0.copy()]
    if method in ("magnitude", "obd"):
        if method == "magnitude":
            key = np.abs(w0)
        else:
            if H is None:
                raise ValueError("method 'obd' needs H (the Hessian or its diagonal)")
            H_diag = np.diag(H) if np.ndim(H) == 2 else np.asarray(H)
            key = obd_saliency(w0, H_diag)
        for q in cand[np.argsort(key[cand], kind="stable")][:k]:
            w[q] = 0.0                                        # delete; nothing else moves
            removed.append(int(q))
            path.append(w.copy())
    elif method == "obs":
        if Hinv is None:
            raise ValueError("method 'obs' needs Hinv (an inverse Hessian)")
        Hi = np.array(Hinv, dtype=np.float64, copy=True)
        alive = [int(i) for i in cand]
        for _ in range(k):
            L = obs_saliency(w[alive], Hi[np.ix_(alive, alive)])       # w_q² / 2[H⁻¹]_qq
            q = alive[int(np.argmin(L))]
            w, _ = obs_update(w, Hi, q)                                 # delete q, correct the rest
            Hi = Hi - np.outer(Hi[:, q], Hi[q, :]) / Hi[q, q]           # hold w_q at 0 from now on
            Hi[q, :] = Hi[:, q] = 0.0                                   # (exactly, not to round-off)
            alive.remove(q)
            removed.append(q)
            w[removed] = 0.0
            path.append(w.copy())
    else:
        raise ValueError(f"method must be 'magnitude', 'obd' or 'obs'; got {method!r}")
    error = np.array([E(p) for p in path])
    predicted = None
    if H is not None and np.ndim(H) == 2:
        predicted = error[0] + np.array([0.5 * (p - w0) @ H @ (p - w0) for p in path])
    return PruningCurve(method, np.array(removed, dtype=int), error, predicted, w)
