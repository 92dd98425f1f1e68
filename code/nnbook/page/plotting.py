"""One consistent figure style for every chapter.

``use_style()`` is called by every chapter's first cell; the helpers below draw the
figures that several chapters share.

Colours. The colour cycle is the Okabe–Ito palette (Okabe and Ito, *Color Universal
Design*, 2008): eight colours chosen to stay distinguishable for readers with any of the
common colour-vision deficiencies (protanopia, deuteranopia, tritanopia), in the order
blue, vermillion, bluish green, reddish purple, orange, sky blue, yellow, black. The
default colour map is viridis, perceptually uniform and readable in grey and with
colour-vision deficiencies. ``tests/chapters/test_plotting_style.py`` checks both.

Alternative text. Every figure a page shows carries a text that says what it shows, for
readers who cannot see it (the HTML ``alt`` of the image). ``use_style()`` makes the
kernel attach it to every matplotlib figure it displays (output metadata
``{"image/png": {"alt": ...}}``, which the book's Sphinx extension puts into the
``<img alt>``): the text given with :func:`set_alt_text`, else a description that
:func:`describe_figure` reads off the figure itself (its titles, axis labels, legend
entries and the kinds of marks in each panel).
"""

from __future__ import annotations

import re
from importlib import resources

import matplotlib
import matplotlib.pyplot as plt
import numpy as np

from nnbook.i18n import N_, _, get_language, ngettext

__all__ = ["use_style", "COLORS", "new_figure", "plot_curves", "plot_decision_regions",
           "loglog_slope", "image_grid", "set_alt_text", "alt_text", "describe_figure",
           "CJK_FONTS", "cjk_font", "fit_cjk_text", "translate_figure"]

#: The palette of the style, in cycle order: Okabe–Ito (see the module's docstring).
COLORS = ["#0072B2", "#D55E00", "#009E73", "#CC79A7", "#E69F00", "#56B4E9", "#F0E442", "#000000"]


def use_style():
    """Apply the book's matplotlib style (idempotent); in a kernel, figures get alt text.

    Chinese text in a figure (the Chinese edition's titles, labels and legends) is drawn with
    the first installed font of :data:`CJK_FONTS`, as a fallback behind the style's Latin font:
    Latin letters, digits and mathtext look exactly as in the English edition.
    """
    with resources.as_file(resources.files("nnbook.page") / "styles" / "nnbook.mplstyle") as path:
        plt.style.use(str(path))
    _add_cjk_fallback()
    _install_alt_text()
    _translate_widget_words()


def _translate_widget_words() -> None:
    """Widgets the pages' code makes (``widgets.IntSlider(description="hidden layers")``,
    ``interact``'s sliders) show their ``description`` in the reader's language: the words
    are in the figure-word catalogue (figures.po) with the figures' titles and labels. The
    pages' code stays the same in both editions; an untranslated word stays as written."""
    try:
        import ipywidgets
    except ImportError:
        return
    init = ipywidgets.Widget.__init__
    if getattr(init, "_nnbook", False):
        return

    def __init__(self, *args, **kwargs):
        words = kwargs.get("description")
        if isinstance(words, str) and get_language() != "en":
            kwargs["description"] = _(words)
        init(self, *args, **kwargs)

    __init__._nnbook = True
    ipywidgets.Widget.__init__ = __init__


#: Fonts with Chinese glyphs, in order of preference: WenQuanYi Zen Hei (Linux, installed by
#: ``.ci/run``), Noto Sans CJK SC / Source Han Sans SC (the same design under two names),
#: SimHei and Microsoft YaHei (Windows). Only installed ones are used, so a machine without
#: any of them draws English figures without a warning (Chinese text then lacks its glyphs).
CJK_FONTS = ("WenQuanYi Zen Hei", "Noto Sans CJK SC", "Source Han Sans SC", "SimHei", "Microsoft YaHei")


def cjk_font() -> str | None:
    """The first font of :data:`CJK_FONTS` that matplotlib finds on this machine, or None."""
    from matplotlib import font_manager

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in installed), None)


def _add_cjk_fallback() -> None:
    """``font.family`` = the style's family, then the installed CJK font (matplotlib draws each
    glyph with the first font of the list that has it)."""
    font = cjk_font()
    if font is None:
        return
    family = list(matplotlib.rcParams["font.family"])
    if font not in family:
        matplotlib.rcParams["font.family"] = family + [font]
    _quiet_cjk_weight()


