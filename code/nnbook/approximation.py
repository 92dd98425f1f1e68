"""Universal approximation made concrete (chapter 4).

Three things the chapter builds and measures:

* **ReLU splines built by hand** (the DLSys lecture, Universal Function Approximation): a
  one-hidden-layer ReLU network

      f̂(x) = Σ_{i=1}^{d} s_i max{0, w_i x + b_i},      s_i ∈ {+1, −1},

  whose weights are *computed*, not trained, so that f̂ is the piecewise-linear
  interpolant (linear spline) through chosen points (x_0, y_0), ..., (x_n, y_n) of f.
  It uses d = n + 1 hidden units: one for the constant y_0, one for the first slope, one
  for every interior knot. :func:`relu_spline_weights`, :func:`relu_spline`,
  :func:`relu_spline_network`, :func:`max_error`.
* **Depth against width** (the ECNU lecture, 架构设计): the "sawtooth" network of depth L and
  width 2 composes a tent map L times and has 2^L linear pieces on [0, 1], while a
  one-hidden-layer ReLU network with d units has at most d + 1 pieces.
  :func:`tent_network`, :func:`sawtooth_network`, :func:`count_linear_pieces`.
* **Least-squares fitting for the four fits of the Nankai lecture** (x², sin, |x|, H(x) with 3
  tanh units): a small Levenberg–Marquardt loop, :func:`fit_least_squares`, with the
  Jacobian of the outputs with respect to the weights taken from backpropagation
  (:func:`nnbook.hessian.output_gradients`, chapter 16). Plain gradient descent
  (:func:`nnbook.optim.train`, chapter 8) gets close on the sine only after some 10^4 epochs,
  most of them spent on a plateau where two hidden units do the same job (chapter 4
  measures both).

Everything is batch first: inputs ``x`` of the 1-D functions are arrays of shape ``(N,)``
or ``(N, 1)``; network inputs ``X`` are ``(N, D)``.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, List

import numpy as np

from .networks import MLP

__all__ = [
    "relu_spline_weights", "relu_spline", "relu_spline_network", "max_error",
    "spline_error_curve", "tent_network", "sawtooth_network", "count_linear_pieces",
    "shallow_units_needed", "fit_least_squares", "FitResult",
]


# --------------------------------------------------------------------- ReLU splines

def _points(x_points, y_points):
    x = np.asarray(x_points, dtype=np.float64).ravel()
    y = np.asarray(y_points, dtype=np.float64).ravel()
    if x.shape != y.shape or x.size < 2:
        raise ValueError(f"give at least two points with as many y as x; got {x.shape} and {y.shape}")
    if np.any(np.diff(x) <= 0):
        raise ValueError("the x of the points must increase strictly")
    return x, y


def relu_spline_weights(x_points, y_points):
    """Weights of the ReLU network that interpolates the points linearly (the DLSys lecture, eq. 7).

    On [x_0, x_n] the linear spline through the points is

        f̂(x) = y_0 + m_1 (x − x_0) + Σ_{k=1}^{n−1} (m_{k+1} − m_k) max{0, x − x_k},

    with m_k = (y_k − y_{k−1}) / (x_k − x_{k−1}) the slope of segment k. Every term
    c·max{0, x − ξ} equals sign(c)·max{0, |c| x − |c| ξ}, and the constant is
    sign(y_0)·max{0, 0·x + |y_0|}, so f̂ has exactly the lecture's form
    Σ_i s_i max{0, w_i x + b_i} with s_i = ±1 and d = n + 1 units.

    Parameters
    ----------
    x_points : array_like, shape (n+1,)
        Strictly increasing knots x_0 < x_1 < ... < x_n.
    y_points : array_like, shape (n+1,)
        Values y_k = f(x_k).

    Returns
    -------
    w, b, s : ndarray, each of shape (n+1,)
        Input weights w_i, biases b_i and output signs s_i ∈ {+1, −1}
        (unit 0: the constant, unit 1: the first slope, unit k+1: the kink at x_k).
    """
    x, y = _points(x_points, y_points)
    m = np.diff(y) / np.diff(x)                               # slopes m_1..m_n
    c = np.concatenate([[y[0]], [m[0]], np.diff(m)])          # constant, first slope, kinks
    xi = np.concatenate([[0.0], x[:-1]])                      # where each ramp starts
    w = np.abs(c)
    w[0] = 0.0                                                # the constant has no input weight
    b = -np.abs(c) * xi
    b[0] = abs(c[0])
    s = np.where(c < 0, -1.0, 1.0)
    return w, b, s


def relu_spline(x, w, b, s):
    """f̂(x) = Σ_i s_i max{0, w_i x + b_i}, the one-hidden-layer ReLU network of the DLSys lecture.

    Parameters
    ----------
    x : array_like, shape (N,) or (N, 1)
    w, b, s : array_like, shape (d,)
        Input weights, biases and output weights (signs ±1 in the lecture's form).

    Returns
    -------
    ndarray, shape (N,)
    """
    x = np.asarray(x, dtype=np.float64).reshape(-1, 1)
    A = x * np.asarray(w)[None, :] + np.asarray(b)[None, :]   # a_i = w_i x + b_i, (N, d)
    return np.maximum(A, 0.0) @ np.asarray(s, dtype=np.float64)


def relu_spline_network(x_points, y_points, dtype=np.float64) -> MLP:
    """The same interpolant as an :class:`~nnbook.networks.MLP` ``[1, d, 1]`` with ReLU units.

    W^(1) = w (as a column), b^(1) = b, W^(2) = sᵀ, b^(2) = 0: no training, the weights are
    set from the points by :func:`relu_spline_weights`.

    Returns
    -------
    MLP
        ``net.forward(x[:, None])[:, 0]`` equals :func:`relu_spline` on [x_0, x_n].
    """
    w, b, s = relu_spline_weights(x_points, y_points)
    net = MLP([1, w.size, 1], hidden="relu", output="identity", seed=0, dtype=dtype)
    net.W[0][:, 0] = w
    net.b[0][:] = b
    net.W[1][0, :] = s
    net.b[1][:] = 0.0
    return net


def max_error(f: Callable, f_hat: Callable, a: float = -1.0, b: float = 1.0, n: int = 20001) -> float:
    """max_{x ∈ [a, b]} |f(x) − f̂(x)|, measured on a uniform grid of ``n`` points (the DLSys lecture, eq. 6).

    Parameters
    ----------
    f, f_hat : callable, ndarray (n,) -> ndarray (n,)
    a, b : float
        The closed region D = [a, b].
    n : int
        Grid size; the grid error of the maximum is O(((b − a)/n)²) for smooth f.
    """
    x = np.linspace(a, b, n)
    return float(np.max(np.abs(np.asarray(f(x)).ravel() - np.asarray(f_hat(x)).ravel())))


def spline_error_curve(f: Callable, units, a: float = -1.0, b: float = 1.0, n: int = 20001):
    """Max error of the ReLU spline through d − 1 uniform segments, for every d in ``units``.

    Parameters
    ----------
    f : callable
    units : sequence of int
        Numbers of hidden units d ≥ 2 (d − 1 segments with d uniform knots on [a, b]).

    Returns
    -------
    ndarray, shape (len(units),)
        For smooth f the error falls like d^(−2) (slope −2 on a log-log plot): the
        interpolation error of a linear spline is at most h² max|f''| / 8 with h = (b − a)/(d − 1).
    """
    out = []
    for d in units:
        xk = np.linspace(a, b, int(d))
        w, bb, s = relu_spline_weights(xk, f(xk))
        out.append(max_error(f, lambda x: relu_spline(x, w, bb, s), a, b, n))
    return np.array(out)


# --------------------------------------------------------------------- depth and width

def tent_network(dtype=np.float64) -> MLP:
    """The tent map g(x) = 2 max{0, x} − 4 max{0, x − ½} on [0, 1] as a ReLU MLP ``[1, 2, 1]``.

    g rises from 0 to 1 on [0, ½] and falls back to 0 on [½, 1].
    """
    net = MLP([1, 2, 1], hidden="relu", output="identity", seed=0, dtype=dtype)
    net.W[0][:, 0] = [1.0, 1.0]
    net.b[0][:] = [0.0, -0.5]
    net.W[1][0, :] = [2.0, -4.0]
    net.b[1][:] = 0.0
    return net


def sawtooth_network(depth: int, dtype=np.float64) -> MLP:
    """g composed ``depth`` times, g^L = g ∘ ... ∘ g, as one deep ReLU MLP of width 2.

    Layers: [1, 2, 2, ..., 2, 1] with L = ``depth`` hidden layers. Hidden layer l + 1 takes
    the tent's output 2 z_1 − 4 z_2 of layer l as its input, so its weights are the
    product of the tent's output weights and input weights. On [0, 1] the result is a
    sawtooth with 2^(L−1) teeth and 2^L linear pieces, with 2L hidden units in all.

    Parameters
    ----------
    depth : int
        L ≥ 1, the number of hidden layers (and of tent maps composed).
    """
    depth = int(depth)
    if depth < 1:
        raise ValueError("depth must be at least 1")
    net = MLP([1] + [2] * depth + [1], hidden="relu", output="identity", seed=0, dtype=dtype)
    v = np.array([2.0, -4.0])                       # the tent's output weights
    u = np.array([1.0, 1.0])                        # the tent's input weights
    c = np.array([0.0, -0.5])                       # the tent's biases
    net.W[0][:, 0] = u
    net.b[0][:] = c
    for l in range(1, depth):
        net.W[l][:, :] = np.outer(u, v)             # a^(l+1) = u (vᵀ z^(l)) + c
        net.b[l][:] = c
    net.W[depth][0, :] = v
    net.b[depth][:] = 0.0
    return net


def count_linear_pieces(x, y, rtol: float = 1e-6) -> int:
    """Number of maximal intervals on which the sampled function is affine.

    Counts the changes of slope between consecutive samples. The grid ``x`` must contain
    every breakpoint of the piecewise-linear function (for the sawtooth of depth L, a
    uniform grid on [0, 1] with a multiple of 2^L intervals does).

    Parameters
    ----------
    x : array_like, shape (N,)
        Increasing sample points.
    y : array_like, shape (N,) or (N, 1)
    rtol : float
        A slope change smaller than ``rtol`` times the largest |slope| is ignored (round-off).
    """
    x = np.asarray(x, dtype=np.float64).ravel()
    y = np.asarray(y, dtype=np.float64).ravel()
    slope = np.diff(y) / np.diff(x)
    scale = max(float(np.max(np.abs(slope))), 1e-300)
    return int(np.sum(np.abs(np.diff(slope)) > rtol * scale)) + 1


def shallow_units_needed(pieces: int) -> int:
    """The fewest hidden units a one-hidden-layer ReLU network on ℝ needs for ``pieces`` pieces.

    Each unit max{0, w x + b} adds at most one breakpoint, so d units give at most d + 1
    linear pieces: d ≥ pieces − 1.
    """
    return max(int(pieces) - 1, 0)


# --------------------------------------------------------------------- least squares

@dataclass
class FitResult:
    """What :func:`fit_least_squares` did: the error after every iteration and the final μ."""

    loss: List[float] = field(default_factory=list)
    mu: List[float] = field(default_factory=list)
    converged: bool = False


def fit_least_squares(net: MLP, X, T, iterations: int = 200, l2: float = 0.0, mu: float = 1e-2,
                      tol: float = 1e-12) -> FitResult:
    """Minimise E(w) = ½ Σ_n ‖y(x_n, w) − t_n‖² (+ ½λ‖W‖²) by Levenberg–Marquardt, in place.

    Each iteration solves (JᵀJ + λD + μI) Δw = −(Jᵀr + λDw), with r = y − t the residuals,
    J = ∂y/∂w (rows b_n = ∇y_n of the outer-product approximation, the Nankai lecture; computed by
    backpropagation in :func:`nnbook.hessian.output_gradients`) and D the diagonal mask of the weights (biases
    are not decayed). A step that lowers E is accepted and μ shrinks tenfold (towards a
    Gauss–Newton step); a step that raises E is refused and μ grows tenfold (towards a
    short gradient-descent step, Δw ≈ −∇E/μ).

    Parameters
    ----------
    net : MLP
        Identity outputs with the sum-of-squares error; changed in place.
    X : ndarray, shape (N, D)
    T : ndarray, shape (N, K)
    iterations : int
    l2 : float
        λ of the weight-decay term (structural risk, chapter 6).
    mu : float
        Initial damping μ.
    tol : float
        Stop when a step lowers E by less than ``tol`` relative to E.

    Returns
    -------
    FitResult
        ``loss[0]`` is E before the first iteration.
    """
    from .hessian import output_gradients

    if net.output != "identity" or net.loss_name != "sse":
        raise ValueError("fit_least_squares needs identity outputs with the sum-of-squares error")
    X = np.asarray(X, dtype=net.dtype)
    T = np.asarray(T, dtype=net.dtype).reshape(X.shape[0], -1)
    decayed = [id(W) for W in net.weights()]                    # W^(l) and W_skip, not the biases
    mask = np.concatenate([np.full(p.size, float(id(p) in decayed)) for p in net.parameters()])
    w = net.get_w()
    E = net.error(X, T, l2=l2)
    res = FitResult([E], [mu])
    eye = np.eye(w.size)
    for _ in range(int(iterations)):
        J = output_gradients(net, X, wrt="y").reshape(-1, w.size)
        r = (net.forward(X) - T).ravel()
        g = J.T @ r + l2 * mask * w
        A = J.T @ J + l2 * np.diag(mask)
        while True:
            step = np.linalg.solve(A + mu * eye, -g)
            net.set_w(w + step)
            E_new = net.error(X, T, l2=l2)
            if E_new < E:
                mu = max(mu / 10.0, 1e-12)
                break
            mu *= 10.0
            if mu > 1e12:
                break
        if not E_new < E:                              # no step helps: a minimum to round-off
            net.set_w(w)
            res.converged = True
            break
        gain = (E - E_new) / max(E, 1e-300)
        w, E = w + step, E_new
        res.loss.append(E)
        res.mu.append(mu)
        if gain < tol:
            res.converged = True
            break
    return res
