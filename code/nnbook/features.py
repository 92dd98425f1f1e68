"""Fixed basis functions φ_j(x) and why they do not scale (chapter 1).

The Nankai lecture (引言, 前馈网络函数) starts from linear models built on *fixed* nonlinear
basis functions (基函数),

    y(x, w) = f( Σ_{j=1}^{M} w_j φ_j(x) ),

with f the identity (regression) or a nonlinear activation (classification). They have
useful analytical and computational properties, but their use is limited by the curse
of dimensionality (维数灾难): the number of basis functions needed to cover an input
space grows very fast with its dimension D. The DLSys lecture writes the same model as
h_θ(x) = θᵀ φ(x) with a feature function (特征函数) φ: R^n → R^d.

This module provides the two classic fixed bases and the counts that show the curse:

* polynomial features of total order ≤ M in D inputs — C(D + M, M) of them;
* Gaussian bumps of width s on a regular grid with g centres per axis — g^D of them;

plus the least-squares fit of the weights of a linear-in-the-parameters model and
:func:`hidden_features`, the *learned* feature map φ(x) = h(W x + b) of a network
(the DLSys lecture: φ(x) = σ(Wᵀx)), the alternative the chapter argues for.

Arrays are batch first: inputs ``X`` are (N, D), design matrices ``Phi`` are (N, M).
"""

from __future__ import annotations

import itertools
import math

import numpy as np

__all__ = [
    "n_polynomial_terms", "monomial_exponents", "polynomial_features",
    "n_grid_centres", "grid_centres", "gaussian_features",
    "fit_least_squares", "linear_model", "hidden_features",
]


def _float(X, name="X"):
    """``X`` as a 2-D floating array (N, D); a 1-D array is read as N samples of D = 1."""
    X = np.asarray(X)
    if not np.issubdtype(X.dtype, np.floating):
        X = X.astype(np.float64)
    if X.ndim == 1:
        X = X[:, None]
    if X.ndim != 2:
        raise ValueError(f"{name} must have shape (N, D); got an array of shape {X.shape}")
    return X


# --- polynomial basis ------------------------------------------------------------------

def n_polynomial_terms(D: int, M: int) -> int:
    """Number of monomials x_1^{p_1} ··· x_D^{p_D} of total degree p_1 + ... + p_D ≤ M.

    This is the number of basis functions of a full polynomial of order M in D inputs
    (chapter 1, the curse of dimensionality): C(D + M, M) = (D + M)! / (D! M!), which for
    fixed M grows like D^M / M!.

    Parameters
    ----------
    D : int
        Number of inputs, D ≥ 0.
    M : int
        Order of the polynomial, M ≥ 0.

    Returns
    -------
    int
        An exact Python integer (no overflow for large D or M).

    Examples
    --------
    >>> n_polynomial_terms(2, 2)       # 1, x1, x2, x1², x1 x2, x2²
    6
    """
    if D < 0 or M < 0:
        raise ValueError(f"D and M must be non-negative; got D={D}, M={M}")
    return math.comb(int(D) + int(M), int(M))


def monomial_exponents(D: int, M: int) -> np.ndarray:
    """Exponent vectors of all monomials of total degree ≤ M in D variables.

    Ordered by total degree (the constant first), then lexicographically with the
    powers of x_1 first: for D = 2, M = 2 the rows are
    (0,0), (1,0), (0,1), (2,0), (1,1), (0,2).

    Returns
    -------
    ndarray of int, shape (C(D + M, M), D)
    """
    n = n_polynomial_terms(D, M)
    rows = []
    for degree in range(M + 1):
        # combinations with replacement of variable indices = monomials of exactly this degree
        for combo in itertools.combinations_with_replacement(range(D), degree):
            p = [0] * D
            for i in combo:
                p[i] += 1
            rows.append(p)
    E = np.array(rows, dtype=np.int64).reshape(n, D)
    return E


def polynomial_features(X, M: int, max_terms: int = 1_000_000) -> np.ndarray:
    """The polynomial design matrix Φ_nj = φ_j(x_n) = Π_i x_ni^{p_ji}, all degrees ≤ M.

    Parameters
    ----------
    X : ndarray, shape (N, D)
    M : int
        Order of the polynomial.
    max_terms : int
        Refuse to build more columns than this (the curse of dimensionality is real).

    Returns
    -------
    Phi : ndarray, shape (N, C(D + M, M))
        Columns in the order of :func:`monomial_exponents`; the first column is φ_0 = 1.
    """
    X = _float(X)
    N, D = X.shape
    n = n_polynomial_terms(D, M)
    if n > max_terms:
        raise ValueError(f"a polynomial of order {M} in D = {D} inputs has {n} terms "
                         f"(more than max_terms = {max_terms})")
    E = monomial_exponents(D, M)                                   # (n, D)
    # powers[n, i, p] = x_ni^p for p = 0..M
    powers = X[:, :, None] ** np.arange(M + 1, dtype=X.dtype)      # (N, D, M+1)
    Phi = np.ones((N, n), dtype=X.dtype)
    for i in range(D):
        Phi *= powers[:, i, E[:, i]]
    return Phi


# --- Gaussian basis on a grid -----------------------------------------------------------

