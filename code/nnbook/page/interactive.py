"""Slider figures that stay interactive on the static HTML page of the book (no kernel).

An ipywidgets slider needs a running kernel to redraw: on the published page (Jupyter
Book 1 shows the stored outputs of the executed notebook) it is frozen in its first
state. A *slider figure* is drawn ahead of time instead: :func:`slider_figure` calls
``draw(value)`` for every value of a short list, keeps each figure as a PNG frame, and
shows the frames in one self-contained HTML snippet with an ``<input type="range">`` and
a few lines of inline JavaScript that swap the visible frame. Nothing is fetched from a
server and no kernel is needed, so the reader of the static page can move the slider too.

Where it works

* the HTML book: myst-nb embeds a ``text/html`` output raw, and its inline ``<script>``
  runs in the page;
* JupyterLab, the classic notebook and VS Code, for outputs of a trusted notebook (the
  outputs of cells run in the session are trusted);
* anywhere without JavaScript (an untrusted notebook, a feed reader): the initial frame is
  shown, with a caption that lists the values the slider would offer.

Size

Every frame travels inside the page as a base64 data URI (4/3 of the PNG size). Keep
``frames × PNG size`` below about 1.5 MB per figure: 10–40 values, the default frame
width of 5.5 in at 90 dpi, plain line plots (a filled contour or an image costs more).
``max_bytes`` (default 2 MB of HTML) turns an oversized figure into a ``ValueError``
that says what to change.

Reproducibility

The frames are saved without the PNG ``Software`` metadata, so the same figures give the
same bytes in every build; element ids are derived from the frames themselves (with a
suffix only when the same frames were already shown in this Python process), so
executing a page afresh reproduces its HTML byte for byte.

In a kernel: the live widget

Displayed in a running IPython kernel (a notebook in JupyterLab, Notebook 7 or VS Code,
or a page executed by the book build), a slider figure is a MIME bundle with
two rich forms: the same ``text/html`` snippet and an ipywidgets view
(``application/vnd.jupyter.widget-view+json``) of :meth:`SliderFigure.widget`: one
``SelectionSlider`` per parameter and an ``Image`` whose picture the kernel swaps on every
move. Front-ends with a widget manager show the widget (it comes first in their order of
preference); front-ends without one show the HTML. The widget reuses the frames drawn for
the page, so values on the grid switch at once; ``live_values=`` gives the kernel's slider
more values than the page, and those frames are drawn by ``draw`` when first shown. The
book's HTML builder is told to prefer ``text/html`` when both are present
(``nb_mime_priority_overrides`` in ``_config.yml``), so the static page shows the
precomputed slider; outputs of ordinary widgets carry no ``text/html`` and stay widgets.
"""

from __future__ import annotations

import base64
import hashlib
import html
import io
import json
import math
import struct
from collections import OrderedDict
from dataclasses import dataclass, field
from numbers import Real
from typing import Callable, Optional, Sequence, Tuple, Union

from nnbook.i18n import _, get_language

__all__ = ["slider_figure", "slider_figure2", "SliderFigure", "standalone_page",
           "FRAME_WIDTH", "FRAME_DPI", "MAX_BYTES", "MAX_FRAMES", "LIVE_CACHE"]

#: Default width of a frame in inches (the book's figures are 6.4 in; frames are smaller).
FRAME_WIDTH = 5.5
#: Default resolution of a frame. The book style saves single figures at 150 dpi; a frame
#: is one of many in the page, so it is saved at 90 dpi (about 500 px wide).
FRAME_DPI = 90
#: Default limit on the HTML of one slider figure, in bytes (``max_bytes=None`` lifts it).
MAX_BYTES = 2_000_000
#: Default limit on the number of frames of one slider figure.
MAX_FRAMES = 60
#: Frames drawn on demand for ``live_values`` that the live widget keeps (least recently shown go first).
LIVE_CACHE = 128

WIDGET_VIEW_MIMETYPE = "application/vnd.jupyter.widget-view+json"

