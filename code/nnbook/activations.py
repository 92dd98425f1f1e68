"""Activation functions h(a) and their derivatives (chapter 2).

Every activation is an :class:`Activation` with

* ``h(a)``     -- the value z = h(a), elementwise;
* ``dh(a)``    -- the first derivative h'(a), elementwise;
* ``d2h(a)``   -- the second derivative h''(a), where the Hessian chapter needs it.

All functions take arrays of any shape (batch first: ``a`` is ``(N, n_l)`` inside a
network), keep the dtype of a floating input, and are numerically stable for large
|a| (no overflow warnings at a = ±1000).

The names follow the lectures: ``a`` is a unit's net input (激活值 before the
nonlinearity, the Nankai lecture), ``z = h(a)`` its output. The ECNU lecture writes the same
quantities as ``z`` and ``a = f(z)``; chapter 3 explains the bridge.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable, Optional

import numpy as np

__all__ = [
    "Activation", "PReLU",
    "sigmoid", "tanh", "relu", "leaky_relu", "elu", "softplus", "swish", "identity",
    "get", "names", "ACTIVATIONS",
]


def _float(a):
    """Return ``a`` as a floating array (float64 unless it already is a float type)."""
    a = np.asarray(a)
    if not np.issubdtype(a.dtype, np.floating):
        a = a.astype(np.float64)
    return a


# --- the elementary, stable formulas -------------------------------------------------

def _sigmoid(a):
    """σ(a) = 1 / (1 + e^{-a}), evaluated without overflow for any a."""
    a = _float(a)
    e = np.exp(-np.abs(a))                    # in (0, 1], never overflows
    return np.where(a >= 0, 1.0 / (1.0 + e), e / (1.0 + e)).astype(a.dtype, copy=False)


def _softplus(a):
    """ln(1 + e^a) = max(a, 0) + ln(1 + e^{-|a|}), stable for any a."""
    a = _float(a)
    return (np.maximum(a, 0) + np.log1p(np.exp(-np.abs(a)))).astype(a.dtype, copy=False)


@dataclass(frozen=True)
class Activation:
    """An elementwise activation function h with its derivatives.

    Parameters
    ----------
    name : str
        Name used in the lectures' derivative table.
    h, dh : callable
        ``h(a)`` and ``h'(a)``; arrays of any shape in, same shape out.
    d2h : callable or None
        ``h''(a)``, or None where the book does not need it.
    chinese : str
        The lecture's Chinese term.
    params : dict
        Hyper-parameters (γ of LeakyReLU/ELU, β of swish) for display.
    """

    name: str
    h: Callable[[np.ndarray], np.ndarray]
    dh: Callable[[np.ndarray], np.ndarray]
    d2h: Optional[Callable[[np.ndarray], np.ndarray]] = None
    chinese: str = ""
    params: dict = field(default_factory=dict)

    def __call__(self, a):
        return self.h(a)

    def __repr__(self):
        p = ", ".join(f"{k}={v}" for k, v in self.params.items())
        return f"Activation({self.name}{', ' + p if p else ''})"

    @property
    def has_second_derivative(self) -> bool:
        return self.d2h is not None


def sigmoid() -> Activation:
    """Logistic sigmoid σ(a) = 1/(1+e^{-a}); σ' = σ(1-σ); σ'' = σ'(1-2σ)."""
    def dh(a):
        a = _float(a)
        return _sigmoid(a) * _sigmoid(-a)          # = σ(1 − σ), accurate for large |a| too

    def d2h(a):
        a = _float(a)
        return _sigmoid(a) * _sigmoid(-a) * (1 - 2 * _sigmoid(a))
    return Activation("sigmoid", _sigmoid, dh, d2h, chinese="Logistic 函数")


def tanh() -> Activation:
    """Hyperbolic tangent; tanh' = 1 - tanh²; tanh'' = -2 tanh (1 - tanh²)."""
    def h(a):
        return np.tanh(_float(a))

    def dh(a):
        t = np.tanh(_float(a))
        return 1 - t * t

    def d2h(a):
        t = np.tanh(_float(a))
        return -2 * t * (1 - t * t)
    return Activation("tanh", h, dh, d2h, chinese="Tanh 函数")


def relu() -> Activation:
    """Rectified linear unit max(0, a); derivative 1 for a > 0, 0 otherwise (0 at a = 0)."""
    def h(a):
        a = _float(a)
        return np.maximum(a, 0)

    def dh(a):
        a = _float(a)
        return (a > 0).astype(a.dtype)

    def d2h(a):
        return np.zeros_like(_float(a))
    return Activation("relu", h, dh, d2h, chinese="ReLU")


def leaky_relu(gamma: float = 0.01) -> Activation:
    """LeakyReLU: a for a > 0, γa otherwise; derivative 1 or γ."""
    def h(a):
        a = _float(a)
        return np.where(a > 0, a, gamma * a).astype(a.dtype, copy=False)

    def dh(a):
        a = _float(a)
        return np.where(a > 0, 1.0, gamma).astype(a.dtype)

    def d2h(a):
        return np.zeros_like(_float(a))
    return Activation("leaky_relu", h, dh, d2h, chinese="LeakyReLU",
                      params={"gamma": gamma})


