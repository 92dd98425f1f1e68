"""Mini-batch gradient descent for the lab network, in place (chapter 17, the MNIST-lab lecture).

The network of the lab is x → a⁽¹⁾ → z⁽¹⁾ → a⁽²⁾ → z⁽²⁾ → a⁽³⁾ → y with ReLU hidden units
f(a) = max(0, a), softmax outputs and the cross-entropy with L2 weight decay

    E_total = (1/N) Σ_n E_n + (λ/2) Σ_l ‖W⁽ˡ⁾‖²,      E_n = −Σ_k t_k ln y_k,

(biases are not decayed). In the batch-first form of :mod:`nnbook.networks` (the rows of
``X`` are the N samples, ``W[l-1]`` = W⁽ˡ⁾ has shape (n_l, n_{l-1})) the MNIST-lab lecture's steps are

    A⁽ˡ⁾ = Z⁽ˡ⁻¹⁾ W⁽ˡ⁾ᵀ + b⁽ˡ⁾,   Z⁽ˡ⁾ = f(A⁽ˡ⁾),   Z⁽⁰⁾ = X,   Y = softmax(A⁽ᴸ⁾)
    δ⁽ᴸ⁾ = (Y − T) / N                                   (softmax + cross-entropy; 1/N of the mean)
    ∂E/∂W⁽ˡ⁾ = δ⁽ˡ⁾ᵀ Z⁽ˡ⁻¹⁾ + λ W⁽ˡ⁾,   ∂E/∂b⁽ˡ⁾ = Σ_n δ⁽ˡ⁾_n
    δ⁽ˡ⁻¹⁾ = (δ⁽ˡ⁾ W⁽ˡ⁾) ⊙ f′(A⁽ˡ⁻¹⁾),   f′ = 1 where a > 0, else 0
    W⁽ˡ⁾ ← W⁽ˡ⁾ − η ∂E/∂W⁽ˡ⁾,   b⁽ˡ⁾ ← b⁽ˡ⁾ − η ∂E/∂b⁽ˡ⁾

The lecture writes f′(z⁽ˡ⁾); for ReLU f′(a) = 1[a > 0]. The forward pass computes this mask
once (as booleans), applies it (z = a·f′(a) = max(0, a)) and keeps it for the backward pass,
so A need not be kept. The MNIST-lab lecture writes the update with the transposes of its own
layout, W ← W − η z⁽ˡ⁻¹⁾ᵀ δ⁽ˡ⁾ − ηλW; here W⁽ˡ⁾ is (n_l, n_{l-1}) as in the Nankai lecture, so the
same product is δ⁽ˡ⁾ᵀ Z⁽ˡ⁻¹⁾ (chapter 3 shows both layouts side by side).

:class:`MiniBatchSGD` does exactly this on the arrays of an :class:`nnbook.networks.MLP`
(``hidden="relu"``, ``output="softmax"``), updating them in place. It avoids temporary
arrays: every product is written by ``np.matmul(..., out=...)`` into buffers allocated once
per batch size, ReLU and softmax work in place, and each W⁽ˡ⁾ is updated as soon as δ⁽ˡ⁻¹⁾,
which needs the old W⁽ˡ⁾, has been computed. A step carries ηδ through the backward pass
(all of it is linear in δ⁽ᴸ⁾), so the products give η ∂E/∂W⁽ˡ⁾ at once and the update
W⁽ˡ⁾ ← (1 − ηλ) W⁽ˡ⁾ − η δ⁽ˡ⁾ᵀ Z⁽ˡ⁻¹⁾ takes two passes over W⁽ˡ⁾. Sums are written as products
with a vector of ones (Σ_n δ⁽ˡ⁾_n = 1ᵀ δ⁽ˡ⁾, Σ_k e_nk = e_n 1), which BLAS computes faster
than numpy's reduction along an axis. The result equals
``MLP.gradient(X, T, reduction="mean", l2=λ)`` to round-off (tests/lab).
"""

from __future__ import annotations

from typing import Dict, Optional, Tuple

import numpy as np

from ..networks import MLP

__all__ = ["MiniBatchSGD", "Buffers"]


