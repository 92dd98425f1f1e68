"""The error surface and its local quadratic approximation (chapters 6 and 7).

The Nankai lecture (局部二次近似): near a point ŵ of weight space,

    E(w) ≃ E(ŵ) + (w − ŵ)ᵀ b + ½ (w − ŵ)ᵀ H (w − ŵ),
    b ≡ ∇E|_{w=ŵ},   (H)_ij ≡ ∂²E/∂w_i∂w_j|_{w=ŵ},
    ∇E ≃ b + H (w − ŵ).

At a stationary point w* (∇E = 0) the linear term vanishes; with the eigenvectors of the
Hessian, H u_i = λ_i u_i, u_iᵀu_j = δ_ij, and the coordinates α_i = u_iᵀ(w − w*),

    E(w) = E(w*) + ½ Σ_i λ_i α_i²,

so the contours of constant E are ellipses with axes along the u_i and half-lengths
√(2ΔE/λ_i), and w* is a minimum iff H is positive definite (all λ_i > 0).

:class:`QuadraticApproximation` holds (ŵ, E(ŵ), b, H) and evaluates the model and its
gradient; :func:`hessian_from_gradient` gets H by central differences of a (backprop)
gradient; :func:`eigen_coordinates`, :func:`is_positive_definite`,
:func:`classify_stationary_point`, :func:`ellipse_axes` and :func:`newton_stationary_point`
do the rest. :class:`TwoParameterModel` is the tiny network whose whole error surface
chapters 6 and 7 draw: a 1-2-1 tanh network in which only the two input weights
(w_1, w_2) = (w_11^(1), w_21^(1)) adapt.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable, Tuple

import numpy as np

from .gradcheck import numerical_jacobian
from .networks import MLP

__all__ = [
    "QuadraticApproximation", "quadratic_approximation", "hessian_from_gradient",
    "eigen_coordinates", "is_positive_definite", "classify_stationary_point", "ellipse_axes",
    "newton_stationary_point", "TwoParameterModel", "two_parameter_model",
]


def hessian_from_gradient(grad: Callable, w, eps: float = None, symmetrize: bool = True) -> np.ndarray:
    """H by central differences of the gradient: column i = [∇E(w + εe_i) − ∇E(w − εe_i)] / 2ε.

    The Nankai lecture (有限差分): O(W) gradient evaluations, error O(ε²).

    Parameters
    ----------
    grad : callable, ndarray (W,) -> ndarray (W,)
        ∇E, for example from backpropagation.
    w : ndarray, shape (W,)
    eps : float, optional
        Step; default (machine ε)^(1/3) ≈ 6e-6 scaled by max(1, |w_i|).
    symmetrize : bool
        Return ½(H + Hᵀ).

    Returns
    -------
    ndarray, shape (W, W)
    """
    w = np.asarray(w, dtype=np.float64)
    if eps is None:
        eps = np.finfo(np.float64).eps ** (1 / 3) * np.maximum(1.0, np.abs(w))   # one step per w_i
    H = numerical_jacobian(grad, w, eps)            # the Hessian is the Jacobian of the gradient
    return 0.5 * (H + H.T) if symmetrize else H


@dataclass
class QuadraticApproximation:
    """The local quadratic model of E around ŵ (the Nankai lecture).

    Attributes
    ----------
    w_hat : ndarray, shape (W,)
        Expansion point ŵ.
    E0 : float
        E(ŵ).
    b : ndarray, shape (W,)
        Gradient at ŵ.
    H : ndarray, shape (W, W)
        Hessian at ŵ (symmetric).
    """

    w_hat: np.ndarray
    E0: float
    b: np.ndarray
    H: np.ndarray

    def __call__(self, w) -> np.ndarray:
        """E(ŵ) + (w − ŵ)ᵀb + ½(w − ŵ)ᵀH(w − ŵ); ``w`` of shape (W,) or (..., W)."""
        d = np.asarray(w, dtype=np.float64) - self.w_hat
        return self.E0 + d @ self.b + 0.5 * np.einsum("...i,ij,...j->...", d, self.H, d)

    def gradient(self, w) -> np.ndarray:
        """∇E ≃ b + H(w − ŵ); ``w`` of shape (W,) or (..., W), result of the same shape."""
        d = np.asarray(w, dtype=np.float64) - self.w_hat
        return self.b + d @ self.H.T

    def eigen(self) -> Tuple[np.ndarray, np.ndarray]:
        """Eigenvalues λ (ascending, shape (W,)) and orthonormal eigenvectors U (columns u_i)."""
        return np.linalg.eigh(self.H)

    def stationary_point(self) -> np.ndarray:
        """Where the model's gradient vanishes: ŵ − H⁻¹b (one Newton step)."""
        return self.w_hat - np.linalg.solve(self.H, self.b)


