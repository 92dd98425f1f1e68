"""Data sets of the book: MNIST (lab, chapter 17) and small synthetic problems (chapters 4, 6, 8).

* :mod:`nnbook.data.idx` — the IDX file format (reader and writer);
* :mod:`nnbook.data.mnist` — find, verify (SHA-256), download and load MNIST;
* :mod:`nnbook.data.toy` — the Nankai lecture's four regression functions, moons, circles, XOR, spirals.
"""

from .idx import IDXError, read_idx, write_idx
from .mnist import MNISTCorruptError, MNISTError, MNISTNotFoundError, fetch_mnist, load_mnist, mnist_path
from .toy import concentric_circles, spirals, toy_regression, two_moons, xor

__all__ = [
    "IDXError", "read_idx", "write_idx",
    "MNISTError", "MNISTNotFoundError", "MNISTCorruptError", "mnist_path", "fetch_mnist", "load_mnist",
    "toy_regression", "two_moons", "concentric_circles", "xor", "spirals",
]
