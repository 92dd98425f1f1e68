"""Second-order training: Levenberg–Marquardt and damped Newton steps (chapter 16).

The Nankai lecture (Hessian矩阵) names the non-linear optimisation algorithms of training as the
first use of the second derivatives. :func:`levenberg_marquardt` takes steps
Δw = −(H + μI)⁻¹∇E with H the outer-product (Levenberg–Marquardt) Hessian or the exact one
(a damped Newton method) and adapts the damping μ.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List

import numpy as np

from .methods import hessian as _hessian_by_name

__all__ = ["LMHistory", "levenberg_marquardt"]


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

    With the outer-product Hessian this is the Levenberg–Marquardt algorithm (the Nankai lecture,
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
        H = _hessian_by_name(net, X, T, method=hessian, reduction=reduction, l2=l2)
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