Format = Union[str, Callable[[object], str]]

# How often each frame digest was already shown in this process: two figures with identical
# frames on one page still get different element ids, and ids do not depend on call order.
_shown: dict = {}


# ------------------------------------------------------------------ the object


@dataclass(frozen=True, eq=False)
class SliderFigure:
    """Precomputed frames with one range input per parameter; displays as HTML (and, in a kernel, as a widget).

    Built by :func:`slider_figure` and :func:`slider_figure2`; make it the last expression
    of a cell (or pass it to ``IPython.display.display``).

    Attributes
    ----------
    frames : tuple of bytes, length prod(shape)
        The PNG frames in row-major order: frame ``i*shape[1] + j`` is drawn with the
        i-th value of the first parameter and the j-th value of the second.
    names : tuple of str
        The parameter names shown in "name = value".
    labels : tuple of str
        Longer descriptions of the parameters (the accessible name of each range input).
    values : tuple of tuple
        The values passed to ``draw``, per parameter.
    texts : tuple of tuple of str
        The same values formatted for display.
    initial : tuple of int
        Index of the initially shown value, per parameter.
    html : str
        The self-contained HTML snippet.
    draw : callable or None
        ``draw(args)`` with the tuple of parameter values returns or makes the figure
        (the live widget draws the frames of ``live_values`` off the grid with it).
    live_values : tuple of tuple
        The values of the live widget's sliders, per parameter: ``values`` and, for
        numbers, any ``live_values=`` given, merged in slider order.
    live_texts : tuple of tuple of str
        ``live_values`` formatted for display.
    """

    frames: Tuple[bytes, ...]
    names: Tuple[str, ...]
    labels: Tuple[str, ...]
    values: Tuple[tuple, ...]
    texts: Tuple[Tuple[str, ...], ...]
    initial: Tuple[int, ...]
    element_id: str
    html: str = field(repr=False)
    draw: Optional[Callable] = field(default=None, repr=False)
    live_values: Tuple[tuple, ...] = field(default=(), repr=False)
    live_texts: Tuple[Tuple[str, ...], ...] = field(default=(), repr=False)
    width: Optional[float] = field(default=None, repr=False)
    dpi: float = field(default=FRAME_DPI, repr=False)
    _drawn: OrderedDict = field(default_factory=OrderedDict, init=False, repr=False)
    _widget: list = field(default_factory=list, init=False, repr=False)

    def __post_init__(self):
        if not self.live_values:
            object.__setattr__(self, "live_values", self.values)
            object.__setattr__(self, "live_texts", self.texts)

    @property
    def shape(self) -> Tuple[int, ...]:
        """Number of values per parameter."""
        return tuple(len(v) for v in self.values)

    @property
    def nbytes(self) -> int:
        """Size of the HTML snippet in bytes (UTF-8)."""
        return len(self.html.encode("utf-8"))

    # -------------------------------------------------------------- frames of the live widget

    def _grid_index(self, j: int, live_index: int) -> Optional[int]:
        """Index into ``values[j]`` of the live value ``live_values[j][live_index]``, or None if off the grid."""
        if self.live_values[j] is self.values[j]:          # no live_values for this parameter
            return live_index
        return _index_in(self.values[j], self.live_values[j][live_index])

    def frame(self, live_index: Sequence[int]) -> bytes:
        """The PNG frame for one position of the live sliders (an index into ``live_values`` per parameter).

        On the grid of ``values``: the precomputed frame. Off the grid: drawn with ``draw``
        the first time, then kept (at most :data:`LIVE_CACHE` such frames).
        """
        live_index = tuple(int(i) for i in live_index)
        if len(live_index) != len(self.values):
            raise ValueError(f"need one index per parameter {self.names!r}, got {live_index!r}")
        grid = [self._grid_index(j, i) for j, i in enumerate(live_index)]
        if all(g is not None for g in grid):
            return self.frames[sum(g * math.prod(self.shape[j + 1:]) for j, g in enumerate(grid))]
        if live_index in self._drawn:
            self._drawn.move_to_end(live_index)
            return self._drawn[live_index]
        if self.draw is None:
            raise ValueError(f"no draw function to draw the frame at {live_index!r}")
        args = tuple(vs[i] for vs, i in zip(self.live_values, live_index))
        png = _render(self.draw, args, self.width, self.dpi)
        self._drawn[live_index] = png
        while len(self._drawn) > LIVE_CACHE:
            self._drawn.popitem(last=False)
        return png

    def live_initial(self) -> Tuple[int, ...]:
        """Index into ``live_values`` of the initially shown value, per parameter."""
        return tuple(i if lv is vs else _index_in(lv, vs[i])
                     for lv, vs, i in zip(self.live_values, self.values, self.initial))

    def widget(self):
        """The live ipywidgets view: a slider per parameter and the figure as an ``Image``.

        Made once per figure (every display shows the same widget). Moving a slider runs
        in the kernel: the readout "name = value" and the image change to the frame of the
        new position (:meth:`frame`). The sliders update the image while they are dragged
        when every frame is precomputed, and when they are released otherwise.

        Returns
        -------
        ipywidgets.VBox
            Children: one ``HBox(SelectionSlider, Label)`` per parameter, then the ``Image``.
        """
        if self._widget and callable(getattr(self._widget[0], "_repr_mimebundle_", None)):
            return self._widget[0]             # (a closed widget is replaced by a new one)
        self._widget.clear()
        import ipywidgets as W

        start = self.live_initial()
        precomputed = all(self._grid_index(j, i) is not None
                          for j, lv in enumerate(self.live_values) for i in range(len(lv)))
        sliders, readouts = [], []
        for j, (name, label, texts) in enumerate(zip(self.names, self.labels, self.live_texts)):
            sliders.append(W.SelectionSlider(
                options=[(t, i) for i, t in enumerate(texts)], value=start[j], description=label,
                readout=False, continuous_update=precomputed,
                style={"description_width": "initial"}, layout=W.Layout(flex="1 1 12em", max_width="34em")))
            readouts.append(W.Label(value=_readout(name, texts[start[j]])))
        first = self.frame(start)
        # Natural size (as on the page), shrunk to fit a narrow output area.
        image = W.Image(value=first, format="png", layout=W.Layout(
            width=f"{_png_size(first)[0]}px", max_width="100%", height="auto"))

        def update(change=None):
            pos = tuple(s.value for s in sliders)
            for j, (name, texts) in enumerate(zip(self.names, self.live_texts)):
                readouts[j].value = _readout(name, texts[pos[j]])
            png = self.frame(pos)
            width = f"{_png_size(png)[0]}px"
            if image.layout.width != width:
                image.layout.width = width
            image.value = png

        for s in sliders:
            s.observe(update, names="value")
        rows = [W.HBox([s, r], layout=W.Layout(align_items="center", flex_flow="row wrap"))
                for s, r in zip(sliders, readouts)]
        box = W.VBox([*rows, image])
        box.add_class("nnb-slider-live")
        self._widget.append(box)
        return box

    # -------------------------------------------------------------- display

    def _repr_html_(self) -> str:
        return self.html

    def _repr_mimebundle_(self, include=None, exclude=None):
        data = {"text/html": self.html, "text/plain": repr(self)}
        wanted = (include is None or WIDGET_VIEW_MIMETYPE in include) and \
            (exclude is None or WIDGET_VIEW_MIMETYPE not in exclude)
        if wanted and _in_kernel():
            view = self.widget()._repr_mimebundle_()
            if view and WIDGET_VIEW_MIMETYPE in view:
                data[WIDGET_VIEW_MIMETYPE] = view[WIDGET_VIEW_MIMETYPE]
        return data

    def __repr__(self) -> str:
        params = ", ".join(f"{n} ({len(v)} values)" for n, v in zip(self.names, self.values))
        return f"<SliderFigure {params}: {len(self.frames)} frames, {self.nbytes / 1e6:.2f} MB of HTML>"