_CJK_CHAR = re.compile(r"[\u3000-\u303f\u3400-\u9fff\uff00-\uffef]")
_MATH = re.compile(r"(?<!\\)\$.+?(?<!\\)\$", re.S)


def translate_figure(fig):
    """The figure's words in the reader's language: every text of the figure — titles,
    suptitle, axis labels, legend texts and title, annotations, ``ax.text`` — whose exact text
    has a translation (:func:`nnbook.i18n.gettext`; the pages' figure words are in
    ``figures.po``) is replaced by it. Tick labels are left alone, and so is every text in
    English (the default). Returns the figure.
    """
    from matplotlib.axis import Axis
    from matplotlib.text import Text

    fig = getattr(fig, "figure", fig)
    if get_language() == "en":
        return fig
    ticks = set()
    for axis in fig.findobj(Axis):
        ticks.update(id(t) for t in axis.findobj(Text) if t is not axis.label)
    for text in fig.findobj(Text):
        if id(text) in ticks:
            continue
        words = text.get_text()
        if words:
            shown = _(words)
            if shown != words:
                text.set_text(shown)
    return fig


def fit_cjk_text(fig):
    """Let the words of a text that mixes Chinese and mathtext (``"误差 $E$"``) show.

    First the figure's words are put into the reader's language (:func:`translate_figure`).
    Matplotlib draws a text with ``$...$`` through mathtext, whose words outside the dollars
    come from one font only (no fallback): the style's Latin font, which has no Chinese
    glyphs. Such a text is given the CJK font first (the formula keeps the book's math
    font); all other texts are left as they are. Called on every figure the book shows (the
    kernel's figure display, the frames of slider figures); returns the figure.
    """
    from matplotlib.text import Text

    fig = translate_figure(fig)
    font = cjk_font()
    if font is None:
        return fig
    for text in fig.findobj(Text):
        words = text.get_text()
        if words and _CJK_CHAR.search(words) and _MATH.search(words):
            family = [f for f in text.get_fontfamily() if f != font]
            if not family or family[0] != font:
                text.set_fontfamily([font, *family])
    return fig


class _CjkWeightFilter:
    """Drops matplotlib's notice that a CJK font has no "normal" weight (WenQuanYi Zen Hei is
    registered as weight 500): the font is used anyway, and the strict build fails on it."""

    def filter(self, record) -> bool:
        message = str(record.msg)
        return not (message.startswith("findfont: Failed to find font weight")
                    and any(name in map(str, record.args or ()) for name in CJK_FONTS))


def _quiet_cjk_weight() -> None:
    import logging

    log = logging.getLogger("matplotlib.font_manager")
    if not any(isinstance(f, _CjkWeightFilter) for f in log.filters):
        log.addFilter(_CjkWeightFilter())


# ------------------------------------------------------------------ alternative text

_ALT = "_nnbook_alt"
#: The longest alternative text made by :func:`describe_figure` (characters).
MAX_ALT = 420


def set_alt_text(fig, text: str):
    """Give a figure its alternative text (what it shows, in words); returns the figure.

    Use it when the description read off the figure (:func:`describe_figure`) does not say
    what matters, e.g. ``set_alt_text(fig, "Training error falls from 2.3 to 0.1 in 30 epochs")``.
    """
    fig = getattr(fig, "figure", fig)
    setattr(fig, _ALT, " ".join(str(text).split()))
    return fig


def alt_text(fig) -> str:
    """The figure's alternative text: the one set with :func:`set_alt_text`, else
    :func:`describe_figure`'s."""
    fig = getattr(fig, "figure", fig)
    return getattr(fig, _ALT, None) or describe_figure(fig)


