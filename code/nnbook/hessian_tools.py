"""Putting the Hessian to work: second-order training, pruning curves, slices (chapter 16).

Lecture 000 (Hessian矩阵) lists what the second derivatives of the error are for:
the non-linear optimisation algorithms of training, fast retraining of a trained network,
pruning (剪枝) the least important weights, and the Laplace approximation. The methods
that *compute* H live in :mod:`nnbook.hessian`; this module uses them:

* :func:`levenberg_marquardt` — train with steps (H + μI)⁻¹∇E, H the outer-product
  (Levenberg–Marquardt) Hessian or the exact one (a damped Newton method), μ adapted;
* :func:`pruning_curve` — delete weights one at a time by magnitude, by Optimal Brain
  Damage saliency ½H_ii w_i², or by Optimal Brain Surgeon (w_q² / 2[H⁻¹]_qq, the other
  weights corrected), and record the error after each deletion;
* :func:`offdiagonal_ratio` — how far from diagonal a Hessian is;
* :func:`error_slice` — the error on a plane through w spanned by two weights, to compare
  with the quadratic model ½ δwᵀ H δw.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np

from . import hessian as _hess
from .pruning import obd_saliency, obs_saliency, obs_update

__all__ = ["LMHistory", "levenberg_marquardt", "PruningCurve", "pruning_curve",
           "offdiagonal_ratio", "error_slice"]


# --- second-order training ----------------------------------------------------------------

@dataclass
class LMHistory:
    """What :func:`levenberg_marquardt` did: one entry per accepted step (entry 0 = start).

    Attributes
    ----------
    error : list of float
        E(w) after each accepted step.
    grad_norm : list of float
        max_i |∂E/∂w_i| after each accepted step.
    mu : list of float
        The damping μ used by each accepted step (NaN for the start).
    """

    error: List[float] = field(default_factory=list)
    grad_norm: List[float] = field(default_factory=list)
    mu: List[float] = field(default_factory=list)


def levenberg_marquardt(net, X, T, iterations=100, hessian="outer_product", mu=1e-2,
                        reduction="sum", l2=0.0, tol=1e-9, increase=4.0, decrease=3.0,
                        max_tries=50) -> LMHistory:
    """Minimise E(w) in place by steps Δw = −(H + μI)⁻¹ ∇E with an adapted damping μ.

    With the outer-product Hessian this is the Levenberg–Marquardt algorithm (lecture 000,
    外积近似); with ``hessian="r"`` (the exact Hessian by the R{·} operator) it is a damped
    Newton method, which converges quadratically once H is positive definite. A step is
    accepted only if it lowers E; then μ is divided by ``decrease``, else multiplied by
    ``increase`` and the step retried (small μ: Newton step; large μ: a short gradient step
    of length ≈ ‖∇E‖/μ).

    Parameters
    ----------
    net : MLP
        Trained in place (its weights are replaced by the final w).
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) (or integer labels (N,) for softmax)
    iterations : int
        Maximum number of accepted steps.
    hessian : str
        A method name of :data:`nnbook.hessian.METHODS` (``"outer_product"``, ``"r"``, ...).
    mu : float
        Initial damping μ > 0.
    reduction : {"sum", "mean"}
    l2 : float
        λ of ½λ‖W‖², part of the minimised E and of its Hessian.
    tol : float
        Stop when max_i |∂E/∂w_i| < tol.
    increase, decrease : float
        Factors applied to μ after a rejected / an accepted step.
    max_tries : int
        Give up when this many successive steps are rejected.

    Returns
    -------
    LMHistory
    """
    hist = LMHistory()
    E, grads = net.gradient(X, T, reduction=reduction, l2=l2)
    g = grads.vector()
    hist.error.append(E)
    hist.grad_norm.append(float(np.max(np.abs(g))))
    hist.mu.append(float("nan"))
    eye = np.eye(net.n_params, dtype=net.dtype)
    trial = net.copy()
    for _ in range(int(iterations)):
        if hist.grad_norm[-1] < tol:
            break
        H = _hess.hessian(net, X, T, method=hessian, reduction=reduction, l2=l2)
        w = net.get_w()
        for _try in range(int(max_tries)):
            w_new = w - np.linalg.solve(H + mu * eye, g)
            E_new = trial.set_w(w_new).error(X, T, reduction, l2)
            if E_new < E:
                break
            mu *= increase
        else:
            break                                   # no step lowers E: a minimum to round-off
        net.set_w(w_new)
        hist.mu.append(float(mu))
        mu = max(mu / decrease, 1e-15)
        E, grads = net.gradient(X, T, reduction=reduction, l2=l2)
        g = grads.vector()
        hist.error.append(E)
        hist.grad_norm.append(float(np.max(np.abs(g))))
    return hist


# --- pruning ----------------------------------------------------------------------------------

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
    cand = (np.flatnonzero(_hess.weight_mask(net)) if candidates is None
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


# --- looking at a Hessian ----------------------------------------------------------------------

def offdiagonal_ratio(H) -> float:
    """Σ_{i≠j} |H_ij| / Σ_i |H_ii|: 0 for a diagonal matrix, large for a "strongly non-diagonal" one.

    Parameters
    ----------
    H : ndarray, shape (W, W)

    Returns
    -------
    float
    """
    A = np.abs(np.asarray(H, dtype=np.float64))
    d = np.trace(A)
    return float((A.sum() - d) / d)


def error_slice(net, X, T, i, j, s, t, reduction="sum", l2=0.0):
    """E(w + s e_i + t e_j) on a grid: the error surface in the plane of two weights.

    Parameters
    ----------
    net : MLP (not modified)
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K) (or integer labels (N,) for softmax)
    i, j : int
        Indices of the two weights in ``net.get_w()``.
    s, t : ndarray, shapes (P,) and (Q,)
        Offsets along e_i and e_j.
    reduction : {"sum", "mean"}
    l2 : float

    Returns
    -------
    ndarray, shape (Q, P): ``E[q, p]`` at offsets (s[p], t[q]) (rows follow t, as
    ``plt.contour(s, t, E)`` expects).
    """
    w0 = net.get_w()
    probe = net.copy()
    out = np.empty((len(t), len(s)))
    for q, tq in enumerate(t):
        for p, sp in enumerate(s):
            w = w0.copy()
            w[i] += sp
            w[j] += tq
            out[q, p] = probe.set_w(w).error(X, T, reduction, l2)
    return out