def _in_kernel() -> bool:
    """True in a running IPython kernel (where widgets have a comm to a front-end) with ipywidgets installed."""
    try:
        from IPython import get_ipython
    except ImportError:
        return False
    shell = get_ipython()
    if shell is None or getattr(shell, "kernel", None) is None:
        return False
    try:
        import ipywidgets  # noqa: F401
    except ImportError:
        return False
    return True


# ------------------------------------------------------------------ public API


def slider_figure(draw: Callable, name: str, values: Sequence, *, label: str | None = None,
                  fmt: Format = "{:g}", initial=None, width: float | None = None,
                  dpi: float | None = None, max_bytes: int | None = MAX_BYTES,
                  max_frames: int = MAX_FRAMES, live_values: Sequence | None = None,
                  alt: str | Callable | None = None) -> SliderFigure:
    """A figure with a slider over ``values`` that works without a kernel (and live in one).

    ``draw(value)`` is called once per value, in the book's figure style; it either returns
    the matplotlib Figure it drew (``fig, ax = plt.subplots(); ...; return fig``) or draws
    on the current figure (``plt.plot(...)``; a fresh figure is current when it is called).
    Every figure made during the call is saved as a PNG frame and closed.

    Parameters
    ----------
    draw : callable, value -> Figure or None
    name : str
        The parameter as the reader sees it, e.g. ``"η"`` or ``"M"``: the readout shows
        "name = value", and each frame's alt text ends with "name = value".
    values : sequence, length n (10–40 is typical; at most ``max_frames``)
        The values of the parameter, in slider order. Numbers or any other objects
        (e.g. activation names).
    label : str, optional
        A longer description shown before the slider and used as its accessible name,
        e.g. ``"learning rate η"``; default: ``name``.
    fmt : str or callable
        Formats a value for display: a ``str.format`` pattern (default ``"{:g}"``; values
        it cannot format are shown with ``str``) or a function ``value -> str``.
    initial : optional
        The value shown first (and the only one shown without JavaScript): an element of
        ``values``, or for numbers the nearest one. Default: ``values[0]``.
    width : float, optional
        Resize every figure to this width in inches, keeping its aspect ratio. Default:
        figures keep their own size, and ``plt.figure()``/``plt.subplots()`` without
        ``figsize`` make figures :data:`FRAME_WIDTH` = 5.5 in wide.
    dpi : float, optional
        Resolution of the frames (default :data:`FRAME_DPI` = 90).
    max_bytes : int or None
        Raise ``ValueError`` when the HTML would exceed this many bytes (default
        :data:`MAX_BYTES` = 2 MB; None: no limit). Keep frames × PNG size below about
        1.5 MB per figure: every frame is part of the page the reader downloads.
    max_frames : int
        Raise ``ValueError`` for more values than this (default 60).
    live_values : sequence of numbers, optional
        More values for the slider of the live widget in a kernel (numbers only), e.g. a
        finer grid; merged with ``values`` in their order (``values`` must then be sorted).
        Their frames are drawn by ``draw`` when first shown, so the widget waits for the
        slider to be released. Default: the widget offers ``values``, all precomputed.
    alt : str or callable, optional
        What the figure shows, in words (the alternative text of every frame, followed by
        "name = value"); a callable gets the value and returns it. Default: the
        description read off each frame's figure (:func:`nnbook.page.plotting.alt_text`:
        the text given with ``set_alt_text``, else titles, axis labels, legend).

    Returns
    -------
    SliderFigure
        Displays as the HTML snippet; its ``text/plain`` form is one short line. In a
        running kernel the display also carries the live widget (:meth:`SliderFigure.widget`).

    Examples
    --------
    >>> def draw(eta):                                      # doctest: +SKIP
    ...     fig, ax = plt.subplots()
    ...     ax.plot(gradient_descent_path(eta))
    ...     return fig
    >>> slider_figure(draw, "η", [0.01, 0.05, 0.1, 0.2, 0.5])  # doctest: +SKIP
    """
    values = _as_values(values, name)
    return _build(lambda args: draw(*args), (name,), (label,), (values,), (fmt,),
                  None if initial is None else (initial,), width, dpi, max_bytes, max_frames,
                  (live_values,), alt)


