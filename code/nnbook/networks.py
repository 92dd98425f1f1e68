"""Multilayer perceptrons: the network function and error backpropagation (chapters 3, 10, 11).

Notation of the Nankai and MNIST-lab lectures (chapter 3 bridges to the ECNU and DLSys lectures):

* layer l = 1..L has n_l units; n_0 = D inputs, n_L = K outputs;
* weights ``W[l-1]`` = W^(l), shape (n_l, n_{l-1}), element w_ji from unit i to unit j;
  biases ``b[l-1]`` = b^(l), shape (n_l,);
* net inputs a_j = Σ_i w_ji z_i + b_j and outputs z_j = h(a_j) of hidden units;
  the output units apply the output activation to a^(L): y = σ(a^(L)).

Everything is batch first. With the N samples as the rows of ``X`` (N, D), one layer is

    A^(l) = Z^(l-1) W^(l)ᵀ + b^(l),      Z^(l) = h(A^(l)),      Z^(0) = X,

and backpropagation (the δ recursion of chapter 10, in batch form as in chapter 11) is

    δ^(L) = Y − T                                  (canonical output/error pairs)
    δ^(l) = h'(A^(l)) ⊙ (δ^(l+1) W^(l+1))          (the hidden-unit rule, every row a sample)
    ∂E/∂W^(l) = δ^(l)ᵀ Z^(l-1),   ∂E/∂b^(l) = Σ_n δ_n^(l).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import List, Optional

import numpy as np

from . import activations as _act
from . import losses as _loss

__all__ = ["MLP", "Cache", "Gradients", "LOSS_NAMES"]

#: Output activations by task (the Nankai lecture): regression, binary, K-class.
OUTPUTS = ("identity", "sigmoid", "softmax")
#: Error names and the output activation each is canonically paired with.
LOSS_NAMES = {"sse": "identity", "bce": "sigmoid", "ce": "softmax"}


@dataclass
class Cache:
    """What the forward pass keeps for the backward pass.

    Attributes
    ----------
    a : list of ndarray
        ``a[l-1]`` = A^(l), net inputs of layer l, shape (N, n_l), l = 1..L.
    z : list of ndarray
        ``z[l]`` = Z^(l), outputs of layer l, shape (N, n_l), l = 0..L-1; ``z[0]`` is X.
    y : ndarray
        Network outputs, shape (N, K).
    """

    a: List[np.ndarray]
    z: List[np.ndarray]
    y: np.ndarray

    @property
    def nbytes(self) -> int:
        """Memory held by the cache in bytes (chapter 11: what backprop must keep)."""
        return sum(x.nbytes for x in self.a) + sum(x.nbytes for x in self.z) + self.y.nbytes


@dataclass
class Gradients:
    """∂E/∂(every parameter), in the layout of the network's parameters.

    Attributes
    ----------
    W, b : list of ndarray
        ``W[l-1]`` = ∂E/∂W^(l), shape (n_l, n_{l-1}); ``b[l-1]`` = ∂E/∂b^(l), shape (n_l,).
    W_skip : ndarray or None
        ∂E/∂W_skip, shape (K, D), for skip-layer connections.
    gamma : list of ndarray
        ∂E/∂γ for each PReLU hidden layer (empty when there is none).
    deltas : list of ndarray
        ``deltas[l-1]`` = δ^(l), shape (N, n_l).
    """

    W: List[np.ndarray]
    b: List[np.ndarray]
    W_skip: Optional[np.ndarray] = None
    gamma: List[np.ndarray] = field(default_factory=list)
    deltas: List[np.ndarray] = field(default_factory=list)

    def arrays(self) -> List[np.ndarray]:
        """The gradient arrays in the order of :meth:`MLP.parameters`."""
        out = []
        for dW, db in zip(self.W, self.b):
            out += [dW, db]
        if self.W_skip is not None:
            out.append(self.W_skip)
        return out + list(self.gamma)

    def vector(self) -> np.ndarray:
        """All gradients as one vector ∇E, in the order of :meth:`MLP.get_w`."""
        return np.concatenate([g.ravel() for g in self.arrays()])


class MLP:
    """A multilayer perceptron of any depth and widths.

    Parameters
    ----------
    sizes : sequence of int
        ``[D, n_1, ..., n_{L-1}, K]``: inputs, hidden widths, outputs.
    hidden : str, Activation, or list of them
        Activation h of the hidden layers (one for all, or one per hidden layer).
        ``"prelu"`` gives every unit its own learnable slope γ_j.
    output : {"identity", "sigmoid", "softmax"}
        Output activation chosen by the task (the Nankai lecture).
    loss : {"sse", "bce", "ce"} or None
        Error function; default: the canonical pair of ``output``
        (identity+sse, sigmoid+bce, softmax+ce).
    skip : bool
        Add skip-layer connections from the inputs straight to the outputs (the Nankai lecture).
    init : {"auto", "glorot", "he", "normal"} or float
        Weight initialisation: "glorot" uniform ±√(6/(fan_in+fan_out)), "he" normal with
        variance 2/fan_in, "auto" picks He for ReLU-like units and Glorot otherwise, a float
        s gives N(0, s²). Biases start at 0.
    seed : int or numpy Generator
    dtype : numpy float type, float64 by default (float32 supported)
    """

    def __init__(self, sizes, hidden="tanh", output="identity", loss=None, skip=False,
                 init="auto", seed=0, dtype=np.float64):
        sizes = [int(s) for s in sizes]
        if len(sizes) < 2 or min(sizes) < 1:
            raise ValueError(f"sizes must be [D, n_1, ..., K] with at least two positive entries; got {sizes}")
        if output not in OUTPUTS:
            raise ValueError(f"output must be one of {OUTPUTS}; got {output!r}")
        loss = {v: k for k, v in LOSS_NAMES.items()}[output] if loss is None else loss
        if loss not in LOSS_NAMES:
            raise ValueError(f"loss must be one of {list(LOSS_NAMES)}; got {loss!r}")
        if output == "identity" and loss in ("bce", "ce"):
            raise ValueError(f"the {loss!r} error needs probabilities: pair it with a sigmoid or softmax "
                             "output, not an identity output")
        self.sizes, self.output, self.loss_name, self.skip = sizes, output, loss, bool(skip)
        self.dtype = np.dtype(dtype)
        L = self.L
        hidden = list(hidden) if isinstance(hidden, (list, tuple)) else [hidden] * (L - 1)
        if len(hidden) != L - 1:
            raise ValueError(f"give one hidden activation or one per hidden layer ({L - 1}); got {len(hidden)}")
        self.h = [self._make_activation(spec, n) for spec, n in zip(hidden, sizes[1:-1])]
        rng = seed if isinstance(seed, np.random.Generator) else np.random.default_rng(seed)
        self.W, self.b = [], []
        for l in range(1, L + 1):
            fan_in, fan_out = sizes[l - 1], sizes[l]
            relu_like = l < L and self.h[l - 1].name in ("relu", "leaky_relu", "prelu", "elu")
            self.W.append(self._init_matrix(rng, init, fan_in, fan_out, relu_like))
            self.b.append(np.zeros(fan_out, dtype=self.dtype))
        self.W_skip = (self._init_matrix(rng, init, sizes[0], sizes[-1], False) if self.skip else None)

    # --- construction helpers ----------------------------------------------------------
    def _make_activation(self, spec, n):
        if isinstance(spec, str) and spec.lower() == "prelu":
            return _act.PReLU(np.full(n, 0.25, dtype=self.dtype))
        if isinstance(spec, _act.PReLU):
            return _act.PReLU(np.broadcast_to(spec.gamma, (n,)).astype(self.dtype))
        return _act.get(spec)

    def _init_matrix(self, rng, init, fan_in, fan_out, relu_like):
        if init == "auto":
            init = "he" if relu_like else "glorot"
        if init == "glorot":
            r = np.sqrt(6.0 / (fan_in + fan_out))
            W = rng.uniform(-r, r, size=(fan_out, fan_in))
        elif init == "he":
            W = rng.standard_normal((fan_out, fan_in)) * np.sqrt(2.0 / fan_in)
        elif init == "normal":
            W = rng.standard_normal((fan_out, fan_in))
        elif isinstance(init, (int, float)):
            W = rng.standard_normal((fan_out, fan_in)) * float(init)
        else:
            raise ValueError(f"init must be 'auto', 'glorot', 'he', 'normal' or a float; got {init!r}")
        return W.astype(self.dtype)

    # --- shape facts -------------------------------------------------------------------
    @property
    def L(self) -> int:
        """Number of layers of weights (the lectures' L)."""
        return len(self.sizes) - 1

    @property
    def n_params(self) -> int:
        """W, the total number of adaptive parameters (weights, biases, PReLU slopes)."""
        return sum(p.size for p in self.parameters())

    def __repr__(self):
        hs = ",".join(h.name for h in self.h) or "-"
        return (f"MLP(sizes={self.sizes}, hidden={hs}, output={self.output}, loss={self.loss_name}"
                f"{', skip' if self.skip else ''}, dtype={self.dtype.name}, W={self.n_params})")

    # --- parameters as one vector w ---------------------------------------------------------
    def parameters(self) -> List[np.ndarray]:
        """The parameter arrays in a fixed order: W^(1), b^(1), ..., W^(L), b^(L), [W_skip], [γ]."""
        out = []
        for W, b in zip(self.W, self.b):
            out += [W, b]
        if self.skip:
            out.append(self.W_skip)
        return out + [h.gamma for h in self.h if isinstance(h, _act.PReLU)]

    def parameter_names(self) -> List[str]:
        """The names of :meth:`parameters`, in the same order: ``W1, b1, ..., WL, bL``, then
        ``W_skip`` and ``gamma<l>`` for the PReLU slopes γ of hidden layer l.

        The one naming of the package: the per-layer gradient checks, the Hessian's blocks,
        the autodiff tensors and the lab's saved weights all use it.

        Examples
        --------
        >>> MLP([2, 3, 1], hidden="prelu", skip=True).parameter_names()
        ['W1', 'b1', 'W2', 'b2', 'W_skip', 'gamma1']
        """
        names = [f"{kind}{l}" for l in range(1, self.L + 1) for kind in ("W", "b")]
        names += ["W_skip"] if self.skip else []
        return names + [f"gamma{l}" for l, h in enumerate(self.h, start=1) if isinstance(h, _act.PReLU)]

    def weights(self) -> List[np.ndarray]:
        """The weight matrices that weight decay ½λ‖W‖² acts on: every W^(l) and W_skip, not biases."""
        return self.W + ([self.W_skip] if self.skip else [])

    def get_w(self) -> np.ndarray:
        """All parameters as one vector w (a copy), shape (n_params,)."""
        return np.concatenate([p.ravel() for p in self.parameters()]).astype(self.dtype, copy=False)

    def set_w(self, w) -> "MLP":
        """Load the parameters from one vector w of shape (n_params,); returns self."""
        w = np.asarray(w)
        if w.shape != (self.n_params,):
            raise ValueError(f"w must have shape ({self.n_params},); got {w.shape}")
        i = 0
        for p in self.parameters():
            p[...] = w[i:i + p.size].reshape(p.shape)
            i += p.size
        return self

    def copy(self) -> "MLP":
        """An independent copy of the network."""
        new = object.__new__(type(self))
        new.__dict__.update(self.__dict__)
        new.W = [W.copy() for W in self.W]
        new.b = [b.copy() for b in self.b]
        new.W_skip = None if self.W_skip is None else self.W_skip.copy()
        new.h = [_act.PReLU(h.gamma.copy()) if isinstance(h, _act.PReLU) else h for h in self.h]
        return new

    # --- forward propagation -----------------------------------------------------------
    def _check_X(self, X):
        X = np.asarray(X)
        if X.ndim == 1 and self.sizes[0] == 1:
            X = X[:, None]
        if X.ndim != 2 or X.shape[1] != self.sizes[0]:
            raise ValueError(f"X must have shape (N, D) = (N, {self.sizes[0]}); got {X.shape}")
        return X.astype(self.dtype, copy=False)

    def output_activation(self, A):
        """y = σ(a^(L)): identity, logistic sigmoid, or softmax over each row."""
        if self.output == "softmax":
            return _loss.softmax(A)
        if self.output == "sigmoid":
            return _act.sigmoid().h(A)
        return A

    def forward(self, X, keep: bool = False):
        """Propagate the inputs forward through the network.

        Parameters
        ----------
        X : ndarray, shape (N, D)
        keep : bool
            If True return the :class:`Cache` of every A^(l) and Z^(l) (for backprop).

        Returns
        -------
        Y : ndarray, shape (N, K), or the Cache if ``keep``.
        """
        X = self._check_X(X)
        a, z = [], [X]
        for l in range(1, self.L + 1):
            A = z[-1] @ self.W[l - 1].T + self.b[l - 1]          # A^(l) = Z^(l-1) W^(l)ᵀ + b^(l)
            if l == self.L and self.skip:
                A = A + X @ self.W_skip.T                           # skip-layer connections
            a.append(A)
            if l < self.L:
                z.append(self.h[l - 1].h(A))                       # Z^(l) = h(A^(l))
        Y = self.output_activation(a[-1])
        return Cache(a, z, Y) if keep else Y

    __call__ = forward

    # --- the error -------------------------------------------------------------------------
    def _targets(self, T, N):
        T = np.asarray(T)
        K = self.sizes[-1]
        labels = self.output == "softmax" and T.ndim == 1 and np.issubdtype(T.dtype, np.integer)
        if labels and T.shape == (N,):
            T = _loss.one_hot(T, K, dtype=self.dtype)
        elif T.ndim == 1 and K == 1 and T.shape == (N,):
            T = T[:, None]
        if T.shape != (N, K):
            raise ValueError(f"T must have shape (N, K) = ({N}, {K})"
                             f"{f' or integer labels (N,) = ({N},)' if self.output == 'softmax' else ''}; "
                             f"got {T.shape}")
        return T.astype(self.dtype, copy=False)

    def error_from_cache(self, cache: Cache, T, reduction="sum", l2=0.0):
        """The error E of the outputs in ``cache`` against targets ``T`` (+ ½λ‖W‖²)."""
        if reduction not in ("sum", "mean"):
            raise ValueError(f"reduction must be 'sum' or 'mean'; got {reduction!r}")
        T = self._targets(T, cache.y.shape[0])
        A = cache.a[-1]
        if self.loss_name == "ce" and self.output == "softmax":
            E = _loss.softmax_cross_entropy(A, T, reduction)          # from logits: stable
        elif self.loss_name == "bce" and self.output == "sigmoid":
            E = _loss.binary_cross_entropy_with_logits(A, T, reduction)
        elif self.loss_name == "ce":
            E = _loss.cross_entropy(cache.y, T, reduction)
        elif self.loss_name == "bce":
            E = _loss.binary_cross_entropy(cache.y, T, reduction)
        else:
            E = _loss.sum_of_squares(cache.y, T, reduction)
        return float(E) + (_loss.l2_penalty(self.weights(), l2) if l2 else 0.0)

    def error(self, X, T, reduction="sum", l2=0.0) -> float:
        """E(w) on the batch (X, T): Σ_n E_n (or the mean), plus ½λ‖W‖² if l2 = λ > 0."""
        return self.error_from_cache(self.forward(X, keep=True), T, reduction, l2)

    # --- backpropagation -------------------------------------------------------------------
    def output_deltas(self, cache: Cache, T):
        """δ^(L) = ∂E_n/∂a^(L) for every sample, shape (N, K).

        For the canonical pairs this is y − t (chapter 12). Other pairs use the chain rule
        through the output activation: δ = σ'(a) ⊙ ∂E/∂y, or for softmax the Jacobian
        product δ_k = y_k (g_k − Σ_j y_j g_j) with g = ∂E/∂y.
        """
        Y = cache.y
        T = self._targets(T, Y.shape[0])
        if LOSS_NAMES[self.loss_name] == self.output:
            return Y - T
        if self.loss_name == "sse":
            g = Y - T
        elif self.loss_name == "bce":
            eps = np.finfo(self.dtype).eps
            Yc = np.clip(Y, eps, 1 - eps)
            g = (Yc - T) / (Yc * (1 - Yc))
        else:
            g = -T / np.maximum(Y, np.finfo(self.dtype).tiny)
        if self.output == "identity":
            return g
        if self.output == "sigmoid":
            return g * Y * (1 - Y)
        return Y * (g - np.sum(Y * g, axis=1, keepdims=True))

    def backward(self, cache: Cache, T, reduction="sum", l2=0.0) -> Gradients:
        """Error backpropagation in batch form: the four steps of chapter 10.

        1. (forward pass: ``cache`` holds every A^(l) and Z^(l))
        2. output deltas  δ^(L) = Y − T
        3. backpropagate  δ^(l) = h'(A^(l)) ⊙ (δ^(l+1) W^(l+1))
        4. derivatives    ∂E/∂W^(l) = δ^(l)ᵀ Z^(l-1),  ∂E/∂b^(l) = Σ_n δ^(l)_n  (+ λW^(l))

        Parameters
        ----------
        cache : Cache
            From ``forward(X, keep=True)``.
        T : ndarray, shape (N, K) (or integer labels (N,) for softmax)
        reduction : {"sum", "mean"}
            E = Σ_n E_n or (1/N) Σ_n E_n.
        l2 : float
            λ of the weight-decay term ½λ‖W‖² (weights only, not biases).
        """
        N = cache.y.shape[0]
        delta = self.output_deltas(cache, T)                     # step 2
        if reduction == "mean":
            delta = delta / N
        elif reduction != "sum":
            raise ValueError(f"reduction must be 'sum' or 'mean'; got {reduction!r}")
        deltas = [None] * self.L
        dW, db, dgamma = [None] * self.L, [None] * self.L, []
        deltas[-1] = delta
        for l in range(self.L, 0, -1):                          # step 3, from the outputs back
            dW[l - 1] = delta.T @ cache.z[l - 1]                # step 4
            db[l - 1] = delta.sum(axis=0)
            if l2:
                dW[l - 1] = dW[l - 1] + l2 * self.W[l - 1]
            if l > 1:
                h = self.h[l - 2]
                dE_dz = delta @ self.W[l - 1]                   # Σ_k w_kj δ_k
                if isinstance(h, _act.PReLU):
                    dgamma.insert(0, h.grad_gamma(cache.a[l - 2], dE_dz))
                delta = h.dh(cache.a[l - 2]) * dE_dz            # δ_j = h'(a_j) Σ_k w_kj δ_k
                deltas[l - 2] = delta
        dW_skip = None
        if self.skip:
            dW_skip = deltas[-1].T @ cache.z[0]
            if l2:
                dW_skip = dW_skip + l2 * self.W_skip
        return Gradients(dW, db, dW_skip, dgamma, deltas)

    def gradient(self, X, T, reduction="sum", l2=0.0):
        """E and ∇E on the batch (X, T) by one forward and one backward pass.

        Returns
        -------
        E : float
        grads : Gradients
        """
        cache = self.forward(X, keep=True)
        return self.error_from_cache(cache, T, reduction, l2), self.backward(cache, T, reduction, l2)

    # --- functions of the parameter vector (for gradient checks and the Hessian) --------------
    def error_of_w(self, w, X, T, reduction="sum", l2=0.0) -> float:
        """E as a function of the parameter vector w (the network's own w is left unchanged)."""
        return self.copy().set_w(w).error(X, T, reduction, l2)

    def gradient_of_w(self, w, X, T, reduction="sum", l2=0.0) -> np.ndarray:
        """∇E as a vector, as a function of the parameter vector w."""
        return self.copy().set_w(w).gradient(X, T, reduction, l2)[1].vector()

    def predict(self, X) -> np.ndarray:
        """Class labels: argmax for softmax, y > 0.5 for sigmoid; shape (N,) or (N, K)."""
        Y = self.forward(X)
        if self.output == "softmax":
            return Y.argmax(axis=1)
        if self.output == "sigmoid":
            return (Y > 0.5).astype(int)
        return Y