_GREEK = {name: chr(code) for name, code in [
    ("alpha", 0x3B1), ("beta", 0x3B2), ("gamma", 0x3B3), ("delta", 0x3B4), ("epsilon", 0x3B5),
    ("varepsilon", 0x3B5), ("zeta", 0x3B6), ("eta", 0x3B7), ("theta", 0x3B8), ("iota", 0x3B9),
    ("kappa", 0x3BA), ("lambda", 0x3BB), ("mu", 0x3BC), ("nu", 0x3BD), ("xi", 0x3BE), ("pi", 0x3C0),
    ("rho", 0x3C1), ("sigma", 0x3C3), ("tau", 0x3C4), ("phi", 0x3C6), ("varphi", 0x3C6),
    ("chi", 0x3C7), ("psi", 0x3C8), ("omega", 0x3C9), ("Gamma", 0x393), ("Delta", 0x394),
    ("Theta", 0x398), ("Lambda", 0x39B), ("Sigma", 0x3A3), ("Phi", 0x3A6), ("Psi", 0x3A8),
    ("Omega", 0x3A9), ("nabla", 0x2207), ("partial", 0x2202), ("infty", 0x221E), ("cdot", 0xB7),
    ("times", 0xD7), ("to", 0x2192), ("rightarrow", 0x2192), ("leq", 0x2264), ("le", 0x2264),
    ("geq", 0x2265), ("ge", 0x2265), ("approx", 0x2248), ("sum", 0x2211), ("ell", 0x2113),
    ("neq", 0x2260), ("pm", 0xB1), ("in", 0x2208), ("sqrt", 0x221A), ("star", 0x2A), ("ast", 0x2A),
    ("top", 0x1D40), ("prime", 0x2032), ("mid", 0x7C), ("ldots", 0x2026), ("dots", 0x2026)]}


def _plain(text: str) -> str:
    """Mathtext as words a screen reader can say: ``$\\eta$`` -> ``η``, ``$w_{2}$`` -> ``w_2``."""
    text = str(text or "")
    if "$" in text:
        arg = r"(?:\{([^{}]*)\}|\s*([A-Za-z0-9]))"          # {group} or one character
        text = re.sub(r"\\(?:mathrm|mathbf|mathsf|boldsymbol|mathit|text|textrm|bm|operatorname|mathcal|mathbb)\s*",
                      "", text)
        text = re.sub(r"\\[dt]?frac\s*" + arg + r"\s*" + arg,
                      lambda m: f"{m.group(1) or m.group(2)}/{m.group(3) or m.group(4)}", text)
        accents = {"hat": "\u0302", "tilde": "\u0303", "bar": "\u0304", "dot": "\u0307"}
        text = re.sub(r"\\(hat|tilde|bar|dot)\s*" + arg,
                      lambda m: (m.group(2) or m.group(3)) + accents[m.group(1)], text)
        text = re.sub(r"\\([A-Za-z]+)", lambda m: _GREEK.get(m.group(1), m.group(1)), text)
        text = re.sub(r"\\[,;:! ]", " ", text).replace("\\", "")
        text = text.replace("{", "").replace("}", "").replace("$", "")
    return " ".join(text.split())


def _panel(ax) -> str:
    """One axes in words: its kind of plot, title, axes and legend."""
    from matplotlib.collections import PathCollection, PolyCollection, QuadMesh
    from matplotlib.patches import Rectangle

    title = " / ".join(t for t in (_plain(ax.get_title(loc)) for loc in ("left", "center", "right")) if t)
    xlabel, ylabel = _plain(ax.get_xlabel()), _plain(ax.get_ylabel())
    zlabel = _plain(ax.get_zlabel()) if hasattr(ax, "get_zlabel") else ""
    legend = ax.get_legend()
    entries = [_plain(t.get_text()) for t in legend.get_texts()] if legend else []
    entries = [e for e in entries if e]
    lines = ax.get_lines()
    bars = [p for p in ax.patches if isinstance(p, Rectangle)]
    colls = ax.collections
    if ax.images or any(isinstance(c, QuadMesh) for c in colls):
        kind = N_("image")
    elif hasattr(ax, "get_zlabel"):
        kind = N_("3-D surface plot") if colls else N_("3-D plot")
    elif any(type(c).__name__ in ("QuadContourSet", "ContourSet") for c in colls) or (
            colls and all(isinstance(c, PolyCollection) for c in colls) and not lines):
        kind = N_("contour plot")
    elif len(bars) >= 2 and not lines:
        kind = N_("bar chart")
    elif any(isinstance(c, PathCollection) for c in colls) and not lines:
        kind = N_("scatter plot")
    elif lines:
        kind = N_("line plot")
    elif ax.texts or ax.patches or colls:
        kind = N_("diagram")
    else:
        return ""
    words = _(kind)
    if title:
        words += _(" '{title}'").format(title=title)
    if ylabel and xlabel:
        words += _(" of {ylabel} against {xlabel}").format(ylabel=ylabel, xlabel=xlabel)
    elif xlabel or ylabel:
        words += _(" over {label}").format(label=xlabel or ylabel)
    if zlabel:
        words += _(" (height: {zlabel})").format(zlabel=zlabel)
    if ax.get_yscale() == "log" or ax.get_xscale() == "log":
        words += " (" + _(" and ").join(_("{axis} axis logarithmic").format(axis=a)
                                        for a, s in (("x", ax.get_xscale()), ("y", ax.get_yscale()))
                                        if s == "log") + ")"
    if entries:
        words += _("; legend: ") + _(", ").join(entries)
    return words