def slider_figure2(draw: Callable, names: Sequence[str], values_a: Sequence, values_b: Sequence, *,
                   labels: Sequence[str] | None = None, fmt: Format | Sequence[Format] = "{:g}",
                   initial=None, width: float | None = None, dpi: float | None = None,
                   max_bytes: int | None = MAX_BYTES, max_frames: int = MAX_FRAMES,
                   live_values: Sequence | None = None, alt: str | Callable | None = None) -> SliderFigure:
    """A figure with two sliders, over ``values_a`` and ``values_b``: a grid of frames.

    ``draw(a, b)`` is called for every pair, so the figure has ``len(values_a) *
    len(values_b)`` frames; keep that at most 60 (e.g. 8 × 6) and the HTML below
    about 1.5 MB.

    Parameters
    ----------
    draw : callable, (a, b) -> Figure or None
        As in :func:`slider_figure`, with two arguments.
    names : pair of str
        The two parameters as the reader sees them, e.g. ``("w₁", "w₂")``.
    values_a, values_b : sequence, lengths n_a and n_b
        The values of the first and the second parameter.
    labels : pair of str, optional
        Longer descriptions (accessible names of the two range inputs); default ``names``.
    fmt : str or callable, or a pair of them
        Formats the values for display (see :func:`slider_figure`).
    initial : pair, optional
        The initially shown ``(a, b)``; default ``(values_a[0], values_b[0])``.
    width, dpi, max_bytes, max_frames
        As in :func:`slider_figure`.
    live_values : pair, optional
        ``(live_a, live_b)``: more values for the live widget's sliders, per parameter
        (each None or a sequence of numbers; see :func:`slider_figure`).
    alt : str or callable (a, b) -> str, optional
        What the figure shows (see :func:`slider_figure`).

    Returns
    -------
    SliderFigure
        Frame ``i * n_b + j`` is ``draw(values_a[i], values_b[j])``.
    """
    names = tuple(names)
    if len(names) != 2:
        raise ValueError(f"slider_figure2 needs two names, got {names!r}")
    labels = (None, None) if labels is None else tuple(labels)
    fmts = tuple(fmt) if isinstance(fmt, (list, tuple)) else (fmt, fmt)
    if initial is not None and len(initial) != 2:
        raise ValueError(f"initial must be a pair (a, b), got {initial!r}")
    values = (_as_values(values_a, names[0]), _as_values(values_b, names[1]))
    live = (None, None) if live_values is None else tuple(live_values)
    if len(live) != 2:
        raise ValueError(f"live_values must be a pair (live_a, live_b), got {live_values!r}")
    return _build(lambda args: draw(*args), names, labels, values, fmts,
                  None if initial is None else tuple(initial), width, dpi, max_bytes, max_frames, live, alt)