def n_grid_centres(D: int, g: int) -> int:
    """Number of Gaussian basis functions on a regular grid with ``g`` centres per axis: g^D.

    Chapter 1, the curse of dimensionality: exponential in the input dimension D.

    Parameters
    ----------
    D : int
        Number of inputs, D ≥ 0.
    g : int
        Centres per axis, g ≥ 1.

    Returns
    -------
    int
        An exact Python integer (10^D for D > 308 would overflow a float64).
    """
    if D < 0 or g < 1:
        raise ValueError(f"need D ≥ 0 and g ≥ 1; got D={D}, g={g}")
    return int(g) ** int(D)


def grid_centres(D: int, g: int, low: float = -1.0, high: float = 1.0,
                 max_centres: int = 1_000_000) -> np.ndarray:
    """The g^D centres μ_j of a regular grid covering the cube [low, high]^D.

    Parameters
    ----------
    D : int
        Number of inputs.
    g : int
        Centres per axis (evenly spaced from ``low`` to ``high``).
    low, high : float
        The edges of the cube.
    max_centres : int
        Refuse to build more centres than this.

    Returns
    -------
    ndarray, shape (g^D, D)
        Row j is the centre μ_j; the last input varies fastest.
    """
    n = n_grid_centres(D, g)
    if n > max_centres:
        raise ValueError(f"a grid with g = {g} per axis in D = {D} dimensions has {n} centres "
                         f"(more than max_centres = {max_centres})")
    axis = np.linspace(low, high, g)
    mesh = np.meshgrid(*([axis] * D), indexing="ij")
    return np.stack([m.ravel() for m in mesh], axis=1).reshape(n, D)


def gaussian_features(X, centres, width: float) -> np.ndarray:
    """Gaussian basis functions φ_j(x) = exp(−‖x − μ_j‖² / (2 s²)).

    Parameters
    ----------
    X : ndarray, shape (N, D)
    centres : ndarray, shape (M, D)
        The centres μ_j (1-D input: shape (M,) is accepted).
    width : float
        The common width s > 0.

    Returns
    -------
    Phi : ndarray, shape (N, M)
    """
    X = _float(X)
    C = np.asarray(centres, dtype=X.dtype)
    if C.ndim == 1:
        C = C[:, None]
    if C.shape[1] != X.shape[1]:
        raise ValueError(f"centres must have shape (M, D) with D = {X.shape[1]}; got {C.shape}")
    if width <= 0:
        raise ValueError(f"width must be positive; got {width}")
    sq = (np.sum(X * X, axis=1)[:, None] - 2 * X @ C.T + np.sum(C * C, axis=1)[None, :])
    return np.exp(-np.maximum(sq, 0) / (2 * width ** 2))


# --- the linear-in-the-parameters model ---------------------------------------------------

def fit_least_squares(Phi, T, lam: float = 0.0) -> np.ndarray:
    """Weights minimising ½‖Φ w − T‖² + ½λ‖w‖² (regularised least squares).

    Solves (ΦᵀΦ + λI) w = ΦᵀT; with λ = 0 the minimum-norm least-squares solution.

    Parameters
    ----------
    Phi : ndarray, shape (N, M)
        Design matrix Φ_nj = φ_j(x_n).
    T : ndarray, shape (N, K) or (N,)
    lam : float
        λ ≥ 0.

    Returns
    -------
    w : ndarray, shape (M, K) or (M,) (following ``T``), in the floating dtype of ``Phi``
    """
    Phi = _float(Phi, "Phi")
    T = np.asarray(T, dtype=Phi.dtype)
    if lam > 0:
        M = Phi.shape[1]
        return np.linalg.solve(Phi.T @ Phi + lam * np.eye(M), Phi.T @ T)
    return np.linalg.lstsq(Phi, T, rcond=None)[0]


def linear_model(Phi, w, f=None) -> np.ndarray:
    """y(x, w) = f(Σ_j w_j φ_j(x)) for every row of Φ (the Nankai lecture, 前馈网络函数).

    Parameters
    ----------
    Phi : ndarray, shape (N, M)
    w : ndarray, shape (M,) or (M, K)
    f : callable or None
        Output activation; None is the identity (regression).

    Returns
    -------
    ndarray, shape (N,) or (N, K)
    """
    a = np.asarray(Phi) @ np.asarray(w)
    return a if f is None else f(a)


# --- learned features ------------------------------------------------------------------------

def hidden_features(net, X, layer: int = -1) -> np.ndarray:
    """The learned feature map φ(x) of a trained network: the outputs of a hidden layer.

    The DLSys lecture (Nonlinear Features): φ(x) = σ(W₁ᵀ x); the output layer is then a linear
    model h_θ(x) = θᵀ φ(x) on these features. In the package's notation the features of
    hidden layer l are Z^(l) = h(A^(l)).

    Parameters
    ----------
    net : nnbook.networks.MLP
        A network with at least one hidden layer.
    X : ndarray, shape (N, D)
    layer : int
        Which hidden layer: 1..L-1, or negative to count from the last hidden layer (−1).

    Returns
    -------
    Z : ndarray, shape (N, n_layer)
    """
    if net.L < 2:
        raise ValueError("the network has no hidden layer")
    cache = net.forward(X, keep=True)
    hidden = cache.z[1:]                       # Z^(1), ..., Z^(L-1)
    if layer < 0:
        return hidden[layer]
    if not 1 <= layer <= len(hidden):
        raise ValueError(f"layer must be in 1..{len(hidden)} or negative; got {layer}")
    return hidden[layer - 1]