class Buffers:
    """Arrays for one batch size N, allocated once and reused for every batch of that size.

    Attributes
    ----------
    X : ndarray, shape (N, D)
        The batch's inputs, gathered from the training set.
    Z : list of ndarray
        ``Z[l-1]``, shape (N, n_l): first A⁽ˡ⁾, then in place Z⁽ˡ⁾ = f(A⁽ˡ⁾); the last one holds
        A⁽ᴸ⁾, then Y = softmax(A⁽ᴸ⁾), then δ⁽ᴸ⁾ = (Y − T)/N.
    delta : list of ndarray
        ``delta[l-1]`` = δ⁽ˡ⁾ of the hidden layers l = 1..L-1, shape (N, n_l).
    mask : list of ndarray of bool
        ``mask[l-1]`` = f′(A⁽ˡ⁾) = 1[A⁽ˡ⁾ > 0] of the hidden layers, shape (N, n_l): set by the
        forward pass (which applies it: Z⁽ˡ⁾ = A⁽ˡ⁾ ⊙ f′(A⁽ˡ⁾) = max(0, A⁽ˡ⁾)) and reused by
        the backward pass.
    rows : ndarray of intp, shape (N,)
        0..N-1, for picking y_{n, t_n}.
    """

    def __init__(self, sizes, N: int, dtype):
        self.N = N
        self.X = np.empty((N, sizes[0]), dtype)
        self.Z = [np.empty((N, n), dtype) for n in sizes[1:]]
        self.delta = [np.empty((N, n), dtype) for n in sizes[1:-1]]
        self.mask = [np.empty((N, n), bool) for n in sizes[1:-1]]
        self.rows = np.arange(N)
        self.rowmax = np.empty((N, 1), dtype)
        self.rowsum = np.empty(N, dtype)
        self.ones = np.ones(N, dtype)                       # 1 (N,): Σ_n δ_n = 1ᵀ δ
        self.ones_K = np.ones(sizes[-1], dtype)             # 1 (K,): Σ_k e_nk = e 1

    @property
    def nbytes(self) -> int:
        arrays = [self.X, self.rowmax, self.rowsum, self.ones, self.ones_K] + self.Z + self.delta + self.mask
        return sum(a.nbytes for a in arrays)