def standalone_page(*figures: SliderFigure, title: str | None = None) -> str:
    """A complete HTML document showing ``figures`` one below the other (for previews)."""
    body = "\n".join(f"<section>{f.html}</section>" for f in figures)
    title = _("nnbook slider figures") if title is None else title
    lang = "en" if get_language() == "en" else get_language().replace("_", "-")
    return (f"<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n"
            f"<title>{html.escape(title)}</title>\n</head>\n<body>\n{body}\n</body>\n</html>\n")


# ------------------------------------------------------------------ rendering


def _as_values(values, name) -> tuple:
    values = tuple(values.tolist() if hasattr(values, "tolist") else values)
    if not values:
        raise ValueError(f"slider {name!r} needs at least one value")
    return values


def _is_number(v) -> bool:
    return isinstance(v, Real) and not isinstance(v, bool)


def _same(a, b) -> bool:
    """Equal values; numbers that differ only by rounding (0.1 + 0.2 and 0.3) count as equal."""
    if _is_number(a) and _is_number(b):
        return math.isclose(a, b, rel_tol=1e-9, abs_tol=1e-12)
    try:
        return bool(a == b)
    except (ValueError, TypeError):
        return False


def _index_in(values: tuple, value) -> Optional[int]:
    for i, v in enumerate(values):
        if v is value or _same(v, value):
            return i
    return None


