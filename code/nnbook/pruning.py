"""Pruning the least important weights with the Hessian: Optimal Brain Damage and Surgeon (chapter 16).

Lecture 000 lists, among the uses of the Hessian, that its inverse finds the least
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
"""

from __future__ import annotations

import numpy as np

__all__ = ["obd_saliency", "obs_saliency", "obs_update", "quadratic_increase"]


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