class MiniBatchSGD:
    """Mini-batch gradient descent on an MLP with ReLU hidden layers and softmax outputs.

    Parameters
    ----------
    net : nnbook.networks.MLP
        ``hidden="relu"`` (any number of hidden layers), ``output="softmax"``, loss ``"ce"``,
        no skip-layer connections. Its arrays ``net.W[l-1]`` = W⁽ˡ⁾ (n_l, n_{l-1}) and
        ``net.b[l-1]`` = b⁽ˡ⁾ (n_l,) are updated in place.

    Notes
    -----
    The dtype is the network's (float32 for speed, float64 for checks). Inputs are cast
    to it when they are copied into the batch buffer.
    """

    def __init__(self, net: MLP):
        if net.output != "softmax" or net.loss_name != "ce":
            raise ValueError(f"MiniBatchSGD needs softmax outputs with cross-entropy; got {net!r}")
        if any(h.name != "relu" for h in net.h):
            raise ValueError(f"MiniBatchSGD needs ReLU hidden units; got {[h.name for h in net.h]}")
        if net.skip:
            raise ValueError("MiniBatchSGD does not support skip-layer connections")
        self.net = net
        self.dtype = net.dtype
        self.sizes = list(net.sizes)
        self.L = net.L
        # ∂E/∂W⁽ˡ⁾ and ∂E/∂b⁽ˡ⁾, shapes of W⁽ˡ⁾ and b⁽ˡ⁾ (one set, reused by every batch;
        # after a step they hold η times the data term of the gradient)
        self.dW = [np.empty_like(W) for W in net.W]
        self.db = [np.empty_like(b) for b in net.b]
        self._buffers: Dict[int, Buffers] = {}

    def buffers(self, N: int) -> Buffers:
        """The :class:`Buffers` of batch size N (allocated on first use)."""
        if N not in self._buffers:
            self._buffers[N] = Buffers(self.sizes, N, self.dtype)
        return self._buffers[N]

    # --- forward propagation ----------------------------------------------------------------
    def _forward(self, buf: Buffers, X) -> np.ndarray:
        """Y = softmax(A⁽ᴸ⁾) for the rows of X, computed into ``buf.Z``; returns Y (N, K)."""
        W, b = self.net.W, self.net.b
        Z_prev = X                                          # Z⁽⁰⁾ = X
        for l in range(1, self.L + 1):
            A = buf.Z[l - 1]
            np.matmul(Z_prev, W[l - 1].T, out=A)            # A⁽ˡ⁾ = Z⁽ˡ⁻¹⁾ W⁽ˡ⁾ᵀ
            A += b[l - 1]                                   #       + b⁽ˡ⁾
            if l < self.L:
                mask = buf.mask[l - 1]
                np.greater(A, 0, out=mask)                  # f′(a⁽ˡ⁾) = 1 if a⁽ˡ⁾ > 0 else 0
                A *= mask                                   # Z⁽ˡ⁾ = f(A⁽ˡ⁾) = a⁽ˡ⁾ f′(a⁽ˡ⁾) = max(0, a⁽ˡ⁾)
            Z_prev = A
        Y = buf.Z[-1]
        np.max(Y, axis=1, keepdims=True, out=buf.rowmax)    # m_n = max_k a_nk  (no overflow in exp)
        Y -= buf.rowmax                                     # a_nk − m_n
        np.exp(Y, out=Y)                                    # e^{a_nk − m_n}
        np.matmul(Y, buf.ones_K, out=buf.rowsum)            # Σ_k e^{a_nk − m_n}  (a product with 1)
        Y /= buf.rowsum[:, None]                            # y_nk = e^{a_nk} / Σ_k e^{a_nk}
        return Y

    def probabilities(self, X, batch_size: int = 2000) -> np.ndarray:
        """y(x_n, w) for every row of X, shape (N, K), in chunks of ``batch_size`` rows."""
        X = np.asarray(X)
        out = np.empty((X.shape[0], self.sizes[-1]), self.dtype)
        for s in range(0, X.shape[0], batch_size):
            chunk = X[s:s + batch_size]
            buf = self.buffers(chunk.shape[0])
            np.copyto(buf.X, chunk, casting="same_kind")
            out[s:s + chunk.shape[0]] = self._forward(buf, buf.X)
        return out

    def predict(self, X, batch_size: int = 2000) -> np.ndarray:
        """Class labels argmax_k y_k(x_n), shape (N,)."""
        return self.probabilities(X, batch_size).argmax(axis=1)

    # --- one batch: forward, backward, (update) ---------------------------------------------------
    def _batch(self, buf: Buffers, t, lam: float, eta: Optional[float]) -> Tuple[float, int]:
        """Forward and backward pass on ``buf.X`` with labels ``t``; update W, b if ``eta``.

        Returns (mean cross-entropy (1/N) Σ_n E_n of the batch, number of misclassified rows).
        """
        W, b, dW, db = self.net.W, self.net.b, self.dW, self.db
        N, X = buf.N, buf.X
        Y = self._forward(buf, X)
        wrong = int(np.count_nonzero(Y.argmax(axis=1) != t))
        y_t = Y[buf.rows, t]                                # y_{n, t_n}
        E = -float(np.add.reduce(np.log(np.maximum(y_t, np.finfo(self.dtype).tiny)))) / N  # (1/N) Σ_n −ln y_{n,t_n}
        # With a step (η given) the backward pass carries ηδ instead of δ: every δ⁽ˡ⁾ and every
        # gradient below is linear in δ⁽ᴸ⁾, so the products then give η ∂E/∂W⁽ˡ⁾ directly and
        # the update needs no extra pass over W⁽ˡ⁾ to multiply by η.
        scale = 1.0 if eta is None else eta
        delta = Y                                           # (the buffer of Y becomes δ⁽ᴸ⁾)
        delta[buf.rows, t] -= 1                             # δ⁽ᴸ⁾ = y − t  (t one-hot)
        delta *= self.dtype.type(scale / N)                 # (η) δ⁽ᴸ⁾ of E = (1/N) Σ_n E_n
        for l in range(self.L, 0, -1):
            Z_prev = X if l == 1 else buf.Z[l - 2]          # Z⁽ˡ⁻¹⁾
            np.matmul(delta.T, Z_prev, out=dW[l - 1])       # (η) ∂E/∂W⁽ˡ⁾ = (η) δ⁽ˡ⁾ᵀ Z⁽ˡ⁻¹⁾
            np.matmul(buf.ones, delta, out=db[l - 1])       # (η) ∂E/∂b⁽ˡ⁾ = (η) Σ_n δ⁽ˡ⁾_n = 1ᵀ δ⁽ˡ⁾
            if l > 1:
                delta_prev = buf.delta[l - 2]
                np.matmul(delta, W[l - 1], out=delta_prev)  # δ⁽ˡ⁾ W⁽ˡ⁾  (the old W⁽ˡ⁾)
                delta_prev *= buf.mask[l - 2]               # δ⁽ˡ⁻¹⁾ = (δ⁽ˡ⁾ W⁽ˡ⁾) ⊙ f′(a⁽ˡ⁻¹⁾)  (mask of the forward pass)
            if eta is None:                                 # gradient only (for checks)
                if lam:
                    dW[l - 1] += lam * W[l - 1]             # ∂E_total/∂W⁽ˡ⁾ = δ⁽ˡ⁾ᵀ Z⁽ˡ⁻¹⁾ + λW⁽ˡ⁾
            else:                                           # W⁽ˡ⁾ − η(δ⁽ˡ⁾ᵀZ⁽ˡ⁻¹⁾ + λW⁽ˡ⁾):
                if lam:
                    W[l - 1] *= self.dtype.type(1.0 - eta * lam)   # W⁽ˡ⁾ ← (1 − ηλ) W⁽ˡ⁾
                W[l - 1] -= dW[l - 1]                       # W⁽ˡ⁾ ← W⁽ˡ⁾ − η δ⁽ˡ⁾ᵀ Z⁽ˡ⁻¹⁾
                b[l - 1] -= db[l - 1]                       # b⁽ˡ⁾ ← b⁽ˡ⁾ − η Σ_n δ⁽ˡ⁾_n
            if l > 1:
                delta = delta_prev
        return E, wrong

    def _load(self, X, rows=None) -> Buffers:
        """Copy the batch (X[rows] or X) into the buffers of its size."""
        N = X.shape[0] if rows is None else len(rows)
        buf = self.buffers(N)
        if X is buf.X:                                      # already there (see ``batch_buffer``)
            pass
        elif rows is None:
            np.copyto(buf.X, X, casting="same_kind")
        elif X.dtype == self.dtype:
            rows = np.asarray(rows)
            if rows.size and (rows.min() < 0 or rows.max() >= X.shape[0]):
                raise IndexError(f"batch rows must lie in 0..{X.shape[0] - 1}")
            np.take(X, rows, axis=0, out=buf.X, mode="clip")   # checked above; "clip" is unbuffered
        else:
            np.copyto(buf.X, X[rows], casting="same_kind")
        return buf

    def batch_buffer(self, N: int) -> np.ndarray:
        """The (N, D) input buffer of batch size N: fill it and pass it to :meth:`step` (no copy)."""
        return self.buffers(N).X

    def gradient(self, X, t, lam: float = 0.0):
        """E_total and its gradient on the batch (X, t); the network is not changed.

        Parameters
        ----------
        X : ndarray, shape (N, D)
        t : ndarray of int, shape (N,)
            Class labels 0..K-1 (the positions of the 1 in the one-hot t).
        lam : float
            λ of the weight decay (λ/2) Σ_l ‖W⁽ˡ⁾‖².

        Returns
        -------
        E : float
            (1/N) Σ_n E_n + (λ/2) Σ_l ‖W⁽ˡ⁾‖².
        dW, db : lists of ndarray
            Copies of ∂E/∂W⁽ˡ⁾ (n_l, n_{l-1}) and ∂E/∂b⁽ˡ⁾ (n_l,), l = 1..L.
        """
        t = np.asarray(t)
        buf = self._load(np.asarray(X))
        E, _ = self._batch(buf, t, lam, None)
        E += 0.5 * lam * sum(float(np.vdot(W, W)) for W in self.net.W) if lam else 0.0
        return E, [g.copy() for g in self.dW], [g.copy() for g in self.db]

    def step(self, X, t, eta: float, lam: float = 0.0, rows=None) -> Tuple[float, int]:
        """One gradient-descent step on a batch: W⁽ˡ⁾ ← W⁽ˡ⁾ − η ∂E_total/∂W⁽ˡ⁾, b⁽ˡ⁾ likewise.

        Parameters
        ----------
        X : ndarray, shape (N_all, D)
            The inputs; the batch is ``X[rows]`` (or all of X if ``rows`` is None).
        t : ndarray of int, shape (N,)
            The batch's labels (already ``t_all[rows]``).
        eta, lam : float
            Learning rate η and weight decay λ.

        Returns
        -------
        E : float
            The batch's mean cross-entropy (1/N) Σ_n E_n before the step (without the λ term).
        wrong : int
            How many of the batch's samples were misclassified before the step.
        """
        buf = self._load(X, rows)
        return self._batch(buf, np.asarray(t), lam, float(eta))