def _merge_live(values: tuple, live, name: str) -> tuple:
    """``values`` with the extra ``live`` numbers, in the order of ``values`` (ascending or descending)."""
    if live is None:
        return values
    live = _as_values(live, name)
    if not all(_is_number(v) for v in values + live):
        raise ValueError(f"live_values of {name!r} need numeric values and numbers, got {values!r} and {live!r}")
    merged = list(values)
    for v in live:
        if _index_in(tuple(merged), v) is None:
            merged.append(v)
    if len(values) > 1 and list(values) == sorted(values, reverse=True) and values[0] != values[-1]:
        return tuple(sorted(merged, reverse=True))
    if list(values) != sorted(values):
        raise ValueError(f"live_values of {name!r} need sorted values (ascending or descending), got {values!r}")
    return tuple(sorted(merged))


def _format(fmt: Format, value) -> str:
    if callable(fmt):
        return str(fmt(value))
    try:
        return fmt.format(value)
    except (ValueError, TypeError):
        return str(value)


def _initial_index(values: tuple, initial, name: str) -> int:
    if initial is None:
        return 0
    for i, v in enumerate(values):
        try:
            if v == initial:
                return i
        except (ValueError, TypeError):
            pass
    numeric = [isinstance(v, Real) and not isinstance(v, bool) for v in values]
    if isinstance(initial, Real) and all(numeric):
        return min(range(len(values)), key=lambda i: abs(values[i] - initial))
    raise ValueError(f"initial value {initial!r} of {name!r} is not one of its values {values!r}")


def _render(draw: Callable, args: tuple, width: float | None, dpi: float, described: list | None = None) -> bytes:
    """One frame: call ``draw`` in the book style, save the figure as PNG, close every new figure.

    ``described``: a list to which the figure's alternative text is appended
    (:func:`nnbook.page.plotting.alt_text`).
    """
    import matplotlib
    import matplotlib.pyplot as plt
    from matplotlib.figure import Figure

    from nnbook.page.plotting import alt_text, fit_cjk_text, use_style

    before = set(plt.get_fignums())
    with matplotlib.rc_context():          # the style stays inside this call
        use_style()
        w0, h0 = matplotlib.rcParams["figure.figsize"]
        matplotlib.rcParams["figure.figsize"] = (FRAME_WIDTH, FRAME_WIDTH * h0 / w0)
        try:
            plt.figure()
            fig = draw(args)
            if fig is None:
                fig = plt.gcf()
            elif not isinstance(fig, Figure):
                fig = getattr(fig, "figure", fig)   # an Axes (or anything with .figure)
            if not isinstance(fig, Figure):
                raise TypeError(f"draw{args!r} returned {type(fig).__name__}; "
                                "return a matplotlib Figure or None (to use the current figure)")
            if width is not None:
                w, h = fig.get_size_inches()
                fig.set_size_inches(width, h * width / w)
            buf = io.BytesIO()
            fit_cjk_text(fig)
            fig.savefig(buf, format="png", dpi=dpi, bbox_inches="tight", metadata={"Software": None})
            if described is not None:
                described.append(alt_text(fig))
            return buf.getvalue()
        finally:
            for num in set(plt.get_fignums()) - before:
                plt.close(num)


def _png_size(png: bytes) -> Tuple[int, int]:
    """(width, height) in pixels from the PNG header."""
    return struct.unpack(">II", png[16:24])


def _too_big(names, size, max_bytes, done, total) -> ValueError:
    what = " × ".join(names)
    so_far = f" after {done} of {total} frames" if done < total else ""
    return ValueError(
        f"slider figure over {what} would be {size / 1e6:.2f} MB of HTML{so_far} "
        f"(max_bytes={max_bytes}); use fewer values, a smaller width= or dpi=, or a simpler "
        f"plot (fewer points, no images), or pass max_bytes=None to accept it")