def elu(gamma: float = 1.0) -> Activation:
    """ELU: a for a > 0, γ(e^a − 1) otherwise; derivative 1 or γe^a."""
    def h(a):
        a = _float(a)
        return np.where(a > 0, a, gamma * np.expm1(np.minimum(a, 0))).astype(a.dtype, copy=False)

    def dh(a):
        a = _float(a)
        return np.where(a > 0, 1.0, gamma * np.exp(np.minimum(a, 0))).astype(a.dtype)

    def d2h(a):
        a = _float(a)
        return np.where(a > 0, 0.0, gamma * np.exp(np.minimum(a, 0))).astype(a.dtype)
    return Activation("elu", h, dh, d2h, chinese="ELU", params={"gamma": gamma})


def softplus() -> Activation:
    """Softplus ln(1 + e^a); derivative σ(a); second derivative σ(a)(1 − σ(a))."""
    def d2h(a):
        a = _float(a)
        return _sigmoid(a) * _sigmoid(-a)
    return Activation("softplus", _softplus, _sigmoid, d2h, chinese="SoftPlus 函数")


def swish(beta: float = 1.0) -> Activation:
    """Swish a·σ(βa); derivative σ(βa) + βa σ(βa)(1 − σ(βa))."""
    def h(a):
        a = _float(a)
        return a * _sigmoid(beta * a)

    def dh(a):
        a = _float(a)
        s, s_minus = _sigmoid(beta * a), _sigmoid(-beta * a)      # σ(βa), 1 − σ(βa)
        return s + beta * a * s * s_minus

    def d2h(a):
        a = _float(a)
        s, s_minus = _sigmoid(beta * a), _sigmoid(-beta * a)
        ds = beta * s * s_minus                      # d/da σ(βa)
        return 2 * ds + beta * a * ds * (1 - 2 * s)
    return Activation("swish", h, dh, d2h, chinese="Swish函数", params={"beta": beta})


def identity() -> Activation:
    """Identity h(a) = a (linear units); derivative 1, second derivative 0."""
    def h(a):
        return _float(a)

    def dh(a):
        return np.ones_like(_float(a))

    def d2h(a):
        return np.zeros_like(_float(a))
    return Activation("identity", h, dh, d2h, chinese="恒等函数")


class PReLU:
    """Parametric ReLU with a learnable slope γ_j per unit (chapter 2).

    ``h(a)_nj = a_nj`` for a_nj > 0 and ``γ_j a_nj`` otherwise.

    Parameters
    ----------
    gamma : array_like, shape (n_l,)
        One slope per unit of the layer.
    """

    name = "prelu"
    chinese = "PReLU"
    has_second_derivative = True

    def __init__(self, gamma):
        gamma = np.array(gamma, ndmin=1)
        self.gamma = gamma if np.issubdtype(gamma.dtype, np.floating) else gamma.astype(np.float64)

    @property
    def params(self):
        return {"gamma": self.gamma}

    def __repr__(self):
        return f"PReLU(gamma={self.gamma!r})"

    def h(self, a):
        a = _float(a)
        return np.where(a > 0, a, self.gamma.astype(a.dtype) * a)

    __call__ = h

    def dh(self, a):
        """∂h/∂a, shape of ``a``: 1 where a > 0, γ_j otherwise."""
        a = _float(a)
        return np.where(a > 0, 1.0, self.gamma.astype(a.dtype)).astype(a.dtype)

    def d2h(self, a):
        return np.zeros_like(_float(a))

    def dh_dgamma(self, a):
        """∂h(a_nj)/∂γ_j, shape of ``a``: a_nj where a_nj ≤ 0, else 0."""
        a = _float(a)
        return np.where(a > 0, 0.0, a).astype(a.dtype)

    def grad_gamma(self, a, dE_dz):
        """∂E/∂γ_j = Σ_n (∂E/∂z_nj) (∂z_nj/∂γ_j).

        Parameters
        ----------
        a : ndarray, shape (N, n_l)
            Net inputs of the layer.
        dE_dz : ndarray, shape (N, n_l)
            Derivative of the error with respect to the layer's outputs z = h(a).

        Returns
        -------
        ndarray, shape (n_l,)
        """
        return np.sum(dE_dz * self.dh_dgamma(a), axis=0)


ACTIVATIONS = {
    "sigmoid": sigmoid,
    "tanh": tanh,
    "relu": relu,
    "leaky_relu": leaky_relu,
    "prelu": lambda gamma=0.25: PReLU(gamma),
    "elu": elu,
    "softplus": softplus,
    "swish": swish,
    "identity": identity,
}


def names():
    """The nine activation names, in the order of the lectures' table."""
    return list(ACTIVATIONS)


def get(spec, **params):
    """Return an activation from a name, or pass an Activation/PReLU through.

    >>> get("tanh").dh(0.0)
    array(1.)
    """
    if isinstance(spec, (Activation, PReLU)):
        return spec
    if isinstance(spec, str):
        key = spec.lower().replace("-", "_")
        if key not in ACTIVATIONS:
            raise ValueError(f"unknown activation {spec!r}; choose one of {names()}")
        return ACTIVATIONS[key](**params)
    raise TypeError(f"activation must be a name or an Activation, got {type(spec).__name__}")