def quadratic_approximation(E: Callable, grad: Callable, w_hat, hess: Callable = None,
                            eps: float = None) -> QuadraticApproximation:
    """Build the quadratic model of E at ŵ from E, its gradient and (optionally) its Hessian.

    Parameters
    ----------
    E : callable, ndarray (W,) -> float
    grad : callable, ndarray (W,) -> ndarray (W,)
    w_hat : array_like, shape (W,)
    hess : callable, ndarray (W,) -> ndarray (W, W), optional
        Exact Hessian; without it H comes from :func:`hessian_from_gradient`.
    eps : float, optional
        Step of the finite differences.
    """
    w_hat = np.asarray(w_hat, dtype=np.float64).copy()
    H = np.asarray(hess(w_hat)) if hess is not None else hessian_from_gradient(grad, w_hat, eps)
    return QuadraticApproximation(w_hat, float(E(w_hat)), np.asarray(grad(w_hat), dtype=np.float64),
                                  0.5 * (H + H.T))


def eigen_coordinates(H, w, w_star):
    """Eigen-decomposition of H and the coordinates α_i = u_iᵀ(w − w*).

    Parameters
    ----------
    H : ndarray, shape (W, W), symmetric
    w : ndarray, shape (W,) or (N, W)
    w_star : ndarray, shape (W,)

    Returns
    -------
    lam : ndarray, shape (W,)
        Eigenvalues λ_i, ascending.
    U : ndarray, shape (W, W)
        Orthonormal eigenvectors u_i as columns: H U = U diag(λ), UᵀU = I.
    alpha : ndarray, shape (W,) or (N, W)
        α = Uᵀ(w − w*) (one row per point), so that w − w* = Σ_i α_i u_i.
    """
    lam, U = np.linalg.eigh(np.asarray(H, dtype=np.float64))
    d = np.asarray(w, dtype=np.float64) - np.asarray(w_star, dtype=np.float64)
    return lam, U, d @ U


def is_positive_definite(H, tol: float = 0.0) -> bool:
    """vᵀHv > 0 for all v ≠ 0, i.e. every eigenvalue λ_i > tol (the Nankai lecture)."""
    return bool(np.all(np.linalg.eigvalsh(np.asarray(H, dtype=np.float64)) > tol))


def classify_stationary_point(H, tol: float = 1e-10) -> str:
    """"minimum" (all λ_i > 0), "maximum" (all < 0), "saddle" (both signs) or "degenerate"."""
    lam = np.linalg.eigvalsh(np.asarray(H, dtype=np.float64))
    scale = max(1.0, float(np.max(np.abs(lam))))
    if np.all(lam > tol * scale):
        return "minimum"
    if np.all(lam < -tol * scale):
        return "maximum"
    if np.any(lam > tol * scale) and np.any(lam < -tol * scale):
        return "saddle"
    return "degenerate"