def _build(draw, names, labels, values, fmts, initial, width, dpi, max_bytes, max_frames,
           live=None, alt=None) -> SliderFigure:
    # the pages' names and labels are English; shown in the reader's language (figures.po)
    names = tuple(_(str(n)) for n in names)
    labels = tuple(_(str(lab)) if lab is not None else n for lab, n in zip(labels, names))
    shape = tuple(len(v) for v in values)
    total = math.prod(shape)
    if total > max_frames:
        raise ValueError(f"slider figure over {' × '.join(names)} has {total} frames "
                         f"(shape {shape}); at most max_frames={max_frames}: use fewer values")
    dpi = FRAME_DPI if dpi is None else dpi
    texts = tuple(tuple(_format(f, v) for v in vs) for f, vs in zip(fmts, values))
    live = (None,) * len(values) if live is None else live
    live_values = tuple(_merge_live(vs, lv, n) for vs, lv, n in zip(values, live, names))
    live_texts = tuple(tuple(_format(f, v) for v in vs) for f, vs in zip(fmts, live_values))
    start = tuple(0 for _ in values) if initial is None else tuple(
        _initial_index(vs, v, n) for vs, v, n in zip(values, initial, names))

    frames, size, described = [], 0, []
    for k in range(total):
        idx = _unravel(k, shape)
        args = tuple(vs[i] for vs, i in zip(values, idx))
        frame = _render(draw, args, width, dpi, described)
        if alt is not None:
            described[-1] = " ".join(str(alt(*args) if callable(alt) else alt).split())
        frames.append(frame)
        size += 4 * math.ceil(len(frame) / 3)
        if max_bytes is not None and size > max_bytes:
            raise _too_big(names, size, max_bytes, k + 1, total)

    digest = hashlib.sha256()
    for part in (*frames, json.dumps([names, texts, start]).encode()):
        digest.update(hashlib.sha256(part).digest())
    key = digest.hexdigest()[:12]
    seen = _shown.get(key, 0)
    _shown[key] = seen + 1
    element_id = f"nnbslider-{key}" + (f"-{seen + 1}" if seen else "")

    snippet = _html(frames, names, labels, texts, shape, start, element_id, described)
    fig = SliderFigure(tuple(frames), names, labels, tuple(values), texts, start, element_id, snippet,
                       draw=draw, live_values=live_values, live_texts=live_texts, width=width, dpi=dpi)
    if max_bytes is not None and fig.nbytes > max_bytes:
        raise _too_big(names, fig.nbytes, max_bytes, total, total)
    return fig


def _unravel(k: int, shape: tuple) -> tuple:
    idx = []
    for n in reversed(shape):
        idx.append(k % n)
        k //= n
    return tuple(reversed(idx))


# ------------------------------------------------------------------ HTML

# Wires every element with the figure's id (a notebook may show the same output twice);
# falls back to the script's own parent when the id is not found (yet) in the document.
# The frame index is row-major over the inputs: k = (...(i_1) * n_2 + i_2) ...
_SCRIPT = """(function () {
  function wire(root) {
    if (root.getAttribute("data-nnb-ready")) return;
    root.setAttribute("data-nnb-ready", "1");
    var frames = root.querySelectorAll("img.nnb-slider-frame");
    var inputs = root.querySelectorAll("input.nnb-slider-input");
    var outs = root.querySelectorAll("output.nnb-slider-value");
    function show() {
      var k = 0;
      for (var j = 0; j < inputs.length; j++) {
        var texts = JSON.parse(inputs[j].getAttribute("data-values"));
        var i = Math.max(0, Math.min(texts.length - 1, parseInt(inputs[j].value, 10) || 0));
        k = k * texts.length + i;
        outs[j].textContent = inputs[j].getAttribute("data-name") + " = " + texts[i];
        inputs[j].setAttribute("aria-valuetext", outs[j].textContent);
      }
      for (var f = 0; f < frames.length; f++) frames[f].style.visibility = f === k ? "visible" : "hidden";
    }
    for (var j = 0; j < inputs.length; j++) {
      inputs[j].addEventListener("input", show);
      inputs[j].addEventListener("change", show);
    }
    root.querySelector(".nnb-slider-controls").hidden = false;
    root.querySelector(".nnb-slider-static").hidden = true;
    show();
  }
  var roots = document.querySelectorAll('[id="%(id)s"]');
  for (var r = 0; r < roots.length; r++) wire(roots[r]);
  var me = document.currentScript;
  if (!roots.length && me && me.parentNode && me.parentNode.id === "%(id)s") wire(me.parentNode);
})();"""


