"""Random translations of the training images by a pixel or two (chapter 17).

Shifting a digit by a pixel does not change its class, but it changes most of its 784
input values. Showing the network a randomly shifted copy of each image in every epoch
is the cheapest way to give it "more" data (LeCun's table: distortions help every
classifier). The network, the error and every derivative stay exactly those of the MNIST-lab lecture;
only the rows x_n fed to them change from epoch to epoch.

The images are stored once with a border of ``s`` zero pixels (28 + 2s)² wide; a shift
(dy, dx) ∈ {−s..s}² is then a fixed list of 784 positions in that padded image, and a whole
batch is gathered with one fancy-indexing operation.
"""

from __future__ import annotations

import numpy as np

__all__ = ["RandomShift"]


class RandomShift:
    """Batches of training images, each moved by a random (dy, dx) with |dy|, |dx| ≤ ``max_shift``.

    Parameters
    ----------
    X : ndarray, shape (N, side²)
        Flattened square images (MNIST: side 28, background 0).
    max_shift : int
        s ≥ 1; the (2s+1)² shifts are equally likely (including no shift).
    side : int

    Attributes
    ----------
    padded : ndarray, shape (N, (side + 2s)²)
        The images with a zero border of s pixels.
    positions : ndarray of intp, shape ((2s+1)², side²)
        ``positions[k]``: where pixel (i, j) of a shifted image is read in the padded image.
    """

    def __init__(self, X, max_shift: int = 1, side: int = 28):
        X = np.asarray(X)
        s, N = int(max_shift), X.shape[0]
        if s < 1:
            raise ValueError("max_shift must be at least 1")
        if X.ndim != 2 or X.shape[1] != side * side:
            raise ValueError(f"X must have shape (N, {side * side}); got {X.shape}")
        P = side + 2 * s
        self.max_shift, self.side = s, side
        self.padded = np.zeros((N, P * P), X.dtype)
        self.padded.reshape(N, P, P)[:, s:s + side, s:s + side] = X.reshape(N, side, side)
        i, j = np.meshgrid(np.arange(side), np.arange(side), indexing="ij")
        self.positions = np.array([((s + dy + i) * P + (s + dx + j)).ravel()
                                   for dy in range(-s, s + 1) for dx in range(-s, s + 1)])

    def batch(self, rows, rng: np.random.Generator, out=None) -> np.ndarray:
        """The images ``rows`` (shape (B,)), each shifted at random; shape (B, side²).

        Pixel (i, j) of image n in the batch is pixel (i + dy_n, j + dx_n) of the original
        (0 outside it), so the digit moves by (−dy_n, −dx_n). ``out`` (B, side²) receives
        the batch if given.
        """
        rows = np.asarray(rows)
        k = rng.integers(0, len(self.positions), size=len(rows))      # one of the (2s+1)² shifts each
        flat = self.positions[k]                                        # (B, side²) positions in a padded image
        flat += (rows * self.padded.shape[1])[:, None]                  # ... of padded image rows[n]
        return np.take(self.padded.reshape(-1), flat, out=out)
