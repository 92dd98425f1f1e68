"""Error functions E(w) and the output units they pair with (chapters 6 and 12).

Every error is a sum over the N samples of a batch (``reduction="sum"``, the Nankai lecture:
E(w) = Σ_n E_n) or its mean (``reduction="mean"``, the MNIST-lab lecture: E = (1/N) Σ_n E_n).
Arrays are batch first: outputs ``Y`` and targets ``T`` are ``(N, K)``.

The three canonical pairings of an output activation with an error all give the same
output delta δ_k = ∂E_n/∂a_k = y_k − t_k (chapter 12):

=====================  ==========================  ====================
task                   output unit                 error
=====================  ==========================  ====================
regression             identity                    sum of squares
binary classification  logistic sigmoid            binary cross-entropy
K-class                softmax                     cross-entropy
=====================  ==========================  ====================
"""

from __future__ import annotations

import numpy as np

__all__ = [
    "softmax", "log_softmax", "logsumexp",
    "sum_of_squares", "binary_cross_entropy", "binary_cross_entropy_with_logits",
    "cross_entropy", "softmax_cross_entropy", "one_hot", "targets", "l2_penalty",
    "PAIRINGS", "output_delta",
]


def _reduce(per_sample, reduction):
    if reduction == "sum":
        return per_sample.sum()
    if reduction == "mean":
        return per_sample.mean()
    if reduction == "none":
        return per_sample
    raise ValueError(f"reduction must be 'sum', 'mean' or 'none', got {reduction!r}")


def _float_array(A):
    """``A`` as an array of its own floating dtype (float64 for integers and lists)."""
    A = np.asarray(A)
    return A if np.issubdtype(A.dtype, np.floating) else A.astype(np.float64)


def _as_2d(name, A):
    A = np.asarray(A)
    if A.ndim == 1:
        A = A[:, None]
    if A.ndim != 2:
        raise ValueError(f"{name} must have shape (N, K); got an array of shape {A.shape}")
    return A


def _same_shape(Y, T):
    if Y.shape != T.shape:
        raise ValueError(f"targets T must have the shape of the outputs Y, (N, K) = {Y.shape}; "
                         f"got {T.shape}")


def logsumexp(A, axis=-1, keepdims=False):
    """ln Σ_k e^{a_k}, computed as m + ln Σ_k e^{a_k − m} with m = max_k a_k (no overflow)."""
    A = _float_array(A)
    m = np.max(A, axis=axis, keepdims=True)
    m = np.where(np.isfinite(m), m, 0)
    with np.errstate(divide="ignore"):                   # a row of −inf has ln 0 = −inf, as it should
        out = m + np.log(np.sum(np.exp(A - m), axis=axis, keepdims=True))
    return out if keepdims else np.squeeze(out, axis=axis)


def softmax(A, axis=-1):
    """Softmax y_k = e^{a_k} / Σ_j e^{a_j}, stable (the max is subtracted first).

    Parameters
    ----------
    A : ndarray, shape (N, K)
        Net inputs of the output units.

    Returns
    -------
    ndarray, shape (N, K); each row sums to 1.
    """
    A = _float_array(A)
    E = np.exp(A - np.max(A, axis=axis, keepdims=True))
    return E / np.sum(E, axis=axis, keepdims=True)


def log_softmax(A, axis=-1):
    """ln y_k = a_k − ln Σ_j e^{a_j}, stable; shape of ``A``."""
    A = _float_array(A)
    return A - logsumexp(A, axis=axis, keepdims=True)


def one_hot(t, K=None, dtype=np.float64):
    """One-hot (1-of-K) coding of integer class labels.

    Parameters
    ----------
    t : array_like of int, shape (N,)
    K : int, optional
        Number of classes (default: max(t) + 1).

    Returns
    -------
    ndarray, shape (N, K)
    """
    t = np.asarray(t)
    if t.ndim != 1 or not np.issubdtype(t.dtype, np.integer):
        raise ValueError(f"class labels must be integers of shape (N,); got {t.dtype} {t.shape}")
    if K is None:
        if t.size == 0:
            raise ValueError("give the number of classes K for an empty label array")
        K = int(t.max()) + 1
    if t.size and (t.min() < 0 or t.max() >= K):
        raise ValueError(f"class labels must lie in 0..{K - 1}")
    T = np.zeros((t.size, K), dtype=dtype)
    T[np.arange(t.size), t] = 1
    return T


def sum_of_squares(Y, T, reduction="sum"):
    """E = ½ Σ_n ‖y_n − t_n‖² (the Nankai lecture).

    Parameters
    ----------
    Y, T : ndarray, shape (N, K)
    reduction : {"sum", "mean", "none"}
    """
    Y, T = _as_2d("Y", Y), _as_2d("T", T)
    _same_shape(Y, T)
    return _reduce(0.5 * np.sum((Y - T) ** 2, axis=1), reduction)