def _readout(name: str, text: str) -> str:
    return f"{name} = {text}"


def _frame_alt(description: str, readout: str) -> str:
    """A frame's alternative text: what the figure shows, then the values it is drawn for."""
    description = (description or "").strip()
    if not description:
        return readout
    if description.endswith("。"):
        return f"{description}{readout}"
    if description.endswith("…"):
        return f"{description} {readout}"
    return _("{description}. {readout}").format(description=description.rstrip("."), readout=readout)


def _html(frames, names, labels, texts, shape, start, element_id, described=None) -> str:
    e = html.escape
    current = sum(i * math.prod(shape[j + 1:]) for j, i in enumerate(start))
    described = described or [""] * len(frames)
    imgs = []
    for k, png in enumerate(frames):
        idx = _unravel(k, shape)
        alt = _frame_alt(described[k], _(", ").join(_readout(n, t[i]) for n, t, i in zip(names, texts, idx)))
        w, h = _png_size(png)
        vis = "visible" if k == current else "hidden"
        imgs.append(
            f'<img class="nnb-slider-frame" alt="{e(alt)}" width="{w}" height="{h}" '
            f'style="grid-area:1/1;max-width:100%;height:auto;visibility:{vis}" '
            f'src="data:image/png;base64,{base64.b64encode(png).decode("ascii")}">')
    rows = []
    for j, (n, lab, t, i) in enumerate(zip(names, labels, texts, start)):
        iid = f"{element_id}-in{j}"
        rows.append(
            f'<div style="display:flex;align-items:center;gap:0.6em;flex-wrap:wrap;margin:0.2em 0">'
            f'<label for="{iid}">{e(lab)}</label>'
            f'<input type="range" class="nnb-slider-input" id="{iid}" min="0" max="{len(t) - 1}" '
            f'step="1" value="{i}" aria-label="{e(lab)}" aria-valuetext="{e(_readout(n, t[i]))}" data-name="{e(n)}" '
            f'data-values="{e(json.dumps(list(t)))}" style="flex:1 1 12em;max-width:24em">'
            f'<output class="nnb-slider-value" for="{iid}" aria-live="polite" '
            f'style="font-variant-numeric:tabular-nums">{e(_readout(n, t[i]))}</output></div>')
    shown = _(", ").join(_readout(n, t[i]) for n, t, i in zip(names, texts, start))
    offers = _("; ").join(f"{n} = {_(', ').join(t)}" for n, t in zip(names, texts))
    static = _("Shown: {shown}. The interactive version of this figure (with JavaScript: the "
               "online book or a trusted notebook) has a slider over {offers}.").format(shown=shown, offers=offers)
    return (
        f'<div class="nnb-slider" id="{element_id}" style="max-width:100%;margin:0.5em 0">\n'
        f'<div class="nnb-slider-frames" style="display:grid;justify-items:start">\n'
        + "\n".join(imgs) + "\n</div>\n"
        f'<div class="nnb-slider-controls" hidden>{"".join(rows)}</div>\n'
        f'<p class="nnb-slider-static" style="font-size:0.9em;margin:0.3em 0">{e(static)}</p>\n'
        f"<script>\n{_SCRIPT % {'id': element_id}}\n</script>\n</div>")
