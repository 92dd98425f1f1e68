"""One consistent figure style for every chapter.

``use_style()`` is called by every chapter's first cell; the helpers below draw the
figures that several chapters share. The colour cycle is the Okabe–Ito palette, which
stays distinguishable for readers with colour-vision deficiencies.
"""

from __future__ import annotations

from importlib import resources

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

__all__ = ["use_style", "COLORS", "new_figure", "plot_curves", "plot_decision_regions",
           "loglog_slope", "image_grid"]

#: The palette of the style, in cycle order.
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]


def use_style():
    """Apply the book's matplotlib style (idempotent)."""
    with resources.as_file(resources.files("nnbook.page") / "styles" / "nnbook.mplstyle") as path:
        plt.style.use(str(path))


def new_figure(ncols=1, nrows=1, width=None, height=None, **kw):
    """``plt.subplots`` in the book's style, sized for the page.

    Parameters
    ----------
    ncols, nrows : int
    width, height : float, optional
        Figure size in inches (default: 4.2 per column, 3.4 per row, at most 10 wide).
    """
    use_style()
    width = min(10.0, 4.2 * ncols) if width is None else width
    height = 3.4 * nrows if height is None else height
    return plt.subplots(nrows, ncols, figsize=(width, height), squeeze=kw.pop("squeeze", True), **kw)


def plot_curves(ax, curves, xlabel="epoch", ylabel="", title=None, logy=False):
    """Plot named curves ``{label: y}`` or ``{label: (x, y)}`` on ``ax`` with labels and a legend."""
    for label, c in curves.items():
        x, y = c if isinstance(c, tuple) else (np.arange(1, len(c) + 1), c)
        ax.plot(x, y, label=label)
    ax.set_xlabel(xlabel)
    ax.set_ylabel(ylabel)
    if logy:
        ax.set_yscale("log")
    if title:
        ax.set_title(title)
    if len(curves) > 1:
        ax.legend()
    return ax


def plot_decision_regions(ax, predict, X, t, resolution=200, margin=0.3, title=None):
    """Shade the classes ``predict`` assigns over the plane and scatter the data.

    Parameters
    ----------
    predict : callable, (M, 2) -> (M,) integer labels
    X : ndarray, shape (N, 2)
    t : ndarray of int, shape (N,)
    """
    from matplotlib.colors import ListedColormap

    x0, x1 = X[:, 0].min() - margin, X[:, 0].max() + margin
    y0, y1 = X[:, 1].min() - margin, X[:, 1].max() + margin
    gx, gy = np.meshgrid(np.linspace(x0, x1, resolution), np.linspace(y0, y1, resolution))
    k = int(max(t.max(), 1)) + 1
    cmap = ListedColormap(COLORS[:k])
    labels = predict(np.c_[gx.ravel(), gy.ravel()]).reshape(gx.shape)
    ax.contourf(gx, gy, labels, levels=np.arange(k + 1) - 0.5, cmap=cmap, alpha=0.25)
    ax.scatter(X[:, 0], X[:, 1], c=t, cmap=cmap, vmin=-0.5, vmax=k - 0.5, s=14, edgecolors="white",
               linewidths=0.4)
    ax.set_xlabel("$x_1$")
    ax.set_ylabel("$x_2$")
    ax.set_aspect("equal", adjustable="box")
    ax.grid(False)
    if title:
        ax.set_title(title)
    return ax


def loglog_slope(x, y):
    """Least-squares slope of log y against log x (the exponent p in y ∝ x^p)."""
    x, y = np.asarray(x, float), np.asarray(y, float)
    keep = (x > 0) & (y > 0)
    return float(np.polyfit(np.log(x[keep]), np.log(y[keep]), 1)[0])


def image_grid(ax_or_fig, images, ncols=10, titles=None, cmap="gray_r", size=28):
    """Show images (each of ``size*size`` pixels, flat or square) in a grid of subplots.

    Parameters
    ----------
    ax_or_fig : matplotlib Figure
    images : ndarray, shape (M, size*size) or (M, size, size)
    titles : list of str, optional
    """
    fig = ax_or_fig
    images = np.asarray(images).reshape(len(images), size, size)
    nrows = int(np.ceil(len(images) / ncols))
    axes = fig.subplots(nrows, ncols, squeeze=False)
    for i, ax in enumerate(axes.ravel()):
        ax.axis("off")
        if i < len(images):
            ax.imshow(images[i], cmap=cmap, interpolation="nearest")
            if titles is not None:
                ax.set_title(titles[i], fontsize=9)
    return axes


matplotlib.rcParams.setdefault("figure.max_open_warning", 50)