def binary_cross_entropy(Y, T, reduction="sum", eps=None):
    """E = −Σ_n Σ_k [t ln y + (1 − t) ln(1 − y)] from probabilities y ∈ (0, 1).

    Probabilities are clipped to [eps, 1 − eps] (eps = machine epsilon of the dtype) so
    that a saturated y = 0 or 1 gives a large but finite error. Prefer
    :func:`binary_cross_entropy_with_logits` when the net inputs a are available.
    """
    Y, T = _as_2d("Y", Y), _as_2d("T", T)
    _same_shape(Y, T)
    eps = np.finfo(np.result_type(Y, np.float32)).eps if eps is None else eps
    Yc = np.clip(Y, eps, 1 - eps)
    return _reduce(-np.sum(T * np.log(Yc) + (1 - T) * np.log1p(-Yc), axis=1), reduction)


def binary_cross_entropy_with_logits(A, T, reduction="sum"):
    """Binary cross-entropy from net inputs a, with y = σ(a), stable for any a.

    Uses −[t ln σ(a) + (1 − t) ln(1 − σ(a))] = softplus(a) − t a.
    """
    A, T = _as_2d("A", A), _as_2d("T", T)
    _same_shape(A, T)
    softplus = np.maximum(A, 0) + np.log1p(np.exp(-np.abs(A)))
    return _reduce(np.sum(softplus - T * A, axis=1), reduction)


def targets(T, N, K, dtype=np.float64):
    """Targets as one (N, K) array: integer labels (N,) become one-hot rows (:func:`one_hot`,
    in ``dtype``); targets of shape (N, K) (one-hot or probabilities) are returned as they are.

    The package's one conversion of targets: the error functions and output deltas here,
    the autodiff error and the row-layout backward pass of chapter 11 all call it. Any
    other shape is an error that names the two expected ones.
    """
    T = np.asarray(T)
    if T.ndim == 1 and np.issubdtype(T.dtype, np.integer) and T.shape == (N,):
        return one_hot(T, K, dtype=dtype)
    if T.shape == (N, K):
        return T
    raise ValueError(f"targets must be integer labels of shape (N,) = ({N},) or one-hot of shape "
                     f"(N, K) = ({N}, {K}); got {T.dtype} {T.shape}")


def cross_entropy(Y, T, reduction="sum", eps=None):
    """E = −Σ_n Σ_k t_nk ln y_nk from softmax probabilities Y (the ECNU lecture: −tᵀ ln ŷ).

    Parameters
    ----------
    Y : ndarray, shape (N, K)
        Probabilities (rows sum to 1).
    T : ndarray, shape (N,) of int or (N, K) one-hot
    """
    Y = _as_2d("Y", Y)
    T = targets(T, Y.shape[0], Y.shape[1], Y.dtype)
    eps = np.finfo(np.result_type(Y, np.float32)).tiny if eps is None else eps
    return _reduce(-np.sum(T * np.log(np.maximum(Y, eps)), axis=1), reduction)


def softmax_cross_entropy(A, T, reduction="sum"):
    """Cross-entropy of softmax(A) computed from the net inputs A by log-softmax (stable).

    Parameters
    ----------
    A : ndarray, shape (N, K)
        Net inputs a_k of the output units.
    T : ndarray, shape (N,) of int or (N, K) one-hot
    """
    A = _as_2d("A", A)
    T = targets(T, A.shape[0], A.shape[1], A.dtype)
    return _reduce(-np.sum(T * log_softmax(A), axis=1), reduction)


def l2_penalty(weights, lam):
    """Weight-decay term ½λ‖W‖² = ½λ Σ_l ‖W^(l)‖_F² (the ECNU and MNIST-lab lectures; biases excluded).

    Parameters
    ----------
    weights : sequence of ndarray
        The weight matrices W^(l).
    lam : float
        λ ≥ 0.
    """
    return 0.5 * lam * sum(float(np.sum(W * W)) for W in weights)


#: The canonical pairings: output activation name -> error function on (Y, T).
PAIRINGS = {
    "identity": sum_of_squares,
    "sigmoid": binary_cross_entropy,
    "softmax": cross_entropy,
}


def output_delta(Y, T):
    """δ_k = y_k − t_k, the output delta of every canonical pairing (chapter 12).

    Parameters
    ----------
    Y : ndarray, shape (N, K)
    T : ndarray, shape (N, K), or integer labels (N,) for softmax outputs
    """
    Y = _as_2d("Y", Y)
    T = np.asarray(T)
    if T.ndim == 1 and np.issubdtype(T.dtype, np.integer) and Y.shape[1] > 1:
        return Y - targets(T, Y.shape[0], Y.shape[1], Y.dtype)          # labels -> one-hot t
    T = _as_2d("T", T)
    _same_shape(Y, T)
    return Y - T