def ellipse_axes(H, delta_E: float):
    """Half-axes of the contour E = E(w*) + ΔE of the quadratic model at a minimum.

    Along u_i the model rises by ½λ_i α², so the contour meets the axis at α = √(2ΔE/λ_i):
    long axes where the curvature is small.

    Returns
    -------
    lengths : ndarray, shape (W,)
        √(2ΔE/λ_i), in the order of ascending λ_i.
    U : ndarray, shape (W, W)
        Axis directions u_i (columns).
    """
    lam, U = np.linalg.eigh(np.asarray(H, dtype=np.float64))
    if np.any(lam <= 0):
        raise ValueError("the contours are ellipses only where H is positive definite")
    return np.sqrt(2.0 * delta_E / lam), U


def newton_stationary_point(grad: Callable, w0, hess: Callable = None, tol: float = 1e-12,
                            max_iter: int = 50) -> np.ndarray:
    """Iterate w ← w − H⁻¹∇E (the stationary point of each quadratic model) until ‖∇E‖ < tol.

    Converges to the nearby stationary point of any kind (minimum, saddle or maximum), which
    is what chapter 7 needs to locate them all.

    Parameters
    ----------
    grad : callable, (W,) -> (W,)
    w0 : array_like, shape (W,)
    hess : callable, (W,) -> (W, W), optional
        Default: :func:`hessian_from_gradient`.
    """
    w = np.asarray(w0, dtype=np.float64).copy()
    for _ in range(int(max_iter)):
        g = np.asarray(grad(w))
        if np.linalg.norm(g) < tol:
            break
        H = hess(w) if hess is not None else hessian_from_gradient(grad, w)
        w = w - np.linalg.solve(H, g)
    return w