def describe_figure(fig) -> str:
    """A description of a matplotlib figure read off the figure itself.

    The figure's title, then each panel (axes with something drawn): its kind (line plot,
    scatter plot, image, contour plot, bar chart, 3-D plot, diagram), title, axis labels and
    legend entries, with mathtext turned into plain symbols. A grid of images with no labels
    (e.g. MNIST digits) is summarised as one "grid of N images" with their titles. Empty
    when the figure has no panel that says anything (give it :func:`set_alt_text`).
    """
    fig = getattr(fig, "figure", fig)
    sup = _plain(fig._suptitle.get_text()) if getattr(fig, "_suptitle", None) else ""
    axes = [ax for ax in fig.get_axes() if ax.get_label() != "<colorbar>"]
    imgs = [ax for ax in axes if ax.images and not (ax.get_xlabel() or ax.get_ylabel())]
    if len(imgs) >= 4 and len(imgs) >= len([a for a in axes if a.has_data()]) - 1:
        titles = [_plain(ax.get_title()) for ax in imgs if ax.get_title()]
        words = _("grid of {n} images").format(n=len(imgs))
        if titles:
            shown = _(", ").join(titles[:12]) + (_(", ...") if len(titles) > 12 else "")
            words += _(" titled {titles}").format(titles=shown)
        panels = [words] + [_panel(ax) for ax in axes if ax not in imgs]
    else:
        panels = [_panel(ax) for ax in axes]
    panels = [p for p in panels if p]
    if not panels:
        return sup
    stop = _(".")
    if len(panels) == 1:
        body = panels[0][0].upper() + panels[0][1:]
    else:
        body = ngettext("{n} panel. ", "{n} panels. ", len(panels)).format(n=len(panels)) + "".join(
            _("{k}: {panel}. ").format(k=k, panel=p) for k, p in enumerate(panels, 1)).rstrip()
    text = _("{title}. {body}").format(title=sup, body=body) if sup else body
    text = text.rstrip(stop).rstrip(".") + stop
    if len(text) <= MAX_ALT:
        return text
    cut = text[:MAX_ALT - 1]
    return (cut.rsplit(" ", 1)[0] if " " in cut else cut) + "…"


def _install_alt_text() -> None:
    """In an IPython kernel: every displayed figure carries its :func:`alt_text` in its output's
    metadata (``{"image/png": {"alt": ...}}``). Wraps the figure formatters that the inline
    backend registers (made to register them now); re-applied before every cell, in case a
    ``%matplotlib`` magic registers them afresh."""
    try:
        from IPython import get_ipython
    except ImportError:
        return
    shell = get_ipython()
    if shell is None or not hasattr(shell, "display_formatter"):
        return
    if "inline" in str(matplotlib.get_backend()):
        try:
            import matplotlib_inline.backend_inline  # noqa: F401  (registers the formatters)
        except ImportError:
            pass
    _wrap_formatters(shell)
    if not getattr(shell, "_nnbook_alt_hook", False):
        shell.events.register("pre_execute", lambda: _wrap_formatters(shell))
        shell._nnbook_alt_hook = True


def _wrap_formatters(shell) -> None:
    from matplotlib.figure import Figure

    for mime in ("image/png", "image/jpeg", "image/svg+xml"):
        formatter = shell.display_formatter.formatters.get(mime)
        if formatter is None:
            continue
        try:
            current = formatter.lookup_by_type(Figure)
        except KeyError:
            continue
        if getattr(current, "_nnbook_alt", False):
            continue

        def with_alt(fig, _current=current):
            out = _current(fit_cjk_text(fig))
            text = alt_text(fig)
            if out is None or not text:
                return out
            data, meta = out if isinstance(out, tuple) else (out, None)
            return data, {**(meta or {}), "alt": text}

        with_alt._nnbook_alt = True
        formatter.for_type(Figure, with_alt)


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


def plot_curves(ax, curves, xlabel=None, ylabel="", title=None, logy=False):
    """Plot named curves ``{label: y}`` or ``{label: (x, y)}`` on ``ax`` with labels and a legend.

    ``xlabel`` defaults to "epoch" in the reader's language.
    """
    if xlabel is None:
        xlabel = _("epoch")
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
