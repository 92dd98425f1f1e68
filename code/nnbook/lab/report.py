"""What a trained lab network gets right and wrong (chapter 17, the MNIST-lab lecture).

After training, three views of the network answer "how good is it, and where does it fail?":

* the **confusion matrix** C, C[i, j] = how many test images of digit i the network calls j
  (:func:`confusion_matrix`, drawn by :func:`plot_confusion_matrix`), and the error of each
  class (:func:`class_error_percent`);
* the **most confidently wrong** test images: misclassified, and with the largest output
  y_k of the wrong class k (:func:`most_confident_wrong`);
* the **first-layer weights** w⁽¹⁾_ji of a hidden unit j, i = 1..784, shown as a 28 × 28 image
  — the pattern that unit's net input a⁽¹⁾_j = Σ_i w⁽¹⁾_ji x_i + b_j responds to
  (:func:`weight_images`).

All functions take plain arrays (labels t as integers 0..K-1, outputs Y as rows of
probabilities), so they work for any classifier, not only :class:`nnbook.networks.MLP`.
"""

from __future__ import annotations

from typing import Optional, Sequence

import numpy as np

from ..i18n import _

__all__ = ["confusion_matrix", "class_error_percent", "most_confident_wrong", "weight_images",
           "plot_confusion_matrix"]


def confusion_matrix(t, predicted, K: Optional[int] = None) -> np.ndarray:
    """Counts of (true class, predicted class) pairs.

    Parameters
    ----------
    t : ndarray of int, shape (N,)
        True classes 0..K-1.
    predicted : ndarray of int, shape (N,)
        Predicted classes argmax_k y_k(x_n).
    K : int, optional
        Number of classes (default: 1 + the largest label in either array).

    Returns
    -------
    C : ndarray of int64, shape (K, K)
        ``C[i, j]`` = #{n : t_n = i, predicted_n = j}. Row sums are the class counts of t,
        the trace is the number of correct predictions.
    """
    t = np.asarray(t, dtype=np.int64).ravel()
    predicted = np.asarray(predicted, dtype=np.int64).ravel()
    if t.shape != predicted.shape:
        raise ValueError(f"t and predicted must have the same length; got {t.shape} and {predicted.shape}")
    if K is None:
        K = int(max(t.max(initial=-1), predicted.max(initial=-1))) + 1
    if t.size and (min(t.min(), predicted.min()) < 0 or max(t.max(), predicted.max()) >= K):
        raise ValueError(f"labels must lie in 0..{K - 1}")
    return np.bincount(t * K + predicted, minlength=K * K).reshape(K, K)


def class_error_percent(C) -> np.ndarray:
    """Error of each true class in percent: 100 · (1 − C[i, i] / Σ_j C[i, j]).

    Parameters
    ----------
    C : ndarray, shape (K, K)
        A confusion matrix (:func:`confusion_matrix`).

    Returns
    -------
    ndarray of float64, shape (K,)
        NaN for a class with no samples.
    """
    C = np.asarray(C, dtype=np.float64)
    counts = C.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        return 100.0 * (1.0 - np.diag(C) / counts)


def most_confident_wrong(Y, t, k: int = 12) -> np.ndarray:
    """Indices of the k misclassified samples whose wrong answer had the largest probability.

    Parameters
    ----------
    Y : ndarray, shape (N, K)
        Output probabilities y_k(x_n) (rows sum to one).
    t : ndarray of int, shape (N,)
        True classes.
    k : int
        How many to return (fewer if fewer samples are wrong).

    Returns
    -------
    ndarray of intp, shape (min(k, #wrong),)
        Sample indices n with argmax_k y_nk ≠ t_n, ordered by decreasing max_k y_nk
        (ties: by index).
    """
    Y = np.asarray(Y)
    t = np.asarray(t)
    predicted = Y.argmax(axis=1)
    wrong = np.flatnonzero(predicted != t)
    confidence = Y[wrong, predicted[wrong]]
    order = np.lexsort((wrong, -confidence))                  # by −confidence, then by index
    return wrong[order[:max(int(k), 0)]]


def weight_images(W1, units: Optional[Sequence[int]] = None, side: int = 28) -> np.ndarray:
    """The incoming weights of first-layer hidden units as images.

    Parameters
    ----------
    W1 : ndarray, shape (n_1, side²)
        W⁽¹⁾ of the network, row j = (w⁽¹⁾_j1, ..., w⁽¹⁾_jD) of hidden unit j.
    units : sequence of int, optional
        Which hidden units j (default: all).
    side : int
        The images are side × side (MNIST: 28).

    Returns
    -------
    ndarray, shape (len(units), side, side)
        ``out[u, r, c] = W1[units[u], r * side + c]`` (row-major, as the pixels of x).
    """
    W1 = np.asarray(W1)
    if W1.ndim != 2 or W1.shape[1] != side * side:
        raise ValueError(f"W1 must have shape (n_1, {side * side}); got {W1.shape}")
    rows = np.arange(W1.shape[0]) if units is None else np.asarray(units, dtype=np.intp)
    return W1[rows].reshape(len(rows), side, side).copy()


def plot_confusion_matrix(ax, C, labels: Optional[Sequence[str]] = None, title: Optional[str] = None,
                          cmap: str = "Blues"):
    """Draw a confusion matrix as a labelled heat map with the counts written in the cells.

    The colour is log-scaled (log(1 + count)), so that the few off-diagonal errors are
    visible next to the large diagonal.

    Parameters
    ----------
    ax : matplotlib Axes
    C : ndarray of int, shape (K, K)
    labels : sequence of str, optional
        Class names (default "0".."K-1").
    title : str
    cmap : str

    Returns
    -------
    matplotlib.image.AxesImage
    """
    C = np.asarray(C)
    K = C.shape[0]
    labels = [str(i) for i in range(K)] if labels is None else list(labels)
    shade = np.log1p(C.astype(np.float64))
    im = ax.imshow(shade, cmap=cmap, interpolation="nearest")
    top = shade.max() if shade.size else 1.0
    for i in range(K):
        for j in range(K):
            if C[i, j]:
                dark = shade[i, j] > 0.6 * top
                ax.text(j, i, str(int(C[i, j])), ha="center", va="center", fontsize=7,
                        color="white" if dark else "black")
    ax.set_xticks(range(K), labels)
    ax.set_yticks(range(K), labels)
    ax.set_xlabel(_("predicted class"))
    ax.set_ylabel(_("true class"))
    ax.set_title(_("Confusion matrix") if title is None else title)
    ax.grid(False)
    return im