class TwoParameterModel:
    """A 1-2-1 tanh network with only its two input weights adaptive (chapters 6 and 7).

    y(x; w_1, w_2) = v_1 h(w_1 x + c_1) + v_2 h(w_2 x + c_2),

    an :class:`~nnbook.networks.MLP` ``[1, 2, 1]`` whose biases c = b^(1), output weights
    v = W^(2) and output bias b^(2) = 0 are frozen. Its error surface
    E(w) = ½ Σ_n (y(x_n; w) − t_n)² over w = (w_1, w_2) can be drawn whole: it has a global
    minimum, a poorer local minimum and a saddle between them.

    Parameters
    ----------
    x : ndarray, shape (N,)
        Inputs.
    t : ndarray, shape (N,)
        Targets.
    c : (float, float)
        The frozen first-layer biases.
    v : (float, float)
        The frozen output weights.
    hidden : str
        Hidden activation (tanh by default).
    """

    free = (0, 1)        # positions of w_11^(1), w_21^(1) in net.get_w()

    def __init__(self, x, t, c=(0.0, 1.0), v=(1.0, 1.0), hidden="tanh"):
        self.x = np.asarray(x, dtype=np.float64).ravel()
        self.t = np.asarray(t, dtype=np.float64).ravel()
        self.X, self.T = self.x[:, None], self.t[:, None]
        self.net = MLP([1, 2, 1], hidden=hidden, output="identity", seed=0)
        self.net.W[0][:, 0] = 0.0
        self.net.b[0][:] = c
        self.net.W[1][0, :] = v
        self.net.b[1][:] = 0.0
        self.c = np.array(c, dtype=np.float64)
        self.v = np.array(v, dtype=np.float64)
        self._h = self.net.h[0]

    def full_w(self, w) -> np.ndarray:
        """The network's whole parameter vector with (w_1, w_2) put in place, shape (7,)."""
        full = self.net.get_w()
        full[list(self.free)] = np.asarray(w, dtype=np.float64)
        return full

    def network(self, w) -> MLP:
        """A copy of the network with input weights w = (w_1, w_2)."""
        return self.net.copy().set_w(self.full_w(w))

    def error(self, w) -> float:
        """E(w) = ½ Σ_n (y_n − t_n)², by the package's forward pass."""
        return self.net.error_of_w(self.full_w(w), self.X, self.T)

    def gradient(self, w) -> np.ndarray:
        """(∂E/∂w_1, ∂E/∂w_2), by the package's backpropagation, shape (2,)."""
        return self.net.gradient_of_w(self.full_w(w), self.X, self.T)[list(self.free)]

    def hessian(self, w, eps: float = None) -> np.ndarray:
        """The 2×2 Hessian by central differences of the backprop gradient."""
        return hessian_from_gradient(self.gradient, w, eps)

    def quadratic(self, w_hat) -> QuadraticApproximation:
        """The local quadratic approximation of E at ŵ."""
        return quadratic_approximation(self.error, self.gradient, w_hat, self.hessian)

    def predict(self, w, x=None) -> np.ndarray:
        """y(x; w), shape (N,)."""
        x = self.x if x is None else np.asarray(x, dtype=np.float64).ravel()
        return self.network(w).forward(x[:, None])[:, 0]

    def descend(self, w0, eta: float = 0.03, steps: int = 1000) -> np.ndarray:
        """Gradient descent w ← w − η∇E from many starting points at once (chapter 6).

        Parameters
        ----------
        w0 : ndarray, shape (2,) or (P, 2)
            Starting points.
        eta : float
            Learning rate η (E is the sum over the N samples).
        steps : int

        Returns
        -------
        ndarray, shape (steps + 1,) + w0.shape
            The path of every starting point, the start first.
        """
        w = np.array(w0, dtype=np.float64)
        path = [w.copy()]
        for _ in range(int(steps)):
            w = w - eta * self.error_and_gradient_grid(w[..., 0], w[..., 1])[1]
            path.append(w.copy())
        return np.array(path)

    def error_grid(self, W1, W2) -> np.ndarray:
        """E on a grid of (w_1, w_2), vectorised (for contour plots); shape of ``W1``."""
        return self.error_and_gradient_grid(W1, W2)[0]

    def error_and_gradient_grid(self, W1, W2):
        """E and ∇E at many points at once.

        Parameters
        ----------
        W1, W2 : ndarray, same shape S
            Input weights of the two hidden units.

        Returns
        -------
        E : ndarray, shape S
        G : ndarray, shape S + (2,)
            The same numbers as :meth:`error` and :meth:`gradient` point by point
            (the forward and backward passes written out for this network).
        """
        W1, W2 = np.broadcast_arrays(np.asarray(W1, float), np.asarray(W2, float))
        a1 = W1[..., None] * self.x + self.c[0]                 # a_1 for every sample
        a2 = W2[..., None] * self.x + self.c[1]
        z1, z2 = self._h.h(a1), self._h.h(a2)
        r = self.v[0] * z1 + self.v[1] * z2 - self.t                      # y − t = δ_k
        E = 0.5 * np.sum(r * r, axis=-1)
        if self._h.name == "tanh":                                       # h' = 1 − h², no second tanh
            d1, d2 = 1.0 - z1 * z1, 1.0 - z2 * z2
        else:
            d1, d2 = self._h.dh(a1), self._h.dh(a2)
        g1 = np.sum(r * self.v[0] * d1 * self.x, axis=-1)                # Σ_n δ_1 x_n, δ_1 = h'(a_1) v_1 δ_k
        g2 = np.sum(r * self.v[1] * d2 * self.x, axis=-1)
        return E, np.stack([g1, g2], axis=-1)


def two_parameter_model(N: int = 41, noise: float = 0.1, seed: int = 0,
                        teacher=(1.5, -2.5)) -> TwoParameterModel:
    """The book's two-parameter example: data from a teacher network plus Gaussian noise.

    x_n uniform on [−2, 2], t_n = y(x_n; teacher) + noise·ε_n with ε_n ~ N(0, 1) (seeded).
    With the defaults (biases c = (0, 1), output weights v = (1, 1)) the surface has a
    global minimum near the teacher, at about (1.8, −2.7), a local minimum at about
    (−1.6, 2.9) with roughly twice the error, and a saddle point between them.
    """
    x = np.linspace(-2.0, 2.0, N)
    model = TwoParameterModel(x, np.zeros(N))
    y = model.predict(teacher, x)
    t = y + noise * np.random.default_rng(seed).standard_normal(N)
    return TwoParameterModel(x, t, model.c, model.v)
